package extract

import (
	"cmp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/imut/xuewu/models"
)

// minBaseRunes is the shortest base name (a name without its "(一)" or
// "A" suffix) that may name a course.
const minBaseRunes = 2

// CourseOf finds the plan course a text names: by exact code, then by name
// (width, space and case aside, as models.SameCourseName compares), where
// the longest name contained in the text wins. A base name shared by
// several courses ("电路原理" for "电路原理（一）" and "电路原理（二）"), or
// several equally good matches, gives no match but the candidates.
func CourseOf(text string, plan []models.Course) (*models.Course, []models.Course) {
	return courseIn(prepare(text), plan)
}

// courseIn is CourseOf on a prepared text.
func courseIn(t string, plan []models.Course) (*models.Course, []models.Course) {
	if len(plan) == 0 {
		return nil, nil
	}
	found := coursesByCode(t, plan)
	if len(found) == 0 {
		found = coursesByName(t, plan)
	}

	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		c := found[0]
		return &c, nil
	default:
		return nil, found
	}
}

// coursesByCode returns the plan courses whose code stands alone in the
// text, not inside a longer run of letters and digits.
func coursesByCode(t string, plan []models.Course) []models.Course {
	tokens := map[string]bool{}
	for _, tok := range strings.FieldsFunc(t, func(r rune) bool { return !isASCIIAlnum(r) }) {
		tokens[strings.ToLower(tok)] = true
	}

	var found []models.Course
	for _, c := range plan {
		code := strings.ToLower(fold(c.Code))
		if code != "" && tokens[code] {
			found = append(found, c)
		}
	}
	return found
}

// nameMatch is how well a course's name matches a text: the length of the
// name form found, and whether it was the full name rather than its base.
type nameMatch struct {
	size int // runes; 0 for no match
	full int // 1 for the full name, 0 for its base
}

// compare orders matches, weakest first.
func (m nameMatch) compare(o nameMatch) int {
	return cmp.Or(cmp.Compare(m.size, o.size), cmp.Compare(m.full, o.full))
}

// coursesByName returns the plan courses whose names match the text best.
func coursesByName(t string, plan []models.Course) []models.Course {
	key := textKey(t)
	var best nameMatch
	var found []models.Course
	for _, c := range plan {
		m := matchName(key, c.Name)
		if m.size == 0 {
			continue
		}
		switch m.compare(best) {
		case 1:
			best, found = m, []models.Course{c}
		case 0:
			found = append(found, c)
		}
	}
	return found
}

// matchName returns the best form of a course name that the text key
// contains: the name, the name without brackets, or its base.
func matchName(key, name string) nameMatch {
	full := nameKey(name)
	if n := runesFound(key, full, 1); n > 0 {
		return nameMatch{size: n, full: 1}
	}
	if n := runesFound(key, unbracket.Replace(full), minBaseRunes); n > 0 {
		return nameMatch{size: n, full: 1}
	}
	if base := baseName(full); base != full {
		return nameMatch{size: runesFound(key, base, minBaseRunes)}
	}
	return nameMatch{}
}

// runesFound returns the length in runes of a name form that key contains,
// or 0 when it is absent or shorter than least.
func runesFound(key, form string, least int) int {
	n := utf8.RuneCountInString(form)
	if n < least || !strings.Contains(key, form) {
		return 0
	}
	return n
}

// baseName strips a course name's trailing part number: "(一)", "A",
// "2", "Ⅱ".
func baseName(name string) string {
	if strings.HasSuffix(name, ")") {
		if i := strings.LastIndex(name, "("); i > 0 {
			return name[:i]
		}
	}
	return strings.TrimRightFunc(name, func(r rune) bool {
		return isASCIIAlnum(r) || unicode.In(r, unicode.Nl)
	})
}

// unbracket removes brackets from a name key: "电路原理(一)" → "电路原理一".
var unbracket = strings.NewReplacer("(", "", ")", "")

// nameKey is the form in which names are compared: normalised, without
// spaces, in lower case.
func nameKey(name string) string {
	return textKey(fold(name))
}

// textKey is nameKey of a text already normalised.
func textKey(t string) string {
	return strings.ToLower(strings.ReplaceAll(t, " ", ""))
}

// isASCIIAlnum reports whether r is an ASCII letter or digit.
func isASCIIAlnum(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
