package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/imut/xuewu/models"
)

// CardKind picks the WeChat template a message uses.
type CardKind string

// The three cards: an approver's task, a student's progress, a reminder.
const (
	CardApproval CardKind = "approval"
	CardProgress CardKind = "progress"
	CardReminder CardKind = "reminder"
)

// Field is one labelled line of a card.
type Field struct {
	Label string
	Value string
}

// Outgoing is one message to one person.
type Outgoing struct {
	// Key identifies the delivery; WeChat drops a repeat of the same key.
	Key    string
	To     Recipient
	Card   CardKind
	Title  string
	Fields []Field
	Remark string
	URL    string
}

// Recipient names a student or staff member.
type Recipient struct {
	Type string // models.RecipientStudent or models.RecipientStaff
	No   string
}

// Body is the message as plain text, for text messages and the record.
func (o Outgoing) Body() string {
	var sb strings.Builder
	sb.WriteString(o.Title)
	for _, f := range o.Fields {
		if f.Value != "" {
			fmt.Fprintf(&sb, "\n%s：%s", f.Label, f.Value)
		}
	}
	if o.Remark != "" {
		sb.WriteString("\n" + o.Remark)
	}
	return sb.String()
}

// composer turns workflow notices into messages.
type composer struct {
	store     *models.Store
	publicURL string
}

// subject is what every notice about a request needs.
type subject struct {
	req     *models.Request
	rule    models.KindRule
	student *models.Student
}

func (c composer) load(ctx context.Context, id uint64) (*subject, error) {
	req, err := c.store.RequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	st, err := c.store.StudentByNo(ctx, req.StudentNo)
	if err != nil {
		return nil, err
	}
	rule, _ := models.RuleFor(req.Kind)
	return &subject{req: req, rule: rule, student: st}, nil
}

func (s *subject) kindTitle() string {
	if s.req.CourseName != "" {
		return s.rule.Label + "·" + s.req.CourseName
	}
	return s.rule.Label
}

func (s *subject) studentRecipient() Recipient {
	return Recipient{Type: models.RecipientStudent, No: s.student.No}
}

func (c composer) link(page string, id uint64) string {
	return c.publicURL + "/h5/" + page + "/" + strconv.FormatUint(id, 10)
}

// compose returns the messages a notice causes.
func (c composer) compose(ctx context.Context, n models.Notice) ([]Outgoing, error) {
	if n.Type == models.NoticeReminder && n.RequestID == 0 {
		return c.suspensionReminder(ctx, n)
	}
	s, err := c.load(ctx, n.RequestID)
	if err != nil {
		return nil, err
	}
	switch n.Type {
	case models.NoticeStepReady:
		return c.toApprovers(ctx, s, stepByID(s.req, n.StepID))
	case models.NoticeStepDecided:
		return c.stepPassed(ctx, s, stepByID(s.req, n.StepID))
	case models.NoticeReturned:
		return c.returned(s, stepByID(s.req, n.StepID)), nil
	case models.NoticeRejected:
		return c.rejected(s, stepByID(s.req, n.StepID)), nil
	case models.NoticeApproved:
		return c.approved(ctx, s)
	case models.NoticeExpired:
		return c.expired(ctx, s)
	case models.NoticeReminder:
		return c.deadlineReminder(ctx, s, n.Reminder)
	}
	return nil, nil
}

func stepByID(r *models.Request, id uint64) *models.Step {
	for i := range r.Steps {
		if r.Steps[i].ID == id {
			return &r.Steps[i]
		}
	}
	return r.Current()
}

// toApprovers is the approval card for each staff member the step names.
func (c composer) toApprovers(ctx context.Context, s *subject, step *models.Step) ([]Outgoing, error) {
	if step == nil || step.Status != models.StepWaiting || s.req.Status != models.RequestPending {
		return nil, nil // decided or withdrawn before the card went out
	}
	staff, err := c.store.Approvers(ctx, step)
	if err != nil {
		return nil, err
	}
	var out []Outgoing
	for _, sf := range staff {
		out = append(out, Outgoing{
			To:    Recipient{Type: models.RecipientStaff, No: sf.No},
			Card:  CardApproval,
			Title: fmt.Sprintf(txtCardApproval, s.student.Name, s.rule.Label, s.req.ID),
			Fields: []Field{
				{lblStudent, s.student.Name + "（" + s.student.No + "）"},
				{lblKind, s.rule.Label}, {lblReason, s.req.Reason},
				{lblCourse, courseText(s.req)},
				{lblSubmitted, when(s.req.SubmittedAt)}, {lblDeadline, when(s.req.Deadline)},
			},
			Remark: txtRemarkApprove,
			URL:    c.link("approve", s.req.ID),
		})
	}
	return out, nil
}

