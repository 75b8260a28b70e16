package extract_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/imut/xuewu/bot/extract"
	"github.com/imut/xuewu/models"
)

func FuzzExtract(f *testing.F) {
	for _, tc := range extractCases {
		f.Add(tc.text)
	}
	f.Add("+86 (0471)-657 6286 139-0471-2233 150102199901011234")
	f.Add("不不不想想想申请申请缓考缓考预科重读重读")
	f.Add(strings.Repeat("缓考", 1500))
	f.Add("\xff\xfe缓考\x80１３９")

	f.Fuzz(func(t *testing.T, text string) {
		p := plan()
		got := extract.Extract(text, p)

		for _, ph := range got.Phones {
			if n, ok := models.NormalizePhone(ph); !ok || n != ph {
				t.Errorf("phone %q normalises to %q, %v", ph, n, ok)
			}
		}
		if len(slices.Compact(slices.Clone(got.Phones))) != len(got.Phones) {
			t.Errorf("phones repeat: %v", got.Phones)
		}
		if got.Course != nil && !slices.Contains(p, *got.Course) {
			t.Errorf("course %+v is not in the plan", *got.Course)
		}
		if got.Course != nil && got.CourseCandidates != nil {
			t.Errorf("both a course and candidates: %+v", got)
		}
		for _, c := range got.CourseCandidates {
			if !slices.Contains(p, c) {
				t.Errorf("candidate %+v is not in the plan", c)
			}
		}
		checkReason(t, got)
	})
}

// checkReason fails unless a set reason is a label of the kind's rule.
func checkReason(t *testing.T, f extract.Fields) {
	t.Helper()
	if f.Reason == "" {
		return
	}
	rule, ok := models.RuleFor(f.Kind)
	if !ok {
		t.Fatalf("reason %q without a kind", f.Reason)
	}
	if _, ok := rule.Reason(f.Reason); !ok {
		t.Errorf("reason %q is not one of %s", f.Reason, f.Kind)
	}
}

func BenchmarkExtract(b *testing.B) {
	p := plan()
	text := extractCases[0].text
	for b.Loop() {
		extract.Extract(text, p)
	}
}

func BenchmarkExtractLongest(b *testing.B) {
	p := plan()
	text := strings.Repeat("我生病了不想退学想缓考电路原理，电话139-0471-2233，", 100)
	for b.Loop() {
		extract.Extract(text, p)
	}
}
