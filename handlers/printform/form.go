// Package printform renders a request as the paper form of its family
// (rule 8 of the spec): a PDF in an embedded CJK font, an HTML page that
// prints well from a phone, and the public page that a form's QR code
// opens to verify it.
package printform

import (
	"errors"
	"fmt"
	"time"

	"github.com/imut/xuewu/models"
)

// ErrIncomplete is returned when a Form lacks a value the form needs.
var ErrIncomplete = errors.New("printform: incomplete form")

// Form is everything a printed form shows. The caller loads it from the
// store; Request and Student are required, the rest may be nil or empty.
type Form struct {
	// Request is the request to print, with its Steps loaded.
	Request *models.Request
	Student *models.Student
	// Class and College are the student's; nil prints the class code and
	// no college.
	Class   *models.Class
	College *models.College
	// CourseCollege is the college offering the course of an exemption,
	// printed as 开课学院; nil leaves it blank. Unused for other kinds.
	CourseCollege *models.College
	// TargetClass is the class a demotion moves the student to, once the
	// registrar has chosen it; nil prints Request.TargetClass as a code.
	TargetClass *models.Class
	// Evidence is the request's photos; only stored ones are counted.
	Evidence []models.Evidence
	// VerifyURL is what the QR code encodes: PUBLIC_URL + "/h5/verify/" +
	// VerifyToken(key, id). Required.
	VerifyURL string
	// PrintedAt is the time printed on the form; zero means time.Now().
	PrintedAt time.Time
}

// check returns the kind's rule, or an error naming what is missing.
func (f Form) check() (models.KindRule, error) {
	if f.Request == nil || f.Student == nil {
		return models.KindRule{}, fmt.Errorf("%w: request and student are required", ErrIncomplete)
	}
	rule, ok := models.RuleFor(f.Request.Kind)
	if !ok {
		return models.KindRule{}, fmt.Errorf("%w: unknown kind %q", ErrIncomplete, f.Request.Kind)
	}
	if f.VerifyURL == "" {
		return models.KindRule{}, fmt.Errorf("%w: no verify URL", ErrIncomplete)
	}
	return rule, nil
}

// EvidenceList is what a form says about evidence: the documents the
// reason asks for and how many photos the student has sent. Photos are
// not tagged with the document they show, so the two are listed apart.
type EvidenceList struct {
	// Items are the documents the reason needs, in the guide's order.
	Items []string
	// Note is extra advice about the evidence; often empty.
	Note string
	// Photos counts the request's photos that have been stored.
	Photos int
}

// EvidenceFor returns the evidence list of a request of the kind and
// reason, counting the photos among evidence that have been stored.
func EvidenceFor(kind models.Kind, reason string, evidence []models.Evidence) EvidenceList {
	var l EvidenceList
	if rule, ok := models.RuleFor(kind); ok {
		if rs, ok := rule.Reason(reason); ok {
			l.Items, l.Note = rs.Evidence, rs.Note
		}
	}
	for _, ev := range evidence {
		if ev.Status == models.EvidenceStored {
			l.Photos++
		}
	}
	return l
}

// Lines returns the list as printed, one entry a line: the numbered
// documents (or that none is needed), the note, and the photo count.
func (l EvidenceList) Lines() []string {
	var out []string
	for i, item := range l.Items {
		out = append(out, fmt.Sprintf(evidenceItemFmt, i+1, item))
	}
	if len(l.Items) == 0 {
		out = append(out, evidenceNone)
	}
	if l.Note != "" {
		out = append(out, l.Note)
	}
	if l.Photos == 0 {
		return append(out, photosNone)
	}
	return append(out, fmt.Sprintf(photosFmt, l.Photos))
}
