package printform

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
)

//go:embed templates/*.html
var templateFiles embed.FS

var templates = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

// formPage is the printable page's content: the form and the page's own
// controls.
type formPage struct {
	document
	QR      template.URL
	Caption string
	Print   string
	Hint    string
}

// HTML writes the form as a self-contained page (no outside resources)
// that reads on a phone and prints on A4 like the PDF, one copy a page.
func HTML(w io.Writer, f Form) error {
	rule, err := f.check()
	if err != nil {
		return err
	}
	qr, err := qrPNG(f.VerifyURL)
	if err != nil {
		return err
	}
	page := formPage{document: newDocument(f, rule), QR: dataURL(qr),
		Caption: qrCaption, Print: printButton, Hint: printHint}
	return execute(w, "form.html", page)
}

// execute renders a template in full before writing, so that a failure
// leaves w untouched.
func execute(w io.Writer, name string, data any) error {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
