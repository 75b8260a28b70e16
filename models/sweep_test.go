package models_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

// outbox records the notices the workflow queues, and can be made to fail.
type outbox struct {
	mu      sync.Mutex
	notices []models.Notice
	fail    bool
}

func (o *outbox) Enqueue(_ context.Context, _ *gorm.DB, n models.Notice) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail {
		return errors.New("queue unavailable")
	}
	o.notices = append(o.notices, n)
	return nil
}

func (o *outbox) types() []models.NoticeType {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []models.NoticeType
	for _, n := range o.notices {
		out = append(out, n.Type)
	}
	return out
}

func setupWithOutbox(t *testing.T) (*models.Store, *clock, *outbox) {
	t.Helper()
	c := modelstest.NewClock(cst(2026, 12, 3, 10, 0))
	o := &outbox{}
	s := modelstest.NewStore(t, models.WithClock(c.Now), models.WithOutbox(o))
	modelstest.Seed(t, s)
	return s, c, o
}

func TestSweepRemindsThenExpires(t *testing.T) {
	t.Parallel()
	s, _, o := setupWithOutbox(t)
	req := submit(t, s, "2023150101", deferral("150165")) // deadline 12-13 23:59:59
	done := submit(t, s, "2023150101", deferral("150169"))
	decide(t, s, done.ID, "T1579", models.ActionApprove, "")
	decide(t, s, done.ID, "T1586", models.ActionApprove, "")

	steps := []struct {
		at        time.Time
		expired   int
		reminders int
		kinds     []string
	}{
		{cst(2026, 12, 10, 23, 0), 0, 0, nil},
		{cst(2026, 12, 11, 0, 0), 0, 1, []string{models.ReminderDeadline3d}},
		{cst(2026, 12, 12, 12, 0), 0, 0, []string{models.ReminderDeadline3d}},
		{cst(2026, 12, 13, 0, 0), 0, 1,
			[]string{models.ReminderDeadline3d, models.ReminderDeadline1d}},
		{cst(2026, 12, 13, 23, 59), 0, 0,
			[]string{models.ReminderDeadline3d, models.ReminderDeadline1d}},
		{cst(2026, 12, 14, 0, 0), 1, 0,
			[]string{models.ReminderDeadline3d, models.ReminderDeadline1d}},
	}
	for _, st := range steps {
		for run := range 2 {
			res, err := s.Sweep(ctx, st.at)
			require.NoError(t, err)
			want := models.SweepResult{Expired: st.expired, Reminders: st.reminders}
			if run == 1 {
				want = models.SweepResult{}
			}
			require.Equal(t, want, res, "sweep at %s, run %d", st.at, run+1)
		}
		rems, err := s.Reminders(ctx, subject(req.ID))
		require.NoError(t, err)
		var kinds []string
		for _, r := range rems {
			kinds = append(kinds, r.Kind)
		}
		require.Equal(t, st.kinds, kinds, "at %s", st.at)
	}

	got, err := s.RequestByID(ctx, req.ID)
	require.NoError(t, err)
	require.Equal(t, models.RequestExpired, got.Status)
	final, err := s.RequestByID(ctx, done.ID)
	require.NoError(t, err)
	require.Equal(t, models.RequestApproved, final.Status, "an approved request never expires")

	var expired, reminders int
	for _, n := range o.notices {
		switch n.Type {
		case models.NoticeExpired:
			expired++
			require.Equal(t, req.ID, n.RequestID)
		case models.NoticeReminder:
			reminders++
		}
	}
	require.Equal(t, 1, expired)
	require.Equal(t, 2, reminders)

	_, err = s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1579",
		Action: models.ActionApprove})
	requireRefused(t, err, models.ErrNotPending, "已过期撤销")
}

func subject(id uint64) string {
	return "request:" + strconv.FormatUint(id, 10)
}

