package printform

import (
	"fmt"
	"strings"
	"time"

	"github.com/imut/xuewu/models"
)

// field is one labelled value of the form's table.
type field struct {
	Label, Value string
}

// pair is one row of the form's table: two labelled values.
type pair struct {
	A, B field
}

// signBox is the box of one step of the kind's chain: the decision the
// system recorded, or blank lines to sign by hand.
type signBox struct {
	Role    string
	Opinion string
	Foot    string
}

// document is a form's content, which the PDF and HTML renderers lay out
// alike: one page per entry of Copies, the pages the same but for it.
type document struct {
	Title  string
	Copies []string
	Number string
	// Rows come first in the table; Wide rows span it, below them.
	Rows      []pair
	Wide      []field
	Signs     []signBox
	Notes     []string
	Warning   string
	Printed   string
	VerifyURL string
}

// newDocument assembles the content of a checked form.
func newDocument(f Form, rule models.KindRule) document {
	r := f.Request
	printed := f.PrintedAt
	if printed.IsZero() {
		printed = time.Now()
	}
	d := document{
		Title:     title(rule),
		Copies:    copyLabels(rule),
		Number:    fmt.Sprintf(numberFmt, r.ID),
		Signs:     signBoxes(rule, r.Steps),
		Notes:     notes(rule),
		Warning:   fmt.Sprintf(noteDeadline, models.DeadlineDays, longTime(r.Deadline)),
		Printed:   fmt.Sprintf(printedFmt, longTime(printed)),
		VerifyURL: f.VerifyURL,
	}
	var fields []field
	if rule.Family == models.FamilyExam {
		fields = examFields(f, rule)
	} else {
		fields, d.Wide = statusFields(f, rule)
	}
	d.Rows = pairs(fields)
	lines := EvidenceFor(r.Kind, r.Reason, f.Evidence).Lines()
	d.Wide = append(d.Wide, field{labelEvidence, strings.Join(lines, "\n")})
	return d
}

// pairs puts fields two to a row, the last one alone when they are odd.
func pairs(fields []field) []pair {
	out := make([]pair, 0, (len(fields)+1)/2)
	for i := 0; i < len(fields); i += 2 {
		p := pair{A: fields[i]}
		if i+1 < len(fields) {
			p.B = fields[i+1]
		}
		out = append(out, p)
	}
	return out
}

func title(rule models.KindRule) string {
	if rule.Family == models.FamilyExam {
		return fmt.Sprintf(titleExamFmt, rule.Label)
	}
	return titleStatus
}

// copyLabels names the pages: an exam form's two parts, or the numbered
// copies of a status change that needs more than one.
func copyLabels(rule models.KindRule) []string {
	n := max(rule.Copies, 1)
	if rule.Family == models.FamilyExam {
		var out []string
		for i := range n {
			for _, part := range examParts {
				if n > 1 {
					part += " " + fmt.Sprintf(copyFmt, i+1, n)
				}
				out = append(out, part)
			}
		}
		return out
	}
	if n == 1 {
		return []string{""}
	}
	out := make([]string, n)
	for i := range n {
		out[i] = fmt.Sprintf(copyFmt, i+1, n)
	}
	return out
}

func examFields(f Form, rule models.KindRule) []field {
	r, st := f.Request, f.Student
	fs := []field{
		{labelName, st.Name}, {labelStudentNo, st.No},
		{labelGender, st.Gender}, {labelPhone, strings.Join(r.PhoneList(), "，")},
		{labelClass, className(f.Class, st.ClassCode)}, {labelCollege, collegeName(f.College)},
		{labelCourseCode, r.CourseCode}, {labelCourseName, r.CourseName},
		{labelType, rule.Label}, {labelReason, r.Reason},
		{labelSubmitted, longDate(r.SubmittedAt)}, {labelDeadline, longTime(r.Deadline)},
	}
	if rule.Kind == models.KindExemption {
		reason, _ := rule.Reason(r.Reason)
		fs = append(fs, field{labelGrade, reason.Grade},
			field{labelCourseOffice, collegeName(f.CourseCollege)})
	}
	return fs
}

