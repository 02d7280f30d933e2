package dev

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotPath is the picture of the console the README shows. The test
// rewrites it only when UPDATE_SCREENSHOT=1, so CI leaves the tree clean.
const screenshotPath = "../docs/console.png"

// browserFor returns a tab of headless Chromium (Debian's chromium), or
// skips the test where it is missing. Under CI it must be there: .ci/run
// installs it.
func browserFor(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if ci := os.Getenv("CI"); ci != "" && ci != "false" {
			t.Fatalf("CI is set but chromium is not installed (.ci/run installs Debian's chromium): %v", err)
		}
		t.Skip("chromium is not installed: apt-get install chromium to run the browser test (CI does)")
	}
	// On this closed network Chromium must not reach out for updates, sync
	// or QUIC, or it stalls on refused connections.
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// see waits until the page shows text in one of the elements sel matches.
func see(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](
		`[...document.querySelectorAll(`+js(sel)+`)].some((e) => e.textContent === `+js(text)+`)`,
		chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

func TestTheConsoleShowsBothSidesOfAConversationInABrowser(t *testing.T) {
	ctx := browserFor(t)
	r := startSandbox(t)
	const (
		question = "Hi! Can I move my appointment to Friday?"
		answer   = "Friday at 10am works. See you then!"
	)
	r.keepPrivate("2015550123", question, answer)
	err := chromedp.Do(ctx,
		chromedp.Navigate(r.sb.URL+"/"),
		chromedp.WaitVisible("#phone-send"),
		chromedp.SendKeys("#phone-custom", "201-555-0123"),
		chromedp.Click("#phone-use"),
		chromedp.SendKeys("#phone-text", question),
		chromedp.Click("#phone-send"),
		see("#phone-screen .bubble.mine", question),
		see("#chat .message .text", question),
		chromedp.SendKeys("#reply-text", answer),
		chromedp.Click("#reply-send"),
		see("#phone-screen .bubble.theirs", answer),
		see("#chat .message .status", "delivered"),
	)
	if err != nil {
		t.Fatalf("conversation in the browser: %v", err)
	}
	sendReminderInBrowser(t, ctx, r)
	saveScreenshot(t, ctx)
}

// sendReminderInBrowser logs in through the console's form and sends a
// reminder, as the tutorial's dashboard does.
func sendReminderInBrowser(t *testing.T, ctx context.Context, r *running) {
	t.Helper()
	const reminder = "Reminder: cleaning on Friday at 10am. Reply here with any question."
	r.keepPrivate(reminder)
	err := chromedp.Do(ctx,
		chromedp.SendKeys("#login-password", r.sb.AdminPassword),
		chromedp.Click("#login-submit"),
		chromedp.WaitVisible("#reminder-text"),
		chromedp.SendKeys("#reminder-text", reminder),
		chromedp.Click("#reminder-submit"),
		see("#phone-screen .bubble.theirs", reminder),
		see("#chat .message .badge", "reminder"),
	)
	if err != nil {
		t.Fatalf("reminder in the browser: %v", err)
	}
}

func saveScreenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	if os.Getenv("UPDATE_SCREENSHOT") != "1" {
		return
	}
	// Let the last status settle so the picture shows the loop's end.
	err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](
		`[...document.querySelectorAll("#chat .status")].every((e) => e.textContent === "delivered")`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("statuses did not settle: %v", err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(screenshotPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screenshotPath, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", screenshotPath)
}
