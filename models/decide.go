package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// Action is an approver's choice on a step.
type Action string

// The three choices of the approval page.
const (
	ActionApprove Action = "approve"
	ActionReject  Action = "reject"
	// ActionReturn sends the request back to the student for changes; it
	// then resumes at the same step. The deadline keeps running.
	ActionReturn Action = "return"
)

// Decision is one approver's decision on a request's current step.
type Decision struct {
	RequestID uint64
	StaffNo   string
	Action    Action
	Comment   string
	// TargetClass is the new class, required when the registrar approves
	// a demotion.
	TargetClass string
}

// Decide applies an approver's decision to the request's current step.
// Only the staff member whom the step names may decide, only while the
// request is pending, and of two concurrent decisions exactly one wins.
func (s *Store) Decide(ctx context.Context, d Decision) (*Request, error) {
	d.Comment = strings.TrimSpace(d.Comment)
	if err := d.check(); err != nil {
		return nil, err
	}

	var req *Request
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		req, err = loadRequest(tx, d.RequestID)
		if err != nil {
			return err
		}
		staff, err := s.staffIn(tx, d.StaffNo)
		if err != nil {
			return err
		}
		if req.Status != RequestPending {
			return refuse(ErrNotPending, fmt.Sprintf(msgNotPending, req.ID, req.Status.Label()))
		}
		step := req.Current()
		if step == nil {
			return refuse(ErrNotPending, fmt.Sprintf(msgNotPending, req.ID, req.Status.Label()))
		}
		ok, err := canDecide(tx, staff, step)
		if err != nil {
			return err
		}
		if !ok {
			return refuse(ErrNotApprover, fmt.Sprintf(msgNotApprover, req.ID, RoleLabel(step.Role)))
		}
		return s.decide(ctx, tx, req, step, staff, d)
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}

func (d Decision) check() error {
	switch d.Action {
	case ActionApprove:
	case ActionReject, ActionReturn:
		if d.Comment == "" {
			return refuse(ErrInvalid, msgNeedComment)
		}
	default:
		return refuse(ErrInvalid, fmt.Sprintf(msgBadDecision, d.Action))
	}
	if len([]rune(d.Comment)) > MaxComment {
		return refuse(ErrInvalid, fmt.Sprintf(msgCommentTooLong, MaxComment))
	}
	return nil
}

func (s *Store) staffIn(tx *gorm.DB, no string) (*Staff, error) {
	var st Staff
	if err := tx.First(&st, "no = ?", no).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, refuse(ErrNotFound, fmt.Sprintf(msgUnknownStaff, no))
		}
		return nil, fmt.Errorf("load staff: %w", err)
	}
	return &st, nil
}

// CanDecide reports whether the staff member is the one the step names.
func (s *Store) CanDecide(ctx context.Context, staff *Staff, step *Step) (bool, error) {
	return canDecide(s.db.WithContext(ctx), staff, step)
}

func canDecide(tx *gorm.DB, staff *Staff, step *Step) (bool, error) {
	if !staff.HasRole(step.Role) {
		return false, nil
	}
	switch step.Scope {
	case ScopeClass:
		var c Class
		err := tx.First(&c, "code = ?", step.ScopeCode).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("load class %s: %w", step.ScopeCode, err)
		}
		return c.AdvisorNo == staff.No, nil
	case ScopeCollege, ScopeCourseCollege:
		return staff.CollegeCode == step.ScopeCode, nil
	case ScopeSchool:
		return true, nil
	}
	return false, nil
}

