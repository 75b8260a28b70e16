package models

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// MaxDetails is the longest 详细情况 accepted, in characters.
const MaxDetails = 500

// MaxComment is the longest approval comment accepted, in characters.
const MaxComment = 500

var (
	mobileRe   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRe = regexp.MustCompile(`^(0\d{2,3})-?(\d{7,8})$`)
	phoneNoise = strings.NewReplacer(" ", "", "(", "", ")", "")
)

// Normalize folds full-width letters, digits and spaces to their ASCII
// forms, collapses runs of white space and trims the ends.
func Normalize(s string) string {
	s = width.Narrow.String(s)
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// NormalizePhone returns the phone number in its stored form: an 11-digit
// mainland mobile, or a landline as "area-number". It reports false when
// the input is neither.
func NormalizePhone(s string) (string, bool) {
	s = phoneNoise.Replace(Normalize(s))
	s = strings.TrimPrefix(s, "+86")
	if mobileRe.MatchString(s) {
		return s, true
	}
	if m := landlineRe.FindStringSubmatch(s); m != nil {
		return m[1] + "-" + m[2], true
	}
	return "", false
}

// MaskPhone hides the middle of a phone number for logs and pages that
// need not show it whole.
func MaskPhone(p string) string {
	r := []rune(p)
	if len(r) < 7 {
		return "***"
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}

// courseKey is the form in which course names are compared: narrow
// characters, no spaces, no brackets' width differences.
func courseKey(s string) string {
	return strings.ReplaceAll(Normalize(s), " ", "")
}

// SameCourseName reports whether two course names are the same once width
// and spacing are set aside.
func SameCourseName(a, b string) bool {
	return courseKey(a) == courseKey(b)
}

// ClosestCourses returns up to n courses of plan whose code or name is
// nearest to query, best first. Courses sharing nothing with it are left out.
func ClosestCourses(plan []Course, query string, n int) []Course {
	q := []rune(courseKey(query))
	type scored struct {
		c     Course
		score float64
	}
	var all []scored
	for _, c := range plan {
		s := max(similarity(q, []rune(courseKey(c.Name))), similarity(q, []rune(c.Code)))
		if s > 0 {
			all = append(all, scored{c, s})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })

	out := make([]Course, 0, n)
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].c)
	}
	return out
}

// similarity is 1 minus the edit distance over the longer length, or 0.
func similarity(a, b []rune) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	d := editDistance(a, b)
	longer := max(len(a), len(b))
	if d >= longer {
		return 0
	}
	return 1 - float64(d)/float64(longer)
}

// editDistance is the Levenshtein distance between two rune strings.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
