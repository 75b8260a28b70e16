package printform

import (
	"strings"
	"unicode"
)

// wrap splits text into lines no wider than width in the current font,
// at most maxLines of them. It breaks at newlines, beside any CJK
// character and after spaces; a word of Latin letters or digits (a phone
// number, a course code) breaks only when it is wider than a line.
// (fpdf's own SplitText drops the character it breaks a CJK line at.)
func (w *pdfWriter) wrap(text string, width float64) []string {
	if text == "" {
		return nil
	}
	limit := width - 2*cellPad
	var lines []string
	for para := range strings.SplitSeq(text, "\n") {
		lines = append(lines, w.wrapLine([]rune(para), limit)...)
	}
	if len(lines) > maxLines {
		lines = append(lines[:maxLines-1], detailsMore)
	}
	return lines
}

func (w *pdfWriter) wrapLine(rs []rune, limit float64) []string {
	var lines []string
	start, brk, x := 0, 0, 0.0
	for i, r := range rs {
		cw := w.GetStringWidth(string(r))
		if x+cw > limit && i > start {
			end := i
			if brk > start && !unicode.IsSpace(r) {
				end = brk
			}
			if end-1 > start && strings.ContainsRune(noLineStart, rs[end]) {
				end-- // carry the last character over with the punctuation
			}
			lines = append(lines, strings.TrimSpace(string(rs[start:end])))
			start = end
			x = w.GetStringWidth(string(rs[start:i]))
		}
		x += cw
		if unicode.IsSpace(r) || wide(r) || (i+1 < len(rs) && wide(rs[i+1])) {
			brk = i + 1
		}
	}
	return append(lines, strings.TrimSpace(string(rs[start:])))
}

// noLineStart is punctuation that Chinese typesetting never puts at the
// start of a line.
const noLineStart = "，。、；：？！）》」』”’,.;:?!)"

// wide reports whether a line may break on either side of r: CJK
// characters and full-width punctuation.
func wide(r rune) bool {
	return r >= 0x2E80 || unicode.Is(unicode.Han, r)
}
