package dev

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"path"
	"strings"
)

//go:embed templates static
var assets embed.FS

// contentSecurityPolicy lets the page load only its own script, style
// and photos, talk only to itself and not be framed.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; " +
	"base-uri 'none'"

// pageHeaders sets the headers of the simulator's pages and answers.
func pageHeaders(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		next(w, r)
	})
}

// parsePage parses the page and the notice templates.
func parsePage() (*template.Template, error) {
	t, err := template.New("").Funcs(template.FuncMap{"join": strings.Join}).
		ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dev: parse templates: %w", err)
	}
	return t, nil
}

// render writes a template made in memory first, so that an error gives
// a clean 500 and not half a page.
func (s *Simulator) render(w http.ResponseWriter, r *http.Request, status int, name string,
	data any) {
	var buf bytes.Buffer
	if err := s.page.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.ErrorContext(r.Context(), "simulator render failed", "page", name, "error", err)
		http.Error(w, textInternal, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// noticePage is a page that only says something, with a way back.
type noticePage struct {
	Title, Message, Back string
}

// notice answers with a page that says msg.
func (s *Simulator) notice(w http.ResponseWriter, status int, msg string) {
	var buf bytes.Buffer
	data := noticePage{Title: textNoticeTitle, Message: msg, Back: textBackToSimulator}
	if err := s.page.ExecuteTemplate(&buf, "notice.html", data); err != nil {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// staticTypes are the files under static/ and their content types.
var staticTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
}

// static serves the page's script and style.
func (s *Simulator) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	ctype, ok := staticTypes[path.Ext(name)]
	data, err := assets.ReadFile("static/" + name)
	if !ok || err != nil {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	_, _ = w.Write(data)
}
