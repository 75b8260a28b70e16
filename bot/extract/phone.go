package extract

import (
	"slices"
	"strings"

	"github.com/imut/xuewu/models"
)

// Phones returns every phone number in the text, normalised
// (models.NormalizePhone), distinct, in order. It finds 11-digit mobiles,
// perhaps written "139-0471-2233", "139 0471 2233" or "+86 13904712233",
// and landlines with their area code, "0471-6576286" or "(0471)6576286".
// Digits that belong to a longer run, such as an ID number or a 学号, are
// never taken for a phone.
func Phones(text string) []string {
	return phonesIn(prepare(text))
}

// The most one written phone number holds: "+86 139 0471 2233" has four
// groups of digits and 13 digits.
const (
	maxPhoneGroups = 4
	maxPhoneDigits = 13
)

// phonesIn is Phones on a prepared text. It walks the digit groups and
// takes, from each, the longest run of joined groups that is a phone.
func phonesIn(t string) []string {
	gs := digitGroups(t)
	var phones []string
	for i := 0; i < len(gs); {
		p, n := phoneFrom(gs[i:])
		if n == 0 {
			i++
			continue
		}
		if !slices.Contains(phones, p) {
			phones = append(phones, p)
		}
		i += n
	}
	return phones
}

// phoneFrom returns the phone that the longest run of joined groups at the
// start of gs spells, and how many groups it uses; 0 when none does.
func phoneFrom(gs []group) (string, int) {
	var phone string
	used, digits := 0, 0
	for n := 1; n <= min(len(gs), maxPhoneGroups); n++ {
		if n > 1 && !gs[n-1].joined {
			break
		}
		if digits += len(gs[n-1].digits); digits > maxPhoneDigits {
			break
		}
		if p, ok := phoneOf(gs[:n]); ok {
			phone, used = p, n
		}
	}
	return phone, used
}

// phoneOf reads joined groups as one phone number.
func phoneOf(gs []group) (string, bool) {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = g.digits
	}
	mobileOnly := gs[0].plus && strings.HasPrefix(parts[0], "86")
	if mobileOnly {
		parts[0] = strings.TrimPrefix(parts[0], "86")
		if parts[0] == "" {
			parts = parts[1:]
		}
	}
	if !wellShaped(parts) || !phoneLength(parts) {
		return "", false
	}

	p, ok := models.NormalizePhone(spell(parts))
	if !ok || (mobileOnly && !strings.HasPrefix(p, "1")) {
		return "", false
	}
	return p, true
}

// wellShaped reports whether digit parts can be one written number: one
// part, or short parts (at most 4 digits) ending with one of at most 8.
func wellShaped(parts []string) bool {
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if len(p) > 4 {
			return false
		}
	}
	return len(parts) == 1 || len(parts[len(parts)-1]) <= 8
}

// phoneLength reports whether digit parts hold as many digits as a phone:
// 11 for a mobile, 10 to 12 for a landline with its area code.
func phoneLength(parts []string) bool {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return 10 <= n && n <= 12
}

// spell writes digit parts as NormalizePhone reads them: a leading area
// code (0 and 2-3 digits) kept apart by "-", everything else joined.
func spell(parts []string) string {
	first := parts[0]
	if len(parts) > 1 && first[0] == '0' && len(first) >= 3 {
		return first + "-" + strings.Join(parts[1:], "")
	}
	return strings.Join(parts, "")
}

// group is a maximal run of ASCII digits in a text.
type group struct {
	digits string
	// joined is true when one separator links it to the group before:
	// " ", "-", or brackets around an area code.
	joined bool
	// plus is true when a "+" comes just before it, as in "+86".
	plus bool
}

// digitGroups returns the runs of digits of t in order.
func digitGroups(t string) []group {
	var gs []group
	prevEnd := -1
	for i := 0; i < len(t); {
		if !isDigit(t[i]) {
			i++
			continue
		}
		j := i
		for j < len(t) && isDigit(t[j]) {
			j++
		}
		gs = append(gs, group{
			digits: t[i:j],
			joined: prevEnd >= 0 && isJoint(t[prevEnd:i]),
			plus:   i > 0 && t[i-1] == '+',
		})
		prevEnd, i = j, j
	}
	return gs
}

// isJoint reports whether the text between two digit groups joins them
// into one written number: one space or hyphen, with perhaps a closing
// bracket before it or an opening one after it.
func isJoint(between string) bool {
	s := strings.TrimPrefix(between, ")")
	s = strings.TrimSuffix(s, "(")
	return s == "" || s == " " || s == "-"
}

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool {
	return '0' <= b && b <= '9'
}
