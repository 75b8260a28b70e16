package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// chinaTime is China Standard Time, which has no daylight saving.
var chinaTime = time.FixedZone("CST", 8*60*60)

// ChinaTime returns t in China Standard Time, the time shown to users.
func ChinaTime(t time.Time) time.Time { return t.In(chinaTime) }

// DeadlineDays is how many calendar days a request has for approval (rule 1).
const DeadlineDays = 10

// Deadline is the end (23:59:59, China time) of the tenth calendar day
// after submission.
func Deadline(submitted time.Time) time.Time {
	c := submitted.In(chinaTime)
	return time.Date(c.Year(), c.Month(), c.Day()+DeadlineDays, 23, 59, 59, 0, chinaTime)
}

// Draft is what a student fills in for a request.
type Draft struct {
	Kind       Kind
	Reason     string
	CourseCode string
	CourseName string
	Phones     []string
	Details    string
}

// Actor names who did something, for the audit trail.
func studentActor(no string) string { return "student:" + no }
func staffActor(no string) string   { return "staff:" + no }

const systemActor = "system"

// CheckEligible tells whether the student may start a request of the kind
// at all: the checks of rule 5 that do not depend on the course.
func (s *Store) CheckEligible(ctx context.Context, studentNo string, kind Kind) error {
	rule, ok := RuleFor(kind)
	if !ok {
		return refuse(ErrInvalid, msgUnknownKind)
	}
	st, err := s.StudentByNo(ctx, studentNo)
	if err != nil {
		return err
	}
	if err := eligible(st, rule); err != nil {
		return err
	}
	if rule.NeedsCourse {
		return nil
	}
	return s.checkNoOpen(s.db.WithContext(ctx), st.No, rule, "", 0)
}

// eligible applies the student-status rules of rule 5.
func eligible(st *Student, rule KindRule) error {
	switch {
	case st.Status == StatusWithdrawn:
		return refuse(ErrIneligible, msgWithdrawn)
	case rule.ForSuspended && st.Status != StatusSuspended:
		return refuse(ErrIneligible, msgOnlySuspended)
	case rule.NotForSuspended && st.Status == StatusSuspended:
		return refuse(ErrIneligible, msgAlreadySuspended)
	case rule.ForPrep && (st.Class == nil || st.Class.Level != LevelPrep):
		return refuse(ErrIneligible, msgOnlyPrep)
	}
	return nil
}

// checkNoOpen refuses when the student has another open request of the
// kind (and course); except is a request to leave out, such as itself.
func (s *Store) checkNoOpen(tx *gorm.DB, studentNo string, rule KindRule, course string, except uint64) error {
	var open Request
	err := tx.Where("student_no = ? AND kind = ? AND course_code = ? AND status IN ? AND id <> ?",
		studentNo, rule.Kind, course, []RequestStatus{RequestPending, RequestReturned}, except).
		First(&open).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look for open requests: %w", err)
	}
	return duplicateRefusal(rule, &open)
}

func duplicateRefusal(rule KindRule, open *Request) error {
	if rule.NeedsCourse {
		return refuse(ErrDuplicate, fmt.Sprintf(msgDuplicateExam,
			rule.Label, open.ID, open.CourseName))
	}
	return refuse(ErrDuplicate, fmt.Sprintf(msgDuplicateStatus, rule.Label, open.ID))
}

// checked is a draft that passed validation, with its course resolved.
type checked struct {
	rule   KindRule
	reason Reason
	course *Course
	phones []string
	draft  Draft
}

// validate checks a draft against the kind's rules for the student.
func (s *Store) validate(tx *gorm.DB, st *Student, d Draft) (*checked, error) {
	rule, ok := RuleFor(d.Kind)
	if !ok {
		return nil, refuse(ErrInvalid, msgUnknownKind)
	}
	if err := eligible(st, rule); err != nil {
		return nil, err
	}

	reason, ok := rule.Reason(strings.TrimSpace(d.Reason))
	if !ok {
		labels := make([]string, len(rule.Reasons))
		for i, r := range rule.Reasons {
			labels[i] = r.Label
		}
		return nil, refuse(ErrInvalid, fmt.Sprintf(msgBadReason,
			d.Reason, rule.Label, strings.Join(labels, "、")))
	}

	c := &checked{rule: rule, reason: reason, draft: d}
	if rule.NeedsCourse {
		course, err := s.planCourse(tx, st, d.CourseCode, d.CourseName)
		if err != nil {
			return nil, err
		}
		if !reason.AllowsCourse(course.Name) {
			return nil, refuse(ErrIneligible, fmt.Sprintf(msgVeteranCourses, course.Name))
		}
		c.course = course
	}

	phones, err := checkPhones(d.Phones, rule.Phones)
	if err != nil {
		return nil, err
	}
	c.phones = phones

	c.draft.Details = strings.TrimSpace(d.Details)
	if !rule.Details {
		c.draft.Details = ""
	}
	if n := len([]rune(c.draft.Details)); n > MaxDetails {
		return nil, refuse(ErrInvalid, fmt.Sprintf(msgDetailsTooLong, MaxDetails, n))
	}
	return c, nil
}

