package notify_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
	"github.com/imut/xuewu/notify"
)

func deferralOf(t *testing.T, s *models.Store) *models.Request {
	t.Helper()
	req, err := s.Submit(ctx, "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseCode: "150165", Phones: []string{"13904712233"}})
	require.NoError(t, err)
	return req
}

func TestServerErrorsAreRetriedUntilDelivered(t *testing.T) {
	t.Parallel()
	e := setupWith(t, func(qc *notify.QueueConfig) { qc.RetryPolicy = fastRetry{} })
	bind(t, e.store, "o-dean", "T1579")
	var calls int
	e.sender.fail = func(string, notify.Outgoing) error {
		calls++
		if calls <= 3 {
			return errors.New("POST /cgi-bin/message/template/send: HTTP 500")
		}
		return nil
	}
	deferralOf(t, e.store)
	eventually(t, "the card after three failures", func() bool {
		return len(e.sender.to("o-dean")) == 1
	})
	time.Sleep(300 * time.Millisecond)
	require.Len(t, e.sender.to("o-dean"), 1, "delivered once")
	e.sender.mu.Lock()
	defer e.sender.mu.Unlock()
	require.Equal(t, 4, calls)
}

// blockingSender never returns until released, as a worker that dies in
// the middle of a delivery; it never reports a message as sent.
type blockingSender struct {
	entered chan struct{}
	release chan struct{}
}

func (b *blockingSender) Send(context.Context, string, notify.Outgoing) error {
	b.entered <- struct{}{}
	<-b.release
	return errors.New("the worker died")
}

func TestJobOfAKilledWorkerIsDeliveredOnceAfterRestart(t *testing.T) {
	t.Parallel()
	db := modelstest.NewDB(t)
	quiet := slog.New(slog.DiscardHandler)

	// Instance A takes the job and dies in the middle of sending it.
	dying := &blockingSender{entered: make(chan struct{}, 1), release: make(chan struct{})}
	t.Cleanup(func() { close(dying.release) })
	workersA := river.NewWorkers()
	workerA := &notify.NoticeWorker{}
	river.AddWorker(workersA, workerA)
	qa, err := notify.NewQueue(ctx, db, notify.QueueConfig{Workers: workersA,
		PollInterval: 50 * time.Millisecond, Log: quiet})
	require.NoError(t, err)
	store, err := models.NewStore(ctx, db, models.WithOutbox(qa))
	require.NoError(t, err)
	modelstest.Seed(t, store)
	bind(t, store, "o-dean", "T1579")
	workerA.Notifier = notify.NewNotifier(notify.NotifierConfig{Store: store, Sender: dying})
	require.NoError(t, qa.Start(ctx))

	deferralOf(t, store)
	select {
	case <-dying.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("instance A never took the job")
	}
	stopCtx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_ = qa.Stop(stopCtx) // A is gone; its job stays marked running

	// Instance B starts later and rescues the stuck job.
	time.Sleep(2 * time.Second)
	sender := &fakeSender{}
	workersB := river.NewWorkers()
	river.AddWorker(workersB, &notify.NoticeWorker{Notifier: notify.NewNotifier(
		notify.NotifierConfig{Store: store, Sender: sender})})
	qb, err := notify.NewQueue(ctx, db, notify.QueueConfig{Workers: workersB,
		PollInterval: 50 * time.Millisecond, RescueAfter: time.Second,
		RetryPolicy: fastRetry{}, Log: quiet})
	require.NoError(t, err)
	require.NoError(t, qb.Start(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = qb.Stop(sctx)
	})

	deadline := time.Now().Add(60 * time.Second)
	for len(sender.to("o-dean")) == 0 {
		require.True(t, time.Now().Before(deadline), "the rescued job was never delivered")
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	require.Len(t, sender.to("o-dean"), 1, "delivered once after the restart")
}

func TestSweepRemindersAreDeliveredOnce(t *testing.T) {
	t.Parallel()
	e := setup(t)
	bind(t, e.store, "o-stu", "2023150101")
	bind(t, e.store, "o-dean", "T1579")
	req := deferralOf(t, e.store)
	eventually(t, "the dean's card", func() bool { return len(e.sender.to("o-dean")) == 1 })

	// Each sweep twice; the notices of one go out before the next, as
	// they do when the server sweeps every few minutes.
	steps := []struct {
		at          time.Time
		stu, dean   int
		wantExpired int
	}{
		{req.Deadline.Add(-48 * time.Hour), 1, 2, 0},
		{req.Deadline.Add(-2 * time.Hour), 2, 3, 0},
		{req.Deadline.Add(time.Second), 3, 4, 1},
	}
	for _, st := range steps {
		var expired int
		for range 2 {
			res, err := e.store.Sweep(ctx, st.at)
			require.NoError(t, err)
			expired += res.Expired
		}
		require.Equal(t, st.wantExpired, expired)
		eventually(t, "the student's notices", func() bool {
			return len(e.sender.to("o-stu")) == st.stu
		})
		eventually(t, "the dean's notices", func() bool {
			return len(e.sender.to("o-dean")) == st.dean
		})
	}
	stu := e.sender.to("o-stu")
	require.Contains(t, stu[0].Title, "还剩 3 天")
	require.Contains(t, stu[1].Title, "还剩 1 天")
	require.Contains(t, stu[2].Title, "过期自动撤销")
	time.Sleep(300 * time.Millisecond)
	require.Len(t, e.sender.to("o-stu"), 3, "a second sweep sends nothing again")
}