func courseText(r *models.Request) string {
	if r.CourseCode == "" {
		return ""
	}
	return r.CourseCode + " " + r.CourseName
}

func (c composer) stepPassed(ctx context.Context, s *subject, step *models.Step) ([]Outgoing, error) {
	o := c.progress(s, fmt.Sprintf(txtStepApproved, s.req.ID, s.kindTitle(),
		models.RoleLabel(step.Role), step.DeciderName))
	if cur := s.req.Current(); cur != nil {
		names, err := c.approverNames(ctx, cur)
		if err != nil {
			return nil, err
		}
		o.Remark = fmt.Sprintf(txtNextStep, models.RoleLabel(cur.Role)+names)
	}
	return []Outgoing{o}, nil
}

func (c composer) approverNames(ctx context.Context, step *models.Step) (string, error) {
	staff, err := c.store.Approvers(ctx, step)
	if err != nil || len(staff) == 0 || len(staff) > 3 {
		return "", err
	}
	names := make([]string, len(staff))
	for i, sf := range staff {
		names[i] = sf.Name
	}
	return "（" + strings.Join(names, "、") + "老师）", nil
}

func (c composer) progress(s *subject, title string) Outgoing {
	return Outgoing{
		To: s.studentRecipient(), Card: CardProgress, Title: title,
		Fields: []Field{{lblKind, s.kindTitle()}, {lblDeadline, when(s.req.Deadline)}},
		URL:    c.link("print", s.req.ID),
	}
}

func (c composer) returned(s *subject, step *models.Step) []Outgoing {
	o := c.progress(s, fmt.Sprintf(txtReturned, s.req.ID, s.kindTitle(),
		models.RoleLabel(step.Role), step.DeciderName))
	o.Fields = append(o.Fields, Field{lblComment, step.Comment})
	o.Remark = fmt.Sprintf(txtReturnedHint, s.req.ID, when(s.req.Deadline))
	return []Outgoing{o}
}

func (c composer) rejected(s *subject, step *models.Step) []Outgoing {
	o := c.progress(s, fmt.Sprintf(txtRejected, s.req.ID, s.kindTitle(),
		models.RoleLabel(step.Role), step.DeciderName))
	o.Fields = []Field{{lblKind, s.kindTitle()}, {lblComment, step.Comment}}
	return []Outgoing{o}
}

// approved tells the student the outcome and, for exam requests, the
// course teacher.
func (c composer) approved(ctx context.Context, s *subject) ([]Outgoing, error) {
	at := s.req.SubmittedAt
	if s.req.ClosedAt != nil {
		at = *s.req.ClosedAt
	}
	outcome := models.OutcomeOf(s.req, s.student, at)
	o := c.progress(s, fmt.Sprintf(txtApproved, s.req.ID, s.kindTitle()))
	o.Fields = []Field{{lblKind, s.kindTitle()}, {lblResult, models.RequestApproved.Label()}}
	effect, err := c.effectText(ctx, s, outcome)
	if err != nil {
		return nil, err
	}
	o.Remark = effect
	out := []Outgoing{o}

	if s.rule.Effect == models.EffectNotifyTeacher {
		t, err := c.toTeacher(ctx, s, outcome)
		if err != nil {
			return nil, err
		}
		out = append(out, t...)
	}
	return out, nil
}

func (c composer) effectText(ctx context.Context, s *subject, o models.Outcome) (string, error) {
	switch s.rule.Effect {
	case models.EffectSuspend:
		extra := ""
		if s.req.Reason == "入伍" {
			extra = effectEnlisted
		}
		return fmt.Sprintf(effectSuspend, day(*o.SuspendedUntil), extra), nil
	case models.EffectResume:
		if o.MajorChangeWindow {
			return effectResume + effectMajor, nil
		}
		return effectResume, nil
	case models.EffectWithdraw:
		if o.Certificate == "肄业证书" {
			return effectWithdrawDiploma, nil
		}
		return effectWithdrawCert, nil
	case models.EffectDemote:
		name, err := c.className(ctx, s.req.TargetClass)
		return fmt.Sprintf(effectDemote, name), err
	case models.EffectPrepRepeat:
		return effectPrep, nil
	case models.EffectNotifyTeacher:
		if o.Grade != "" {
			return fmt.Sprintf(effectExemption, o.Grade), nil
		}
		return effectDeferral, nil
	}
	return "", nil
}

func (c composer) className(ctx context.Context, code string) (string, error) {
	var cl models.Class
	err := c.store.DB().WithContext(ctx).First(&cl, "code = ?", code).Error
	if err != nil {
		return code, fmt.Errorf("load class %s: %w", code, err)
	}
	return cl.Name, nil
}