// AllowsCourse reports whether the reason may name the course: always,
// unless the reason is limited to some courses (退役士兵).
func (r Reason) AllowsCourse(name string) bool {
	return len(r.Courses) == 0 || nameAmong(name, r.Courses)
}

// nameAmong reports whether a course name is one of names, allowing a
// numbered part such as 体育（一）.
func nameAmong(name string, names []string) bool {
	key := courseKey(name)
	for _, n := range names {
		if strings.HasPrefix(key, courseKey(n)) {
			return true
		}
	}
	return false
}

// planCourse finds the course in the student's plan by code, or by name
// when no code is given (rule 4).
func (s *Store) planCourse(tx *gorm.DB, st *Student, code, name string) (*Course, error) {
	code, name = strings.TrimSpace(Normalize(code)), strings.TrimSpace(name)
	if code == "" && name == "" {
		return nil, refuse(ErrInvalid, msgNoCourse)
	}
	var plan []Course
	err := tx.Joins("JOIN plan_entries ON plan_entries.course_code = courses.code").
		Where("plan_entries.class_code = ?", st.ClassCode).Order("courses.code").Find(&plan).Error
	if err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}

	for i := range plan {
		c := &plan[i]
		switch {
		case code != "" && c.Code == code:
			if name != "" && !SameCourseName(name, c.Name) {
				return nil, refuse(ErrInvalid, fmt.Sprintf(msgCourseNameMismatch, code, c.Name, name))
			}
			return c, nil
		case code == "" && SameCourseName(name, c.Name):
			return c, nil
		}
	}

	query := code
	if query == "" {
		query = name
	}
	r := refuse(ErrInvalid, fmt.Sprintf(msgCourseNotInPlan, query))
	r.Courses = ClosestCourses(plan, query, 3)
	return nil, r
}

// checkPhones normalises the phone numbers and checks their count and,
// when several are asked for, that they differ.
func checkPhones(in []string, want int) ([]string, error) {
	if len(in) != want {
		return nil, refuse(ErrInvalid, fmt.Sprintf(msgPhoneCount, want, len(in)))
	}
	out := make([]string, 0, want)
	seen := map[string]bool{}
	for _, p := range in {
		n, ok := NormalizePhone(p)
		if !ok {
			return nil, refuse(ErrInvalid, fmt.Sprintf(msgPhoneBad, p))
		}
		if seen[n] {
			return nil, refuse(ErrInvalid, fmt.Sprintf(msgPhoneRepeat, n))
		}
		seen[n] = true
		out = append(out, n)
	}
	return out, nil
}

// Submit files a new request for the student, after the checks of rules 4
// and 5, with its deadline (rule 1) and all the steps of its chain.
func (s *Store) Submit(ctx context.Context, studentNo string, d Draft) (*Request, error) {
	var req *Request
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := s.studentIn(tx, studentNo)
		if err != nil {
			return err
		}
		c, err := s.validate(tx, st, d)
		if err != nil {
			return err
		}
		courseCode := c.courseCode()
		if err := s.checkNoOpen(tx, st.No, c.rule, courseCode, 0); err != nil {
			return err
		}

		now := s.now()
		req = &Request{
			Kind: c.rule.Kind, Status: RequestPending, StudentNo: st.No,
			SubmittedAt: now, Deadline: Deadline(now), Version: 1,
		}
		c.apply(req)
		req.Steps = chainSteps(c.rule, st, c.course)
		if err := tx.Create(req).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return duplicateRefusal(c.rule, req)
			}
			return fmt.Errorf("create request: %w", err)
		}

		ev := Event{RequestID: req.ID, Actor: studentActor(st.No), Action: "submit",
			ToStatus: RequestPending}
		return s.record(ctx, tx, ev, Notice{Type: NoticeStepReady, RequestID: req.ID,
			StepID: req.Steps[0].ID})
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}

