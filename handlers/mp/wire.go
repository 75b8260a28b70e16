package mp

import (
	"strconv"
	"time"

	"github.com/imut/xuewu/models"
)

// kindJSON is one request kind as the rules table describes it, and
// whether the student may file it now.
type kindJSON struct {
	Kind        string       `json:"kind"`
	Label       string       `json:"label"`
	Family      string       `json:"family"`
	ChangeType  string       `json:"change_type,omitempty"`
	NeedsCourse bool         `json:"needs_course"`
	Phones      int          `json:"phones"`
	Details     bool         `json:"details"`
	DetailsMax  int          `json:"details_max,omitempty"`
	Copies      int          `json:"copies"`
	Reasons     []reasonJSON `json:"reasons"`
	Chain       []roleJSON   `json:"chain"`
	// Eligible and Refusal are given to a student: whether the kind may be
	// filed now, and if not, why (rule 5).
	Eligible *bool  `json:"eligible,omitempty"`
	Refusal  string `json:"refusal,omitempty"`
}

// reasonJSON is one reason of a kind with the evidence it needs.
type reasonJSON struct {
	Label    string   `json:"label"`
	Evidence []string `json:"evidence"`
	Note     string   `json:"note,omitempty"`
	// Courses limits the reason to courses of these names (退役士兵).
	Courses []string `json:"courses,omitempty"`
	// Grade is recorded for a granted exemption.
	Grade string `json:"grade,omitempty"`
}

// roleJSON is a role and its Chinese name.
type roleJSON struct {
	Role  string `json:"role"`
	Label string `json:"label"`
}

func toKindJSON(r *models.KindRule) kindJSON {
	out := kindJSON{
		Kind: string(r.Kind), Label: r.Label, Family: string(r.Family),
		ChangeType: r.ChangeType, NeedsCourse: r.NeedsCourse, Phones: r.Phones,
		Details: r.Details, Copies: r.Copies,
		Reasons: make([]reasonJSON, 0, len(r.Reasons)),
		Chain:   make([]roleJSON, 0, len(r.Chain)),
	}
	if r.Details {
		out.DetailsMax = models.MaxDetails
	}
	for _, rs := range r.Reasons {
		out.Reasons = append(out.Reasons, reasonJSON{Label: rs.Label,
			Evidence: nonNil(rs.Evidence), Note: rs.Note, Courses: rs.Courses, Grade: rs.Grade})
	}
	for _, st := range r.Chain {
		out.Chain = append(out.Chain, toRoleJSON(st.Role))
	}
	return out
}

func toRoleJSON(r models.Role) roleJSON {
	return roleJSON{Role: string(r), Label: models.RoleLabel(r)}
}

// courseJSON is a course of the student's plan.
type courseJSON struct {
	Code    string  `json:"code"`
	Name    string  `json:"name"`
	Credits float64 `json:"credits"`
}

func toCourseJSON(c *models.Course) courseJSON {
	return courseJSON{Code: c.Code, Name: c.Name, Credits: c.Credits}
}

// requestJSON is a request as the student's list shows it.
type requestJSON struct {
	ID          uint64 `json:"id"`
	Kind        string `json:"kind"`
	KindLabel   string `json:"kind_label"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	Reason      string `json:"reason"`
	CourseCode  string `json:"course_code"`
	CourseName  string `json:"course_name"`
	SubmittedAt string `json:"submitted_at"`
	// Deadline is the end of the tenth day, RFC3339 in China time.
	Deadline string `json:"deadline"`
	// CurrentStep is the role awaited; null when no step waits.
	CurrentStep *roleJSON `json:"current_step"`
	// Editable tells whether the student may still edit or delete it.
	Editable bool   `json:"editable"`
	PrintURL string `json:"print_url"`
}

// requestDetailJSON is one request in full, with its steps.
type requestDetailJSON struct {
	requestJSON
	Phones  []string `json:"phones"`
	Details string   `json:"details"`
	// Evidence lists what the reason asks the student to bring.
	Evidence     []string   `json:"evidence"`
	EvidenceNote string     `json:"evidence_note,omitempty"`
	Steps        []stepJSON `json:"steps"`
}

// stepJSON is one approval step; a returned step stays in the list and a
// new waiting step of the same seq follows it.
type stepJSON struct {
	Seq         int     `json:"seq"`
	Role        string  `json:"role"`
	RoleLabel   string  `json:"role_label"`
	Status      string  `json:"status"`
	StatusLabel string  `json:"status_label"`
	DeciderName string  `json:"decider_name,omitempty"`
	DecidedAt   *string `json:"decided_at"`
	Comment     string  `json:"comment,omitempty"`
}

func (a *API) toRequestJSON(r *models.Request, studentNo string) requestJSON {
	rule, _ := models.RuleFor(r.Kind)
	out := requestJSON{
		ID: r.ID, Kind: string(r.Kind), KindLabel: rule.Label,
		Status: string(r.Status), StatusLabel: r.Status.Label(),
		Reason: r.Reason, CourseCode: r.CourseCode, CourseName: r.CourseName,
		SubmittedAt: chinaTime(r.SubmittedAt), Deadline: chinaTime(r.Deadline),
		Editable: r.EditableBy(studentNo) == nil,
		PrintURL: a.printURL(r.ID),
	}
	if cur := r.Current(); cur != nil && r.Status.Open() {
		role := toRoleJSON(cur.Role)
		out.CurrentStep = &role
	}
	return out
}

func (a *API) toDetailJSON(r *models.Request, studentNo string) requestDetailJSON {
	rule, _ := models.RuleFor(r.Kind)
	reason, _ := rule.Reason(r.Reason)
	out := requestDetailJSON{
		requestJSON: a.toRequestJSON(r, studentNo),
		Phones:      nonNil(r.PhoneList()), Details: r.Details,
		Evidence: nonNil(reason.Evidence), EvidenceNote: reason.Note,
		Steps: make([]stepJSON, 0, len(r.Steps)),
	}
	for i := range r.Steps {
		out.Steps = append(out.Steps, toStepJSON(&r.Steps[i]))
	}
	return out
}

func toStepJSON(s *models.Step) stepJSON {
	out := stepJSON{Seq: s.Seq, Role: string(s.Role), RoleLabel: models.RoleLabel(s.Role),
		Status: string(s.Status), StatusLabel: stepStatusLabels[s.Status],
		DeciderName: s.DeciderName, Comment: s.Comment}
	if s.DecidedAt != nil {
		at := chinaTime(*s.DecidedAt)
		out.DecidedAt = &at
	}
	return out
}

// printURL is the request's printable form under /h5.
func (a *API) printURL(id uint64) string {
	return a.base + "/h5/print/" + strconv.FormatUint(id, 10)
}

// chinaTime formats t as RFC3339 in China time (+08:00), to the second.
func chinaTime(t time.Time) string {
	return models.ChinaTime(t).Format(time.RFC3339)
}

// nonNil returns s, or an empty slice for nil, so that JSON shows [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
