package extract

import (
	"strings"
	"unicode/utf8"
)

// maxHits bounds the occurrences of keywords considered in one text; a real
// message has a handful.
const maxHits = 64

// maxFillers is how many fillers may stand between a negation and the
// keyword it denies.
const maxFillers = 4

// term is a word that points to something: a kind or a reason, by index.
type term struct {
	owner int
	word  string
	size  int // in runes
}

// hit is one occurrence of a term in a text, as byte offsets.
type hit struct {
	term
	start, end int
	denied     bool // a negation comes just before it
}

// newTerm returns the term of a word in its normalised form.
func newTerm(owner int, word string) term {
	w := fold(word)
	return term{owner: owner, word: w, size: utf8.RuneCountInString(w)}
}

// hits returns the occurrences of the terms in t that no longer occurrence
// covers and no negation denies. A denied occurrence still covers: in
// "不想预科重读" the "重读" is denied with its "预科重读".
func hits(t string, terms []term) []hit {
	var hs []hit
	for _, tm := range terms {
		hs = appendHits(hs, t, tm)
	}

	var out []hit
	for _, h := range hs {
		if !h.denied && !covered(h, hs) {
			out = append(out, h)
		}
	}
	return out
}

// appendHits adds the occurrences of one term, up to maxHits in all.
func appendHits(hs []hit, t string, tm term) []hit {
	if tm.word == "" {
		return hs
	}
	for off := 0; len(hs) < maxHits; {
		i := strings.Index(t[off:], tm.word)
		if i < 0 {
			break
		}
		start := off + i
		off = start + len(tm.word)
		hs = append(hs, hit{term: tm, start: start, end: off, denied: negated(t[:start])})
	}
	return hs
}

// covered reports whether a longer hit of hs spans h.
func covered(h hit, hs []hit) bool {
	for _, o := range hs {
		if o.size > h.size && o.start <= h.start && o.end >= h.end {
			return true
		}
	}
	return false
}

// negated reports whether the text just before a keyword denies it: a
// negation, perhaps followed by a few fillers (不想申请退学).
func negated(before string) bool {
	b := stripFillers(before)
	for _, w := range negations {
		if strings.HasSuffix(b, w) {
			return true
		}
	}
	return false
}

// stripFillers removes up to maxFillers fillers, and spaces, from the end.
func stripFillers(s string) string {
	s = strings.TrimRight(s, " ")
	for range maxFillers {
		t := trimAnySuffix(s, fillers)
		if t == s {
			break
		}
		s = strings.TrimRight(t, " ")
	}
	return s
}

// trimAnySuffix removes the first of words that ends s, if any.
func trimAnySuffix(s string, words []string) string {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return strings.TrimSuffix(s, w)
		}
	}
	return s
}

// hasAnySuffix reports whether s, without trailing spaces, ends with one
// of words.
func hasAnySuffix(s string, words []string) bool {
	s = strings.TrimRight(s, " ")
	return trimAnySuffix(s, words) != s
}

// hasAnyPrefix reports whether s, without leading spaces, starts with one
// of words.
func hasAnyPrefix(s string, words []string) bool {
	s = strings.TrimLeft(s, " ")
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}