// Approvers returns the staff members who may decide the step.
func (s *Store) Approvers(ctx context.Context, step *Step) ([]Staff, error) {
	q := s.db.WithContext(ctx)
	switch step.Scope {
	case ScopeClass:
		q = q.Where("no = (SELECT advisor_no FROM classes WHERE code = ?)", step.ScopeCode)
	case ScopeCollege, ScopeCourseCollege:
		q = q.Where("college_code = ?", step.ScopeCode)
	case ScopeSchool:
	}
	var all []Staff
	if err := q.Order("no").Find(&all).Error; err != nil {
		return nil, fmt.Errorf("load approvers of step %d: %w", step.ID, err)
	}
	out := all[:0]
	for _, st := range all {
		if st.HasRole(step.Role) {
			out = append(out, st)
		}
	}
	return out, nil
}

// decide records the decision on the step and moves the request on.
func (s *Store) decide(ctx context.Context, tx *gorm.DB, req *Request, step *Step,
	staff *Staff, d Decision) error {
	now := s.now()
	stepStatus := map[Action]StepStatus{
		ActionApprove: StepApproved, ActionReject: StepRejected, ActionReturn: StepReturned,
	}[d.Action]
	res := tx.Model(&Step{}).Where("id = ? AND status = ?", step.ID, StepWaiting).Updates(map[string]any{
		"status": stepStatus, "decided_by": staff.No, "decider_name": staff.Name,
		"decided_at": now, "comment": d.Comment,
	})
	if res.Error != nil {
		return fmt.Errorf("decide step %d: %w", step.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return refuse(ErrConflict, fmt.Sprintf(msgConflict, req.ID))
	}
	step.Status, step.DecidedBy, step.DeciderName = stepStatus, staff.No, staff.Name
	step.DecidedAt, step.Comment = &now, d.Comment

	ev := Event{RequestID: req.ID, Actor: staffActor(staff.No), Action: string(d.Action),
		FromStatus: req.Status, Comment: d.Comment}
	switch {
	case d.Action == ActionReject:
		return s.close(ctx, tx, req, RequestRejected, ev,
			Notice{Type: NoticeRejected, RequestID: req.ID, StepID: step.ID})
	case d.Action == ActionReturn:
		return s.returnToStudent(ctx, tx, req, step, ev)
	case req.Current() == nil:
		return s.approve(ctx, tx, req, step, d, ev)
	default:
		if err := s.save(tx, req, map[string]any{}); err != nil {
			return err
		}
		ev.ToStatus = req.Status
		return s.record(ctx, tx, ev,
			Notice{Type: NoticeStepDecided, RequestID: req.ID, StepID: step.ID},
			Notice{Type: NoticeStepReady, RequestID: req.ID, StepID: req.Current().ID})
	}
}

// close ends the request with a final status.
func (s *Store) close(ctx context.Context, tx *gorm.DB, req *Request, to RequestStatus,
	ev Event, notices ...Notice) error {
	now := s.now()
	if err := s.save(tx, req, map[string]any{"status": to, "closed_at": now}); err != nil {
		return err
	}
	req.Status, req.ClosedAt = to, &now
	ev.ToStatus = to
	return s.record(ctx, tx, ev, notices...)
}

// returnToStudent reopens the request for edits; a fresh waiting step of
// the same place in the chain waits for the resubmission.
func (s *Store) returnToStudent(ctx context.Context, tx *gorm.DB, req *Request, step *Step,
	ev Event) error {
	again := Step{RequestID: req.ID, Seq: step.Seq, Role: step.Role, Scope: step.Scope,
		ScopeCode: step.ScopeCode, Status: StepWaiting}
	if err := tx.Create(&again).Error; err != nil {
		return fmt.Errorf("reopen step %d: %w", step.Seq, err)
	}
	req.Steps = append(req.Steps, again)
	sort.SliceStable(req.Steps, func(i, j int) bool { return req.Steps[i].Seq < req.Steps[j].Seq })
	if err := s.save(tx, req, map[string]any{"status": RequestReturned}); err != nil {
		return err
	}
	req.Status = RequestReturned
	ev.ToStatus = RequestReturned
	return s.record(ctx, tx, ev, Notice{Type: NoticeReturned, RequestID: req.ID, StepID: step.ID})
}
