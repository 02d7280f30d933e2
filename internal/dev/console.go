package dev

import (
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"strings"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/web"
)

//go:embed static
var static embed.FS

// maxConsoleBody caps the console's JSON requests; a 1600-character text fits
// many times over.
const maxConsoleBody = 64 << 10

// front puts the console in front of the service on one port. The console
// owns "/" and "/dev/..."; every other request goes to the service's own
// handler untouched (no path cleaning, no extra middleware), so what the
// simulators and the page call is exactly what serve answers. The service's
// route table is not touched: serve never sees these routes.
func (sb *Sandbox) front() http.Handler {
	files, _ := fs.Sub(static, "static") // the directory is embedded: cannot fail
	console := http.NewServeMux()
	console.HandleFunc("GET /{$}", page(files))
	console.Handle("GET /dev/static/", http.StripPrefix("/dev/static/", http.FileServerFS(files)))
	console.Handle("GET /dev/api/state", api(sb.state))
	console.Handle("POST /dev/api/text", api(sameOriginJSON(sb.text)))
	console.Handle("POST /dev/api/reply", api(sameOriginJSON(sb.reply)))
	console.Handle("POST /dev/api/send-scheduled", api(sameOriginJSON(sb.sendScheduled)))
	console.Handle("/dev/", api(func(*http.Request) (any, error) {
		return nil, bridge.Errorf(bridge.ErrNotFound, "not_found", "No such console route.")
	}))
	service := sb.app.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Path == "/" || strings.HasPrefix(r.URL.Path, "/dev/") {
			h.Set("Cache-Control", "no-store")
			console.ServeHTTP(w, r)
			return
		}
		service.ServeHTTP(w, r)
	})
}

// page serves the console's HTML. Its script and style are files of their
// own, so the policy can forbid inline code.
func page(files fs.FS) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		html, err := fs.ReadFile(files, "index.html")
		if err != nil {
			http.Error(w, "console missing", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
		_, _ = w.Write(html)
	}
}

// api adapts a console handler: it caps the body, and writes the result, or
// the error through web.ToStatus, the service's one error table, as JSON.
func api(h func(*http.Request) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxConsoleBody)
		v, err := h(r)
		status := http.StatusOK
		if err != nil {
			status, v = web.ToStatus(err)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	})
}

// sameOriginJSON guards a state-changing console route against other web
// pages: a cross-site form or fetch can send text/plain without a CORS
// preflight, so the body must be application/json (which a cross-site page
// cannot send without one), and an Origin, which browsers send on every
// POST, must be this sandbox's own. Clients that are not browsers send no
// Origin and no Sec-Fetch-Site, and are let through.
func sameOriginJSON(h func(*http.Request) (any, error)) func(*http.Request) (any, error) {
	return func(r *http.Request) (any, error) {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			return nil, bridge.Errorf(bridge.ErrUnsupportedMedia, "unsupported_media_type", "Send the body as application/json.")
		}
		origin, site := r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site")
		sameSite := origin == "http://"+r.Host || (origin == "" && (site == "" || site == "same-origin"))
		if !sameSite {
			return nil, bridge.Errorf(bridge.ErrForbidden, "cross_origin", "The console takes requests from its own page only.")
		}
		return h(r)
	}
}

// decode reads a JSON body into v.
func decode(r *http.Request, v any) error {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return bridge.Errorf(bridge.ErrInvalid, "bad_json", "The request body is not the JSON expected.")
	}
	return nil
}