func TestSweepExpiresReturnedRequests(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	req := submit(t, s, "2023150101", deferral("150165"))
	decide(t, s, req.ID, "T1579", models.ActionReturn, "课程代码有误")
	res, err := s.Sweep(ctx, req.Deadline.Add(time.Second))
	require.NoError(t, err)
	require.Equal(t, 1, res.Expired)
	got, err := s.RequestByID(ctx, req.ID)
	require.NoError(t, err)
	require.Equal(t, models.RequestExpired, got.Status)
	_, err = s.Edit(ctx, "2023150101", req.ID, deferral("150169"))
	requireRefused(t, err, models.ErrLocked, "已过期撤销")
}

func TestSuspensionEndReminders(t *testing.T) {
	t.Parallel()
	s, c := setup(t)
	req := submit(t, s, "2023150101", statusDraft(models.KindSuspension, "因病"))
	for _, staff := range []string{"T1593", "T1579", "T1558"} {
		decide(t, s, req.ID, staff, models.ActionApprove, "")
	}
	st, err := s.StudentByNo(ctx, "2023150101")
	require.NoError(t, err)
	until := models.ChinaTime(*st.SuspendedUntil)
	require.Equal(t, "2027-12-03T23:59:59+08:00", until.Format(time.RFC3339))

	kinds := func() []string {
		rems, err := s.Reminders(ctx, "student:2023150101")
		require.NoError(t, err)
		var out []string
		for _, r := range rems {
			out = append(out, r.Kind)
		}
		return out
	}
	sweep := func(at time.Time) {
		for range 2 {
			_, err := s.Sweep(ctx, at)
			require.NoError(t, err)
		}
	}

	sweep(until.Add(-31 * 24 * time.Hour))
	require.Empty(t, kinds())
	sweep(until.Add(-30 * 24 * time.Hour))
	require.Equal(t, []string{models.ReminderSuspension30d}, kinds())
	sweep(until.Add(-7 * 24 * time.Hour))
	require.Equal(t, []string{models.ReminderSuspension30d, models.ReminderSuspension7d}, kinds())
	sweep(until.Add(time.Second))
	require.Equal(t, []string{models.ReminderSuspension30d, models.ReminderSuspension7d,
		models.ReminderSuspensionDue}, kinds())

	// A student who filed for resumption in time is not listed as overdue.
	c.Set(until.Add(-5 * 24 * time.Hour))
	other, err := s.StudentByNo(ctx, "2023150104")
	require.NoError(t, err)
	require.NoError(t, s.DB().Model(other).Update("suspended_until", until).Error)
	submit(t, s, "2023150104", statusDraft(models.KindResumption, "休学期满"))
	sweep(until.Add(time.Hour))
	rems, err := s.Reminders(ctx, "student:2023150104")
	require.NoError(t, err)
	for _, r := range rems {
		require.NotEqual(t, models.ReminderSuspensionDue, r.Kind)
	}
}

func TestNoticesAreQueuedWithTheirChange(t *testing.T) {
	t.Parallel()
	s, _, o := setupWithOutbox(t)
	req := submit(t, s, "2023150101", statusDraft(models.KindWithdrawal, "个人原因"))
	decide(t, s, req.ID, "T1593", models.ActionApprove, "")
	decide(t, s, req.ID, "T1579", models.ActionReturn, "请写明原因")
	_, err := s.Edit(ctx, "2023150101", req.ID, statusDraft(models.KindWithdrawal, "其他"))
	require.NoError(t, err)
	require.Equal(t, []models.NoticeType{
		models.NoticeStepReady,
		models.NoticeStepDecided, models.NoticeStepReady,
		models.NoticeReturned,
		models.NoticeStepReady,
	}, o.types())

	o.mu.Lock()
	o.fail = true
	o.mu.Unlock()
	_, err = s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1579",
		Action: models.ActionApprove})
	require.Error(t, err)
	got, err := s.RequestByID(ctx, req.ID)
	require.NoError(t, err)
	require.Equal(t, models.StepWaiting, got.Current().Status,
		"a decision whose notice cannot be queued is not taken")
	require.Equal(t, 1, got.Current().Seq)
}
