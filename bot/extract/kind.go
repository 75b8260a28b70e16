package extract

import (
	"slices"
	"sync"

	"github.com/imut/xuewu/models"
)

// KindOf returns the kind a message names, if any: "缓考", "我要休学",
// "休学期满了想复学". A keyword just after a negation (不想退学) does not
// count, nor one inside a longer keyword ("重读" in "预科重读"). When several
// kinds are named, one that describes a state (休学期满) ranks last, then
// one after a word of intent (想, 申请) wins, then the longest keyword, then
// the kind whose reason is named too; a tie names no kind.
func KindOf(text string) (models.Kind, bool) {
	return kindIn(prepare(text))
}

// kindIn is KindOf on a prepared text.
func kindIn(t string) (models.Kind, bool) {
	var ranked []mention
	reasoned := map[int]bool{}
	for _, h := range hits(t, kindTerms()) {
		if _, ok := reasoned[h.owner]; !ok {
			reasoned[h.owner] = len(reasonsNamed(models.Rules[h.owner], t)) > 0
		}
		m := mentionOf(t, h, reasoned[h.owner])
		i := slices.IndexFunc(ranked, func(o mention) bool { return o.rule == m.rule })
		if i < 0 {
			ranked = append(ranked, m)
		} else if m.beats(ranked[i]) {
			ranked[i] = m
		}
	}
	if len(ranked) == 0 {
		return "", false
	}

	slices.SortStableFunc(ranked, func(a, b mention) int {
		return slices.Compare(b.rank[:], a.rank[:])
	})
	if len(ranked) > 1 && ranked[0].rank == ranked[1].rank {
		return "", false
	}
	return models.Rules[ranked[0].rule].Kind, true
}

// kindTerms returns the keywords of every kind, owned by their rule's index
// in models.Rules.
var kindTerms = sync.OnceValue(func() []term {
	var terms []term
	for i, r := range models.Rules {
		for _, k := range r.Keywords {
			terms = append(terms, newTerm(i, k))
		}
	}
	return terms
})

// mention is a kind's keyword in a text, with how strongly it asks for the
// kind.
type mention struct {
	rule int // index in models.Rules
	// rank orders mentions: not a background state, after an intent,
	// keyword length, a reason of the kind also named. Higher is stronger.
	rank [4]int
}

// mentionOf ranks one hit of a kind's keyword; reasoned tells whether the
// text names a reason of the kind.
func mentionOf(t string, h hit, reasoned bool) mention {
	return mention{rule: h.owner, rank: [4]int{
		flag(!hasAnyPrefix(t[h.end:], backgrounds)),
		flag(hasAnySuffix(t[:h.start], intents)),
		h.size,
		flag(reasoned),
	}}
}

// beats reports whether m ranks above o.
func (m mention) beats(o mention) bool {
	return slices.Compare(m.rank[:], o.rank[:]) > 0
}

// flag is 1 for true and 0 for false.
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}