func (c composer) toTeacher(ctx context.Context, s *subject, o models.Outcome) ([]Outgoing, error) {
	var course models.Course
	err := c.store.DB().WithContext(ctx).First(&course, "code = ?", s.req.CourseCode).Error
	if err != nil {
		return nil, fmt.Errorf("load course %s: %w", s.req.CourseCode, err)
	}
	if course.TeacherNo == "" {
		return nil, nil
	}
	title, remark := txtTeacherDeferral, txtTeacherDefer
	if s.req.Kind == models.KindExemption {
		title, remark = txtTeacherExemption, fmt.Sprintf(txtTeacherGrade, o.Grade)
	}
	return []Outgoing{{
		To:    Recipient{Type: models.RecipientStaff, No: course.TeacherNo},
		Card:  CardProgress,
		Title: fmt.Sprintf(title, s.student.Name, s.student.No, course.Name),
		Fields: []Field{
			{lblStudent, s.student.Name + "（" + s.student.No + "）"},
			{lblCourse, courseText(s.req)}, {lblReason, s.req.Reason},
		},
		Remark: remark,
	}}, nil
}

// expired tells the student and whoever held the step.
func (c composer) expired(ctx context.Context, s *subject) ([]Outgoing, error) {
	title := fmt.Sprintf(txtExpired, s.req.ID, s.kindTitle())
	o := c.progress(s, title)
	o.Remark = txtExpiredStudent
	out := []Outgoing{o}
	if cur := s.req.Current(); cur != nil {
		staff, err := c.store.Approvers(ctx, cur)
		if err != nil {
			return nil, err
		}
		for _, sf := range staff {
			out = append(out, Outgoing{
				To: Recipient{Type: models.RecipientStaff, No: sf.No}, Card: CardReminder,
				Title:  title,
				Fields: []Field{{lblStudent, s.student.Name + "（" + s.student.No + "）"}},
				Remark: txtExpiredStaff,
			})
		}
	}
	return out, nil
}

// deadlineReminder goes to the student and the current approvers.
func (c composer) deadlineReminder(ctx context.Context, s *subject, kind string) ([]Outgoing, error) {
	if !s.req.Status.Open() {
		return nil, nil
	}
	left := "3 天"
	if kind == models.ReminderDeadline1d {
		left = "1 天"
	}
	title := fmt.Sprintf(txtDeadlineSoon, s.req.ID, s.kindTitle(), left)
	o := c.progress(s, title)
	o.Card, o.Remark = CardReminder, fmt.Sprintf(txtDeadlineHint, when(s.req.Deadline))
	out := []Outgoing{o}

	cur := s.req.Current()
	if cur == nil || s.req.Status != models.RequestPending {
		return out, nil
	}
	cards, err := c.toApprovers(ctx, s, cur)
	if err != nil {
		return nil, err
	}
	for _, card := range cards {
		card.Card, card.Title = CardReminder, title
		out = append(out, card)
	}
	return out, nil
}

// suspensionReminder covers rule 7: before the end, and overdue.
func (c composer) suspensionReminder(ctx context.Context, n models.Notice) ([]Outgoing, error) {
	st, err := c.store.StudentByNo(ctx, n.StudentNo)
	if err != nil {
		return nil, err
	}
	if st.Status != models.StatusSuspended || st.SuspendedUntil == nil {
		return nil, nil
	}
	me := Recipient{Type: models.RecipientStudent, No: st.No}
	until := day(*st.SuspendedUntil)
	if n.Reminder != models.ReminderSuspensionDue {
		return []Outgoing{{To: me, Card: CardReminder,
			Title: fmt.Sprintf(txtSuspensionSoon, until), Remark: txtSuspensionHint}}, nil
	}

	out := []Outgoing{{To: me, Card: CardReminder, Title: fmt.Sprintf(txtOverdueStudent, until)}}
	registrars, err := c.store.Approvers(ctx, &models.Step{Role: models.RoleRegistrar,
		Scope: models.ScopeSchool})
	if err != nil {
		return nil, err
	}
	for _, sf := range registrars {
		out = append(out, Outgoing{
			To: Recipient{Type: models.RecipientStaff, No: sf.No}, Card: CardReminder,
			Title:  fmt.Sprintf(txtOverdue, st.Name, st.No, until),
			Remark: txtOverdueHint,
			URL:    c.publicURL + "/h5/overdue",
		})
	}
	return out, nil
}

// when writes a time as people read it, in China time.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return models.ChinaTime(t).Format("2006年1月2日 15:04")
}

// day writes a date in China time.
func day(t time.Time) string {
	return models.ChinaTime(t).Format("2006年1月2日")
}
