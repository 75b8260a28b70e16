// Package extract reads what a free sentence says about a request: the kind
// it names, the reason, the course of the student's plan and the phone
// numbers, so that the bot can start a form with those fields filled.
package extract

import (
	"strings"

	"github.com/imut/xuewu/models"
)

// maxRunes is how much of a message is read, in characters; the rest is
// ignored, so that a huge message costs no more than a long one.
const maxRunes = 2000

// Fields is what a sentence says about a request.
type Fields struct {
	// Kind is the kind the sentence names; "" when it names none, or two
	// equally.
	Kind models.Kind
	// Reason is a reason label of the kind's rule; "" if none is clear.
	Reason string
	// Course is the plan course the sentence names; nil if none or ambiguous.
	Course *models.Course
	// CourseCandidates are the plan courses that match equally well when
	// the sentence names a course ambiguously; nil otherwise.
	CourseCandidates []models.Course
	// Phones are the normalised phone numbers found, in order, distinct.
	Phones []string
}

// Extract reads a sentence against the student's plan. With a nil or empty
// plan no course is matched.
func Extract(text string, plan []models.Course) Fields {
	t := prepare(text)

	var f Fields
	f.Kind, _ = kindIn(t)
	if rule, ok := models.RuleFor(f.Kind); ok {
		f.Reason, _ = reasonIn(rule, t)
	}
	f.Course, f.CourseCandidates = courseIn(t, plan)
	f.Phones = phonesIn(t)
	return f
}

// prepare keeps the first maxRunes characters of a text, replaces invalid
// UTF-8 and normalises width and spaces (models.Normalize).
func prepare(text string) string {
	n := 0
	for i := range text {
		if n == maxRunes {
			text = text[:i]
			break
		}
		n++
	}
	return models.Normalize(strings.ToValidUTF8(text, "\uFFFD"))
}
