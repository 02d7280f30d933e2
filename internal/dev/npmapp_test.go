package dev

// The harness for browser tests of the npm apps under examples/ (the
// dashboards a clinic runs against the service). A test calls
//
//	a := openNpmApp(t, "tutorial-compat") // examples/tutorial-compat
//	err := chromedp.Do(a.Browser, chromedp.Navigate(a.URL()), ...)
//	a.Errors.check(t)
//
// openNpmApp, in this order:
//   - finds Debian's chromium (skips locally without it, fails under CI);
//   - builds the app once per test binary (buildNpmApp): `npm ci` from its
//     committed package-lock.json with npm's cache in ~/.npm, skipped when
//     node_modules was installed from this very lockfile (.ci/npm installs
//     it before the tests and reports the time), then `npm run build`,
//     which must write dist/; without npm it skips locally and fails under
//     CI, as chromium does;
//   - serves dist/ on its own 127.0.0.1 port (serveStatic), so the app is
//     on another origin than the API, as a real dashboard is;
//   - starts a sandbox whose CORS_ALLOWED_ORIGINS names that origin
//     (startSandboxWith), its logs checked for private strings at the end;
//   - opens a tab of headless Chromium (browserFor), watching the page's
//     errors.
//
// a.URL() is the app's page with ?api=<the sandbox's URL>: the apps read
// where the API lives from it and fall back to their documented default.
// Every wait is bounded: npm ci by npmInstallWithin, the build by
// npmBuildWithin, the browser by browserFor's 90 s, each poll by its own.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// examplesDir is where the npm apps live, from this package.
	examplesDir = "../../examples"
	// npmInstallWithin bounds `npm ci` (a cold cache downloads a few
	// hundred packages); npmBuildWithin bounds `npm run build`.
	npmInstallWithin = 10 * time.Minute
	npmBuildWithin   = 3 * time.Minute
	// lockStamp, in node_modules, holds the SHA-256 of the package-lock.json
	// node_modules was installed from (written here and by .ci/npm).
	lockStamp = ".smsbridge-lock.sha256"
	// stepWithin bounds one step of an app's browser test.
	stepWithin = 30 * time.Second
)

// npmApp is one built app served for one test, with its sandbox and browser.
type npmApp struct {
	Sandbox *running
	Origin  string          // where dist/ is served: http://127.0.0.1:port
	Browser context.Context // a Chromium tab, cancelled when the test ends
	Errors  *pageErrors     // what the page throws or logs as an error
}

// URL is the app's page, told where the sandbox's API is.
func (a *npmApp) URL() string {
	return a.Origin + "/?" + url.Values{"api": {a.Sandbox.sb.URL}}.Encode()
}

// openNpmApp builds examples/<name>, serves it, starts a sandbox that lets
// its origin call the API, and opens a browser tab on nothing yet.
func openNpmApp(t *testing.T, name string) *npmApp {
	t.Helper()
	chromiumPath(t) // skip before a build the test cannot use
	dist := buildNpmApp(t, filepath.Join(examplesDir, name))
	origin := serveStatic(t, http.Dir(dist))
	r := startSandboxWith(t, Options{CORSOrigins: []string{origin}})
	ctx := browserFor(t) // its 90 s start after the build
	errs := watchPageErrors(t, ctx)
	return &npmApp{Sandbox: r, Origin: origin, Browser: ctx, Errors: errs}
}

// builds holds each app's build, so a test binary builds an app once.
var builds sync.Map // dir -> *npmBuild

type npmBuild struct {
	once sync.Once
	dist string
	err  error
}

// buildNpmApp installs and builds the npm app in dir once per test binary
// and returns the directory of its built static files (dir/dist).
func buildNpmApp(t *testing.T, dir string) string {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		if ci := os.Getenv("CI"); ci != "" && ci != "false" {
			t.Fatalf("CI is set but npm is not installed (.ci/run installs Debian's nodejs and npm): %v", err)
		}
		t.Skip("npm is not installed: apt-get install nodejs npm to run the dashboards' browser tests (CI does)")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := builds.LoadOrStore(abs, &npmBuild{})
	b := v.(*npmBuild)
	b.once.Do(func() { b.dist, b.err = npmInstallAndBuild(t, npm, abs) })
	if b.err != nil {
		t.Fatalf("build %s: %v", dir, b.err)
	}
	return b.dist
}

func npmInstallAndBuild(t *testing.T, npm, dir string) (string, error) {
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return "", errors.New("no package-lock.json: commit the lockfile (npm install writes it)")
	}
	sum := sha256.Sum256(lock)
	want := hex.EncodeToString(sum[:])
	stamp := filepath.Join(dir, "node_modules", lockStamp)
	if have, err := os.ReadFile(stamp); err != nil || strings.TrimSpace(string(have)) != want {
		start := time.Now()
		if err := runNpm(npm, dir, npmInstallWithin, "ci", "--no-audit", "--no-fund", "--prefer-offline"); err != nil {
			return "", err
		}
		t.Logf("npm ci in %s: %.1f s", dir, time.Since(start).Seconds())
		if err := os.WriteFile(stamp, []byte(want+"\n"), 0o644); err != nil {
			return "", err
		}
	}
	start := time.Now()
	if err := runNpm(npm, dir, npmBuildWithin, "run", "build"); err != nil {
		return "", err
	}
	t.Logf("npm run build in %s: %.1f s", dir, time.Since(start).Seconds())
	dist := filepath.Join(dir, "dist")
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		return "", errors.New("npm run build wrote no dist/index.html")
	}
	return dist, nil
}

// runNpm runs npm with args in dir, for at most within, and returns its
// output's end in the error when it fails.
func runNpm(npm, dir string, within time.Duration, args ...string) error {
	return runTool(npm, dir, nil, within, args...)
}

// runTool runs the program with args in dir, with env added to the
// environment, for at most within.
func runTool(program, dir string, env []string, within time.Duration, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		tail := out.String()
		if len(tail) > 4000 {
			tail = "…" + tail[len(tail)-4000:]
		}
		if ctx.Err() != nil {
			err = errors.New("not done within " + within.String())
		}
		return errors.New(filepath.Base(program) + " " + strings.Join(args, " ") + ": " + err.Error() + "\n" + tail)
	}
	return nil
}

// serveStatic serves files on a fresh 127.0.0.1 port until the test ends
// and returns the origin.
func serveStatic(t *testing.T, files http.FileSystem) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(files), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// step runs one numbered step of a browser test, for at most stepWithin.
// Its failure names the step and says what the page reported as errors
// and what it shows.
func (a *npmApp) step(t *testing.T, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(a.Browser, stepWithin)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		shown, _ := chromedp.Run(a.Browser, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ""`))
		a.Errors.mu.Lock()
		defer a.Errors.mu.Unlock()
		t.Fatalf("step %s: %v\nthe page's errors: %q\nthe page shows:\n%s", name, err, a.Errors.list, shown)
	}
}
