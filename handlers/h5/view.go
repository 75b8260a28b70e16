package h5

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/imut/xuewu/models"
)

// requestView is a request as the pages show it, every value ready to
// print.
type requestView struct {
	ID          uint64
	Kind        models.Kind
	KindLabel   string
	Status      models.RequestStatus
	StatusLabel string
	StudentName string
	StudentNo   string
	ClassName   string
	CollegeName string
	Reason      string
	CourseCode  string
	CourseName  string
	Phones      []string
	Details     string
	Submitted   string
	Deadline    string
	// DaysLeft is said while the request is open.
	DaysLeft string
	// TargetClass is a granted demotion's new class.
	TargetClass string
}

// stepView is one step of the chain.
type stepView struct {
	ID          uint64
	RoleLabel   string
	Status      models.StepStatus
	StatusLabel string
	Decider     string
	DecidedAt   string
	Comment     string
	Current     bool
}

// evidenceView is what the reason asks for and the photos sent.
type evidenceView struct {
	Items  []string
	Note   string
	Photos []photoView
}

// photoView is one photo; only a stored one has a file to show.
type photoView struct {
	N      int
	ID     uint64
	Status models.EvidenceStatus
}

// eventView is one line of the history.
type eventView struct {
	At      string
	Actor   string
	Action  string
	Comment string
}

// when writes a time as people read it, in China time.
func when(t time.Time) string {
	return models.ChinaTime(t).Format(timeLayout)
}

// daysLeft says how many calendar days (China time) remain until the
// deadline.
func daysLeft(now, deadline time.Time) string {
	if now.After(deadline) {
		return pastDeadline
	}
	day := func(t time.Time) time.Time {
		c := models.ChinaTime(t)
		return time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, time.UTC)
	}
	n := int(day(deadline).Sub(day(now)).Hours() / 24)
	if n == 0 {
		return dueToday
	}
	return fmt.Sprintf(daysLeftFmt, n)
}

// kindLabel is the Chinese name of a kind, or its code.
func kindLabel(k models.Kind) string {
	if r, ok := models.RuleFor(k); ok {
		return r.Label
	}
	return string(k)
}

// viewRequest prepares a request and its student for a page.
func (p *Pages) viewRequest(ctx context.Context, req *models.Request,
	st *models.Student) (requestView, error) {
	v := requestView{
		ID: req.ID, Kind: req.Kind, KindLabel: kindLabel(req.Kind),
		Status: req.Status, StatusLabel: req.Status.Label(),
		StudentName: st.Name, StudentNo: st.No, ClassName: st.ClassCode,
		Reason: req.Reason, CourseCode: req.CourseCode, CourseName: req.CourseName,
		Phones: req.PhoneList(), Details: req.Details,
		Submitted: when(req.SubmittedAt), Deadline: when(req.Deadline),
	}
	if req.Status.Open() {
		v.DaysLeft = daysLeft(p.now(), req.Deadline)
	}
	db := p.store.DB()
	if st.Class != nil {
		v.ClassName, v.CollegeName = st.Class.Name, st.Class.CollegeCode
		c, err := collegeByCode(ctx, db, st.Class.CollegeCode)
		if err = missingOK(err); err != nil {
			return v, err
		}
		if c != nil {
			v.CollegeName = c.Name
		}
	}
	if req.TargetClass != "" {
		v.TargetClass = req.TargetClass
		c, err := classByCode(ctx, db, req.TargetClass)
		if err = missingOK(err); err != nil {
			return v, err
		}
		if c != nil {
			v.TargetClass = c.Name + "（" + c.Code + "）"
		}
	}
	return v, nil
}

// viewSteps prepares the chain, marking the current step.
func viewSteps(req *models.Request) []stepView {
	cur := req.Current()
	out := make([]stepView, len(req.Steps))
	for i := range req.Steps {
		out[i] = viewStep(&req.Steps[i])
		out[i].Current = cur != nil && req.Status == models.RequestPending &&
			cur.ID == req.Steps[i].ID
	}
	return out
}

func viewStep(s *models.Step) stepView {
	v := stepView{ID: s.ID, RoleLabel: models.RoleLabel(s.Role), Status: s.Status,
		StatusLabel: stepStatusLabel(s.Status), Decider: s.DeciderName, Comment: s.Comment}
	if s.DecidedAt != nil {
		v.DecidedAt = when(*s.DecidedAt)
	}
	return v
}

// viewEvidence lists what the reason asks for and the photos sent.
func (p *Pages) viewEvidence(ctx context.Context, req *models.Request) (evidenceView, error) {
	var v evidenceView
	if rule, ok := models.RuleFor(req.Kind); ok {
		if r, ok := rule.Reason(req.Reason); ok {
			v.Items, v.Note = r.Evidence, r.Note
		}
	}
	photos, err := p.store.EvidenceOf(ctx, req.ID)
	if err != nil {
		return v, err
	}
	for i, ph := range photos {
		v.Photos = append(v.Photos, photoView{N: i + 1, ID: ph.ID, Status: ph.Status})
	}
	return v, nil
}

// viewHistory prepares the audit trail, naming the people in it.
func (p *Pages) viewHistory(ctx context.Context, req *models.Request,
	st *models.Student) ([]eventView, error) {
	evs, err := p.store.Events(ctx, req.ID)
	if err != nil {
		return nil, err
	}
	var staffNos []string
	for _, ev := range evs {
		if no, ok := strings.CutPrefix(ev.Actor, "staff:"); ok {
			staffNos = append(staffNos, no)
		}
	}
	names, err := staffNames(ctx, p.store.DB(), staffNos)
	if err != nil {
		return nil, err
	}

	out := make([]eventView, len(evs))
	for i, ev := range evs {
		out[i] = eventView{At: when(ev.At), Actor: actorName(ev.Actor, st, names),
			Action: eventActionLabel(ev.Action), Comment: ev.Comment}
	}
	return out, nil
}

// actorName names who did something: the student, a staff member by name
// and 工号, or the system.
func actorName(actor string, st *models.Student, staff map[string]string) string {
	if no, ok := strings.CutPrefix(actor, "staff:"); ok {
		name := staff[no]
		if name == "" {
			return no
		}
		return fmt.Sprintf(actorStaff, name, no)
	}
	if no, ok := strings.CutPrefix(actor, "student:"); ok {
		name := no
		if st != nil && st.No == no {
			name = st.Name
		}
		return fmt.Sprintf(actorStudent, name, no)
	}
	if actor == "system" {
		return actorSystem
	}
	return actor
}