func (c *checked) courseCode() string {
	if c.course == nil {
		return ""
	}
	return c.course.Code
}

// apply copies the checked answers into the request.
func (c *checked) apply(r *Request) {
	r.Reason = c.reason.Label
	r.CourseCode, r.CourseName = "", ""
	if c.course != nil {
		r.CourseCode, r.CourseName = c.course.Code, c.course.Name
	}
	r.Phones = strings.Join(c.phones, ",")
	r.Details = c.draft.Details
}

// chainSteps makes the waiting steps of the kind's chain, with each scope
// resolved to the class or college it names.
func chainSteps(rule KindRule, st *Student, course *Course) []Step {
	steps := make([]Step, len(rule.Chain))
	for i, sr := range rule.Chain {
		steps[i] = Step{Seq: i, Role: sr.Role, Scope: sr.Scope, Status: StepWaiting}
		switch sr.Scope {
		case ScopeClass:
			steps[i].ScopeCode = st.ClassCode
		case ScopeCollege:
			if st.Class != nil {
				steps[i].ScopeCode = st.Class.CollegeCode
			}
		case ScopeCourseCollege:
			if course != nil {
				steps[i].ScopeCode = course.CollegeCode
			}
		case ScopeSchool:
		}
	}
	return steps
}

func (s *Store) studentIn(tx *gorm.DB, no string) (*Student, error) {
	var st Student
	if err := tx.Preload("Class").First(&st, "no = ?", no).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, refuse(ErrNotFound, fmt.Sprintf(msgUnknownStudent, no))
		}
		return nil, fmt.Errorf("load student: %w", err)
	}
	return &st, nil
}

// record writes an audit event and hands the notices to the outbox, in
// the caller's transaction.
func (s *Store) record(ctx context.Context, tx *gorm.DB, ev Event, notices ...Notice) error {
	if ev.At.IsZero() {
		ev.At = s.now()
	}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("record event %s: %w", ev.Action, err)
	}
	return s.queue(ctx, tx, notices...)
}

// queue hands notices to the outbox inside the caller's transaction.
func (s *Store) queue(ctx context.Context, tx *gorm.DB, notices ...Notice) error {
	if s.outbox == nil {
		return nil
	}
	for _, n := range notices {
		if err := s.outbox.Enqueue(ctx, tx, n); err != nil {
			return fmt.Errorf("queue notice %s: %w", n.Type, err)
		}
	}
	return nil
}

// ownOpen loads the student's own request for a change by the student.
func (s *Store) ownOpen(tx *gorm.DB, studentNo string, id uint64) (*Request, error) {
	req, err := loadRequest(tx, id)
	if err != nil {
		return nil, err
	}
	if err := req.EditableBy(studentNo); err != nil {
		return nil, err
	}
	return req, nil
}

// EditableBy tells whether the student may edit or delete the request
// (rule 3), with the refusal to show when not.
func (r *Request) EditableBy(studentNo string) error {
	if r.StudentNo != studentNo {
		return refuse(ErrNotOwner, msgNotOwner)
	}
	if !r.Status.Open() {
		return refuse(ErrLocked, fmt.Sprintf(msgNotOpen, r.ID, r.Status.Label()))
	}
	if r.Status == RequestPending && r.anyDecided() {
		return refuse(ErrLocked, fmt.Sprintf(msgLocked, r.ID))
	}
	return nil
}

// OwnRequest returns the student's own request, refusing anyone else's.
func (s *Store) OwnRequest(ctx context.Context, studentNo string, id uint64) (*Request, error) {
	req, err := s.RequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if req.StudentNo != studentNo {
		return nil, refuse(ErrNotOwner, msgNotOwner)
	}
	return req, nil
}

// anyDecided reports whether any step has been decided.
func (r *Request) anyDecided() bool {
	for _, st := range r.Steps {
		if st.Status != StepWaiting {
			return true
		}
	}
	return false
}

