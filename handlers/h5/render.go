package h5

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

//go:embed templates
var templateFS embed.FS

// pageNames are the templates of whole pages; each is parsed with the
// layout.
var pageNames = []string{"approve", "pending", "bulk", "message", "overdue"}

// styleCSS is the one stylesheet, inlined in every page and allowed by
// its hash in the Content-Security-Policy.
var styleCSS = mustRead("templates/style.css")

// contentSecurityPolicy lets a page load nothing but its own images and
// its one inline stylesheet, post forms only to itself, and not be framed.
var contentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'sha256-" +
	styleHash(styleCSS) + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// maxFormBytes caps the body of a POST.
const maxFormBytes = 64 << 10

func mustRead(name string) string {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("h5: embedded %s: %v", name, err))
	}
	return string(b)
}

func styleHash(css string) string {
	sum := sha256.Sum256([]byte(css))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// parsePages parses each page with the layout.
func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		//nolint:gosec // G203: the stylesheet is our own embedded file.
		"css": func() template.CSS { return template.CSS(styleCSS) },
	}
	out := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("h5: parse template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// render writes a whole page. The page is made in memory first, so that a
// template error gives a clean error page and not half a page.
func (p *Pages) render(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	t, ok := p.pages[name]
	if !ok {
		p.fail(c, "render", fmt.Errorf("no page %q", name))
		return
	}
	if err := t.Execute(&buf, data); err != nil {
		p.log.ErrorContext(c.Request.Context(), "h5 render failed", "page", name, "error", err)
		c.Data(http.StatusInternalServerError, "text/html; charset=utf-8", []byte(fallbackPage))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// fallbackPage is the answer when even the error page cannot be made.
const fallbackPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8">` +
	`<meta name="viewport" content="width=device-width, initial-scale=1">` +
	`<title>出错了</title><p>` + msgInternal + `</p></html>`

// messagePage is a page that only says something, with an optional link.
type messagePage struct {
	Title   string
	Message string
	// Link, when set, is a local path offered to try again.
	Link string
}

// message answers with a page that says msg.
func (p *Pages) message(c *gin.Context, status int, title, msg, link string) {
	p.render(c, status, "message", messagePage{Title: title, Message: msg, Link: link})
}

// fail logs an internal error and answers 500 with an apology.
func (p *Pages) fail(c *gin.Context, doing string, err error) {
	p.log.ErrorContext(c.Request.Context(), "h5 page failed", "doing", doing, "error", err)
	p.message(c, http.StatusInternalServerError, titleError, msgInternal, "")
}

// headers sets the headers every page carries and caps the body.
func (p *Pages) headers(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	}
	c.Next()
}

// recoverPanic turns a panic into a logged error and the apology page.
func (p *Pages) recoverPanic(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v)
		}
		p.log.ErrorContext(c.Request.Context(), "panic in h5 page",
			"panic", fmt.Sprint(v), "route", c.FullPath(), "stack", string(debug.Stack()))
		if !c.Writer.Written() {
			p.message(c, http.StatusInternalServerError, titleError, msgInternal, "")
		}
		c.Abort()
	}()
	c.Next()
}