func statusFields(f Form, rule models.KindRule) (pairs, wide []field) {
	r, st := f.Request, f.Student
	pairs = []field{
		{labelName, st.Name}, {labelStudentNo, st.No},
		{labelGender, st.Gender}, {labelCollege, collegeName(f.College)},
		{labelClass, className(f.Class, st.ClassCode)}, {labelChangeType, rule.ChangeType},
		{labelChangeReason, r.Reason}, {labelSubmitted, longDate(r.SubmittedAt)},
		{labelDeadline, longTime(r.Deadline)},
	}
	if rule.Kind == models.KindDemotion {
		pairs = append(pairs, field{labelTargetClass, className(f.TargetClass, r.TargetClass)})
	}
	var phones []string
	for i, p := range r.PhoneList() {
		phones = append(phones, fmt.Sprintf(phoneFmt, i+1, p))
	}
	wide = []field{
		{labelPhone, strings.Join(phones, phoneSep)},
		{labelDetails, r.Details},
	}
	return pairs, wide
}

// signBoxes makes one box per step of the chain, from the latest step of
// each place: a returned step is followed by a fresh waiting one.
func signBoxes(rule models.KindRule, steps []models.Step) []signBox {
	boxes := make([]signBox, len(rule.Chain))
	for i, sr := range rule.Chain {
		boxes[i] = signBox{Role: signTitle(rule, sr),
			Opinion: signBlankOpinion, Foot: signBlankName + signGap + signBlankDate}
		st := latestStep(steps, i)
		if st == nil || st.Status == models.StepWaiting {
			continue
		}
		boxes[i].Opinion = fmt.Sprintf(signDecisionFmt, decisionLabels[st.Status])
		boxes[i].Foot = fmt.Sprintf(signDeciderFmt, st.DeciderName) + signGap +
			fmt.Sprintf(signDateFmt, decidedOn(st))
	}
	return boxes
}

func decidedOn(st *models.Step) string {
	if st.DecidedAt == nil {
		return ""
	}
	return longDate(*st.DecidedAt)
}

// roleName names who decides a step, as staff know the role.
func roleName(sr models.StepRule) string {
	if sr.Scope == models.ScopeCourseCollege {
		return signCourseCollege + models.RoleLabel(sr.Role)
	}
	return models.RoleLabel(sr.Role)
}

// signTitle heads a step's box; on a status change the college's office
// stamps beside the dean's signature.
func signTitle(rule models.KindRule, sr models.StepRule) string {
	title := roleName(sr) + signOpinionSuffix
	if rule.Family == models.FamilyStatus && sr.Role == models.RoleDean {
		title += signStampSuffix
	}
	return title
}

// latestStep returns the last step at place seq of the chain, or nil.
func latestStep(steps []models.Step, seq int) *models.Step {
	var out *models.Step
	for i := range steps {
		if steps[i].Seq == seq && (out == nil || steps[i].ID >= out.ID) {
			out = &steps[i]
		}
	}
	return out
}

func notes(rule models.KindRule) []string {
	roles := make([]string, len(rule.Chain))
	for i, sr := range rule.Chain {
		roles[i] = roleName(sr)
	}
	route := fmt.Sprintf(noteRouteFmt, strings.Join(roles, noteRouteSep))
	if rule.Family == models.FamilyExam {
		return []string{noteCourse, route + noteTeacher}
	}
	return []string{route}
}

func className(c *models.Class, code string) string {
	if c != nil {
		return c.Name
	}
	return code
}

func collegeName(c *models.College) string {
	if c == nil {
		return ""
	}
	return c.Name
}

func longDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return models.ChinaTime(t).Format(dateLayout)
}

func longTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return models.ChinaTime(t).Format(timeLayout)
}
