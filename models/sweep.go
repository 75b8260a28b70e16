package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Reminder kinds recorded by a sweep.
const (
	ReminderDeadline3d    = "deadline_3d"    // 3 days before a request's deadline
	ReminderDeadline1d    = "deadline_1d"    // 1 day before it
	ReminderSuspension30d = "suspension_30d" // 30 days before a suspension ends
	ReminderSuspension7d  = "suspension_7d"  // 7 days before it ends
	ReminderSuspensionDue = "suspension_overdue"
)

// SweepResult counts what one sweep did.
type SweepResult struct {
	Expired   int
	Reminders int
}

// sweepBatch bounds how many rows one sweep transaction handles.
const sweepBatch = 500

const day = 24 * time.Hour

// Sweep revokes the open requests whose deadline passed before at (rule 1)
// and records the reminders that are due at at (rules 2 and 7). Running it
// twice for the same time changes nothing the second time.
func (s *Store) Sweep(ctx context.Context, at time.Time) (SweepResult, error) {
	var res SweepResult
	n, err := s.expire(ctx, at)
	res.Expired = n
	if err != nil {
		return res, err
	}

	n, err = s.deadlineReminders(ctx, at)
	res.Reminders += n
	if err != nil {
		return res, err
	}

	n, err = s.suspensionReminders(ctx, at)
	res.Reminders += n
	return res, err
}

// expire marks overdue open requests expired, a batch at a time.
func (s *Store) expire(ctx context.Context, at time.Time) (int, error) {
	total := 0
	for {
		var due []Request
		err := s.db.WithContext(ctx).Where("status IN ? AND deadline < ?",
			[]RequestStatus{RequestPending, RequestReturned}, at).
			Order("id").Limit(sweepBatch).Find(&due).Error
		if err != nil {
			return total, fmt.Errorf("find overdue requests: %w", err)
		}
		if len(due) == 0 {
			return total, nil
		}
		for i := range due {
			if err := s.expireOne(ctx, &due[i], at); err != nil {
				return total, err
			}
			total++
		}
	}
}

func (s *Store) expireOne(ctx context.Context, req *Request, at time.Time) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ev := Event{RequestID: req.ID, Actor: systemActor, Action: "expire", At: at,
			FromStatus: req.Status}
		err := s.close(ctx, tx, req, RequestExpired, ev,
			Notice{Type: NoticeExpired, RequestID: req.ID})
		if err == nil || !isConflict(err) {
			return err
		}
		return nil // decided in the meantime: the next sweep looks again
	})
}

// deadlineReminders records the 3-day and 1-day reminders of open requests.
func (s *Store) deadlineReminders(ctx context.Context, at time.Time) (int, error) {
	total := 0
	windows := []struct {
		kind     string
		from, to time.Duration // before the deadline
	}{
		{ReminderDeadline3d, 3 * day, day},
		{ReminderDeadline1d, day, 0},
	}
	for _, w := range windows {
		var due []Request
		err := s.db.WithContext(ctx).Where("status IN ? AND deadline > ? AND deadline <= ?",
			[]RequestStatus{RequestPending, RequestReturned}, at.Add(w.to), at.Add(w.from)).
			Order("id").Find(&due).Error
		if err != nil {
			return total, fmt.Errorf("find requests due for %s: %w", w.kind, err)
		}
		for _, r := range due {
			rem := Reminder{Subject: fmt.Sprintf("request:%d", r.ID), Kind: w.kind,
				Until: r.Deadline, DueAt: r.Deadline.Add(-w.from)}
			made, err := s.remind(ctx, rem, Notice{RequestID: r.ID, StudentNo: r.StudentNo})
			if err != nil {
				return total, err
			}
			if made {
				total++
			}
		}
	}
	return total, nil
}

// suspensionReminders records rule 7's reminders: 30 and 7 days before a
// suspension ends, and once it has ended with no resumption filed.
func (s *Store) suspensionReminders(ctx context.Context, at time.Time) (int, error) {
	var students []Student
	err := s.db.WithContext(ctx).Where("status = ? AND suspended_until IS NOT NULL AND suspended_until <= ?",
		StatusSuspended, at.Add(30*day)).Order("no").Find(&students).Error
	if err != nil {
		return 0, fmt.Errorf("find suspensions ending: %w", err)
	}

	total := 0
	for _, st := range students {
		until := *st.SuspendedUntil
		rem := Reminder{Subject: "student:" + st.No, Until: until}
		switch {
		case !until.After(at):
			filed, err := s.resumptionFiled(ctx, st.No)
			if err != nil {
				return total, err
			}
			if filed {
				continue
			}
			rem.Kind, rem.DueAt = ReminderSuspensionDue, until
		case until.Sub(at) <= 7*day:
			rem.Kind, rem.DueAt = ReminderSuspension7d, until.Add(-7*day)
		default:
			rem.Kind, rem.DueAt = ReminderSuspension30d, until.Add(-30*day)
		}
		made, err := s.remind(ctx, rem, Notice{StudentNo: st.No})
		if err != nil {
			return total, err
		}
		if made {
			total++
		}
	}
	return total, nil
}

func (s *Store) resumptionFiled(ctx context.Context, studentNo string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Request{}).Where("student_no = ? AND kind = ? AND status IN ?",
		studentNo, KindResumption, []RequestStatus{RequestPending, RequestReturned}).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("look for resumption of %s: %w", studentNo, err)
	}
	return n > 0, nil
}

// remind stores the reminder once and queues its notice in the same
// transaction; it reports whether the reminder was new.
func (s *Store) remind(ctx context.Context, rem Reminder, n Notice) (bool, error) {
	made := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rem)
		if res.Error != nil {
			return fmt.Errorf("record reminder %s of %s: %w", rem.Kind, rem.Subject, res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		made = true
		n.Type, n.Reminder, n.ReminderID = NoticeReminder, rem.Kind, rem.ID
		return s.queue(ctx, tx, n)
	})
	return made, err
}

// Reminders returns the recorded reminders of a subject, oldest first.
func (s *Store) Reminders(ctx context.Context, subject string) ([]Reminder, error) {
	var rs []Reminder
	err := s.db.WithContext(ctx).Where("subject = ?", subject).Order("due_at, id").Find(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("load reminders of %s: %w", subject, err)
	}
	return rs, nil
}

// OverdueSuspensions returns the students whose suspension ended before
// at with no resumption filed (rule 7), longest overdue first, with their
// classes: the registrar's follow-up list.
func (s *Store) OverdueSuspensions(ctx context.Context, at time.Time) ([]Student, error) {
	var out []Student
	err := s.db.WithContext(ctx).Preload("Class").
		Where("status = ? AND suspended_until IS NOT NULL AND suspended_until < ?",
			StatusSuspended, at).
		Where("NOT EXISTS (SELECT 1 FROM requests r WHERE r.student_no = students.no "+
			"AND r.kind = ? AND r.status IN ?)", KindResumption,
			[]RequestStatus{RequestPending, RequestReturned}).
		Order("suspended_until, no").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list overdue suspensions: %w", err)
	}
	return out, nil
}
