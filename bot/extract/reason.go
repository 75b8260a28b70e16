package extract

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/imut/xuewu/models"
)

// ReasonOf returns the reason label of the rule that the text names: by
// its number in the rule's list ("1", "１"), by its exact label, or by the
// keywords and labels it contains. Two different reasons named is no answer.
// A reason without keywords (其他) is a catch-all that only its number or
// its exact label selects.
func ReasonOf(rule models.KindRule, text string) (string, bool) {
	return reasonIn(rule, prepare(text))
}

// reasonIn is ReasonOf on a prepared text.
func reasonIn(rule models.KindRule, t string) (string, bool) {
	answer := strings.TrimFunc(t, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	})
	if label, ok := reasonByNumber(rule, answer); ok {
		return label, true
	}
	if label, ok := reasonByLabel(rule, answer); ok {
		return label, true
	}
	if named := reasonsNamed(rule, t); len(named) == 1 {
		return named[0], true
	}
	return "", false
}

// reasonByNumber reads an answer such as "2" as the rule's second reason.
func reasonByNumber(rule models.KindRule, answer string) (string, bool) {
	if answer == "" || len(answer) > 2 || strings.Trim(answer, "0123456789") != "" {
		return "", false
	}
	n, err := strconv.Atoi(answer)
	if err != nil || n < 1 || n > len(rule.Reasons) {
		return "", false
	}
	return rule.Reasons[n-1].Label, true
}

// reasonByLabel reads an answer that is exactly one of the rule's labels.
func reasonByLabel(rule models.KindRule, answer string) (string, bool) {
	for _, r := range rule.Reasons {
		if fold(r.Label) == answer {
			return r.Label, true
		}
	}
	return "", false
}

// reasonsNamed returns the distinct labels of the rule's reasons whose
// keywords or label the text contains, in the rule's order.
func reasonsNamed(rule models.KindRule, t string) []string {
	found := make([]bool, len(rule.Reasons))
	for _, h := range hits(t, reasonTerms(rule)) {
		found[h.owner] = true
	}

	var labels []string
	for i, r := range rule.Reasons {
		if found[i] && !slices.Contains(labels, r.Label) {
			labels = append(labels, r.Label)
		}
	}
	return labels
}

// reasonTerms returns the keywords and labels of the rule's reasons that
// have keywords, owned by the reason's index.
func reasonTerms(rule models.KindRule) []term {
	var terms []term
	for i, r := range rule.Reasons {
		if len(r.Keywords) == 0 {
			continue
		}
		terms = append(terms, newTerm(i, r.Label))
		for _, k := range r.Keywords {
			terms = append(terms, newTerm(i, k))
		}
	}
	return terms
}
