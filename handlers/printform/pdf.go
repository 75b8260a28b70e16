package printform

import (
	"bytes"
	_ "embed" // the CJK font
	"fmt"
	"io"

	"codeberg.org/go-pdf/fpdf"
)

// fontTTF is WenQuanYi Micro Hei (Apache-2.0; see fonts/NOTICE), one face
// of a font that has both the CJK and the Latin glyphs a form needs.
//
//go:embed fonts/wqy-microhei.ttf
var fontTTF []byte

const fontFamily = "wqy"

// Page geometry, in millimetres, and type sizes, in points.
const (
	pageW     = 210.0
	pageH     = 297.0
	margin    = 15.0
	top       = 10.0
	contentW  = pageW - 2*margin
	labelW    = 24.0
	valueW    = (contentW - 2*labelW) / 2
	qrSize    = 28.0
	lineH     = 4.6
	minRowH   = 9.0
	signH     = 24.0
	cellPad   = 1.5
	signLineH = 4.2
	titleSize = 17.0
	textSize  = 10.0
	smallSize = 8.0
	// maxLines bounds a wrapped value, so that a copy stays on its page.
	maxLines = 13
)

const qrImage = "qr"

var pngOptions = fpdf.ImageOptions{ImageType: "PNG"}

// PDF writes the form as an A4 PDF: the paper form of the request's
// family, one page per copy, each with the verification QR code.
func PDF(w io.Writer, f Form) error {
	rule, err := f.check()
	if err != nil {
		return err
	}
	qr, err := qrPNG(f.VerifyURL)
	if err != nil {
		return err
	}

	d := newDocument(f, rule)
	pw := newPDFWriter(d, f)
	pw.RegisterImageOptionsReader(qrImage, pngOptions, bytes.NewReader(qr))
	for _, c := range d.Copies {
		pw.page(d, c)
	}

	if err := pw.Output(w); err != nil {
		return fmt.Errorf("write PDF of request %d: %w", f.Request.ID, err)
	}
	return nil
}

// pdfWriter draws pages top to bottom; y is where the next part starts.
type pdfWriter struct {
	*fpdf.Fpdf
	y float64
}

func newPDFWriter(d document, f Form) *pdfWriter {
	p := fpdf.New(fpdf.OrientationPortrait, fpdf.UnitMillimeter, fpdf.PageSizeA4, "")
	p.SetMargins(margin, top, margin)
	p.SetAutoPageBreak(false, 0)
	p.AddUTF8FontFromBytes(fontFamily, "", fontTTF)
	p.SetTitle(d.Title, true)
	p.SetCreator("xuewu", false)
	if !f.PrintedAt.IsZero() {
		p.SetCreationDate(f.PrintedAt)
		p.SetModificationDate(f.PrintedAt)
	}
	p.SetCatalogSort(true)
	p.SetLineWidth(0.3)
	p.SetCellMargin(cellPad)
	p.SetFillColor(242, 242, 242)
	return &pdfWriter{Fpdf: p}
}

func (w *pdfWriter) page(d document, copyLabel string) {
	w.AddPage()
	w.header(d, copyLabel)
	for _, r := range d.Rows {
		w.row([]cell{{labelW, r.A.Label, true}, {valueW, r.A.Value, false},
			{labelW, r.B.Label, true}, {valueW, r.B.Value, false}})
	}
	for _, f := range d.Wide {
		w.row([]cell{{labelW, f.Label, true}, {contentW - labelW, f.Value, false}})
	}
	for _, b := range d.Signs {
		w.sign(b)
	}
	w.notes(d)
}

// header draws the request number, the title, the copy's label and the
// QR code in the top right corner.
func (w *pdfWriter) header(d document, copyLabel string) {
	qrX := pageW - margin - qrSize
	w.ImageOptions(qrImage, qrX, top, qrSize, qrSize, false, pngOptions, 0, d.VerifyURL)
	w.SetFont(fontFamily, "", smallSize-0.5)
	w.text(qrX, top+qrSize, qrSize, 3.5, qrCaption, "C")

	w.SetFont(fontFamily, "", textSize)
	w.text(margin, top+1, 70, lineH, d.Number, "L")
	w.SetFont(fontFamily, "", titleSize)
	w.text(margin, top+8, contentW, 9, d.Title, "C")
	if copyLabel != "" {
		w.SetFont(fontFamily, "", textSize+1)
		w.text(margin, top+18, contentW, 6, fmt.Sprintf(copyLabelFmt, copyLabel), "C")
	}
	w.y = top + qrSize + 6
}

// cell is one box of a table row: a shaded, centred label or a value.
type cell struct {
	w     float64
	text  string
	label bool
}

// row draws a table row as high as its longest wrapped cell.
func (w *pdfWriter) row(cells []cell) {
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		w.SetFont(fontFamily, "", textSize)
		lines[i] = w.wrap(c.text, c.w)
		n = max(n, len(lines[i]))
	}
	h := max(minRowH, float64(n)*lineH+3)

	x := margin
	for i, c := range cells {
		style, align := "D", "L"
		if c.label {
			style, align = "FD", "C"
		}
		w.Rect(x, w.y, c.w, h, style)
		w.block(x, w.y, c.w, h, lineH, lines[i], align)
		x += c.w
	}
	w.y += h
}

// block draws lines, lh apart, centred vertically in the box at x, y.
func (w *pdfWriter) block(x, y, width, h, lh float64, lines []string, align string) {
	y += (h - float64(len(lines))*lh) / 2
	for i, l := range lines {
		w.text(x, y+float64(i)*lh, width, lh, l, align)
	}
}

// sign draws the box of one step: the decision recorded in the system,
// or blank lines to sign by hand.
func (w *pdfWriter) sign(b signBox) {
	w.Rect(margin, w.y, labelW, signH, "FD")
	w.Rect(margin+labelW, w.y, contentW-labelW, signH, "D")
	w.SetFont(fontFamily, "", smallSize+1)
	w.block(margin, w.y, labelW, signH, signLineH, w.wrap(b.Role, labelW), "C")

	w.SetFont(fontFamily, "", textSize)
	x, width := margin+labelW, contentW-labelW
	w.text(x, w.y+2, width, lineH, b.Opinion, "L")
	w.text(x, w.y+signH-lineH-2, width-4, lineH, b.Foot, "R")
	w.y += signH
}

// notes draws the warning and the advice under the boxes, and the time
// of printing at the foot of the page.
func (w *pdfWriter) notes(d document) {
	w.y += 3
	w.SetFont(fontFamily, "", textSize)
	w.SetTextColor(180, 0, 0)
	w.paragraph(d.Warning)
	w.SetTextColor(0, 0, 0)
	w.SetFont(fontFamily, "", smallSize+1)
	for _, n := range d.Notes {
		w.paragraph(n)
	}
	w.SetFont(fontFamily, "", smallSize)
	w.text(margin, pageH-top-lineH, contentW, lineH, d.Printed, "R")
}

// paragraph draws wrapped text across the page.
func (w *pdfWriter) paragraph(s string) {
	for _, l := range w.wrap(s, contentW) {
		w.text(margin, w.y, contentW, lineH, l, "L")
		w.y += lineH
	}
	w.y++
}

// text draws one line in a box of width w and height h at x, y.
func (w *pdfWriter) text(x, y, width, h float64, s, align string) {
	w.SetXY(x, y)
	w.CellFormat(width, h, s, "", 0, align, false, 0, "")
}