// Edit changes the answers of the student's own request (rule 3): open
// until the first step is decided, and again after a return, in which case
// the request goes back to the step that returned it.
func (s *Store) Edit(ctx context.Context, studentNo string, id uint64, d Draft) (*Request, error) {
	var req *Request
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		req, err = s.ownOpen(tx, studentNo, id)
		if err != nil {
			return err
		}
		st, err := s.studentIn(tx, studentNo)
		if err != nil {
			return err
		}
		d.Kind = req.Kind
		c, err := s.validate(tx, st, d)
		if err != nil {
			return err
		}
		if err := s.checkNoOpen(tx, st.No, c.rule, c.courseCode(), req.ID); err != nil {
			return err
		}

		from := req.Status
		c.apply(req)
		req.Status = RequestPending
		if err := s.save(tx, req, map[string]any{
			"reason": req.Reason, "course_code": req.CourseCode, "course_name": req.CourseName,
			"phones": req.Phones, "details": req.Details, "status": req.Status,
		}); err != nil {
			return err
		}
		if err := s.rescope(tx, req, st, c); err != nil {
			return err
		}

		ev := Event{RequestID: req.ID, Actor: studentActor(studentNo), Action: "edit",
			FromStatus: from, ToStatus: req.Status}
		var notices []Notice
		if from == RequestReturned {
			ev.Action = "resubmit"
			notices = append(notices, Notice{Type: NoticeStepReady, RequestID: req.ID,
				StepID: req.Current().ID})
		}
		return s.record(ctx, tx, ev, notices...)
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}

// rescope points the waiting steps at the course's college again, since an
// edit of an exemption may change the course and so the approvers.
func (s *Store) rescope(tx *gorm.DB, req *Request, st *Student, c *checked) error {
	fresh := chainSteps(c.rule, st, c.course)
	for i := range req.Steps {
		step := &req.Steps[i]
		if step.Status != StepWaiting || step.ScopeCode == fresh[step.Seq].ScopeCode {
			continue
		}
		step.ScopeCode = fresh[step.Seq].ScopeCode
		if err := tx.Model(step).Update("scope_code", step.ScopeCode).Error; err != nil {
			return fmt.Errorf("rescope step %d: %w", step.ID, err)
		}
	}
	return nil
}

// save updates the request's columns if nobody changed it since it was
// read; otherwise it refuses with ErrConflict.
func (s *Store) save(tx *gorm.DB, req *Request, cols map[string]any) error {
	cols["version"] = req.Version + 1
	cols["updated_at"] = s.now()
	res := tx.Model(&Request{}).Where("id = ? AND version = ?", req.ID, req.Version).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("update request %d: %w", req.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return refuse(ErrConflict, fmt.Sprintf(msgConflict, req.ID))
	}
	req.Version++
	return nil
}

// Delete withdraws the student's own request before the first decision
// (rule 3), or while it is returned for changes.
func (s *Store) Delete(ctx context.Context, studentNo string, id uint64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		req, err := s.ownOpen(tx, studentNo, id)
		if err != nil {
			return err
		}
		from := req.Status
		now := s.now()
		if err := s.save(tx, req, map[string]any{"status": RequestDeleted, "closed_at": now}); err != nil {
			return err
		}
		return s.record(ctx, tx, Event{RequestID: req.ID, Actor: studentActor(studentNo),
			Action: "delete", FromStatus: from, ToStatus: RequestDeleted})
	})
}

// RequestByID returns a request with its steps in order.
func (s *Store) RequestByID(ctx context.Context, id uint64) (*Request, error) {
	return loadRequest(s.db.WithContext(ctx), id)
}

func loadRequest(tx *gorm.DB, id uint64) (*Request, error) {
	var req Request
	err := tx.Preload("Steps", func(db *gorm.DB) *gorm.DB {
		return db.Order("seq, id")
	}).First(&req, id).Error
	if err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, refuse(ErrNotFound, msgNotFound)
		}
		return nil, fmt.Errorf("load request %d: %w", id, err)
	}
	return &req, nil
}

// Current returns the step awaiting a decision, or nil when none does.
func (r *Request) Current() *Step {
	for i := range r.Steps {
		if r.Steps[i].Status == StepWaiting {
			return &r.Steps[i]
		}
	}
	return nil
}

// Events returns the audit trail of a request, oldest first.
func (s *Store) Events(ctx context.Context, requestID uint64) ([]Event, error) {
	var evs []Event
	err := s.db.WithContext(ctx).Where("request_id = ?", requestID).Order("at, id").Find(&evs).Error
	if err != nil {
		return nil, fmt.Errorf("load events of request %d: %w", requestID, err)
	}
	return evs, nil
}
