package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// approve gives final approval and applies the kind's effect (rule 6) to
// the student, in the same transaction.
func (s *Store) approve(ctx context.Context, tx *gorm.DB, req *Request, step *Step,
	d Decision, ev Event) error {
	rule, _ := RuleFor(req.Kind)
	st, err := s.studentIn(tx, req.StudentNo)
	if err != nil {
		return err
	}

	if rule.Effect == EffectDemote {
		target := strings.TrimSpace(d.TargetClass)
		if target == "" {
			return refuse(ErrInvalid, msgNeedTargetClass)
		}
		var n int64
		if err := tx.Model(&Class{}).Where("code = ?", target).Count(&n).Error; err != nil {
			return fmt.Errorf("look up class %s: %w", target, err)
		}
		if n == 0 || target == st.ClassCode {
			return refuse(ErrInvalid, fmt.Sprintf(msgBadTargetClass, target))
		}
		if err := s.save(tx, req, map[string]any{"target_class": target}); err != nil {
			return err
		}
		req.TargetClass = target
	}

	if err := s.applyEffect(tx, rule, req, st); err != nil {
		return err
	}
	return s.close(ctx, tx, req, RequestApproved, ev,
		Notice{Type: NoticeApproved, RequestID: req.ID, StepID: step.ID})
}

// applyEffect changes the student's record as final approval requires.
func (s *Store) applyEffect(tx *gorm.DB, rule KindRule, req *Request, st *Student) error {
	now := s.now()
	cols := map[string]any{}
	switch rule.Effect {
	case EffectSuspend:
		reason, _ := rule.Reason(req.Reason)
		until := SuspensionEnd(now, reason)
		cols["status"] = StatusSuspended
		cols["suspended_until"] = until
		cols["suspend_reason"] = req.Reason
		cols["suspend_study_year"] = st.StudyYear(now)
	case EffectResume:
		cols["status"] = StatusEnrolled
		cols["suspended_until"] = nil
	case EffectWithdraw:
		cols["status"] = StatusWithdrawn
	case EffectDemote:
		cols["class_code"] = req.TargetClass
	case EffectPrepRepeat:
		cols["prep_repeats"] = gorm.Expr("prep_repeats + 1")
	case EffectNotifyTeacher:
		return nil
	}
	cols["updated_at"] = now
	if err := tx.Model(&Student{}).Where("no = ?", st.No).Updates(cols).Error; err != nil {
		return fmt.Errorf("apply %s to student: %w", rule.Effect, err)
	}
	return nil
}

// SuspensionEnd is when a suspension granted at t ends: one year later, or
// the reason's own length (two years for 入伍).
func SuspensionEnd(t time.Time, reason Reason) time.Time {
	years := reason.SuspendYears
	if years == 0 {
		years = 1
	}
	return Deadline(t).AddDate(years, 0, -DeadlineDays)
}

// Outcome is what the student is told on final approval besides the
// approval itself (rule 6 and rule 7).
type Outcome struct {
	// Certificate is 肄业证书 or 学习证明 for a withdrawal.
	Certificate string
	// MajorChangeWindow is true when a student who enlisted in year 1 or 2
	// resumes and may ask for a change of major within a week.
	MajorChangeWindow bool
	// Grade is the grade the teacher records for an exemption.
	Grade string
	// SuspendedUntil is the end of a granted suspension.
	SuspendedUntil *time.Time
}

// OutcomeOf returns the outcome of an approved request for its student,
// as the student's record stood just before the approval.
func OutcomeOf(req *Request, st *Student, at time.Time) Outcome {
	rule, _ := RuleFor(req.Kind)
	reason, _ := rule.Reason(req.Reason)
	var o Outcome
	switch rule.Effect {
	case EffectWithdraw:
		o.Certificate = "学习证明"
		if st.StudyYear(at) > 1 {
			o.Certificate = "肄业证书"
		}
	case EffectResume:
		o.MajorChangeWindow = st.SuspendReason == "入伍" &&
			st.SuspendStudyYear >= 1 && st.SuspendStudyYear <= 2
	case EffectNotifyTeacher:
		o.Grade = reason.Grade
	case EffectSuspend:
		until := SuspensionEnd(at, reason)
		o.SuspendedUntil = &until
	case EffectDemote, EffectPrepRepeat:
	}
	return o
}
