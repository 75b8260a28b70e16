package notify_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
	"github.com/imut/xuewu/notify"
)

func TestMain(m *testing.M) { os.Exit(modelstest.Main(m)) }

var ctx = context.Background()

// sent is one message the fake sender took.
type sent struct {
	OpenID string
	Msg    notify.Outgoing
}

// fakeSender records messages; fail decides per message whether to fail.
type fakeSender struct {
	mu   sync.Mutex
	got  []sent
	fail func(openID string, m notify.Outgoing) error
}

func (f *fakeSender) Send(_ context.Context, openID string, m notify.Outgoing) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		if err := f.fail(openID, m); err != nil {
			return err
		}
	}
	f.got = append(f.got, sent{openID, m})
	return nil
}

func (f *fakeSender) to(openID string) []notify.Outgoing {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []notify.Outgoing
	for _, s := range f.got {
		if s.OpenID == openID {
			out = append(out, s.Msg)
		}
	}
	return out
}

type permanent struct{}

func (permanent) Error() string   { return "errcode 43004: require subscribe" }
func (permanent) Permanent() bool { return true }

type env struct {
	store  *models.Store
	sender *fakeSender
	queue  *notify.Queue
	media  *fakeMedia
	dir    string
}

// fakeMedia serves one file for every media id, or fails.
type fakeMedia struct {
	mu   sync.Mutex
	data []byte
	err  error
}

func (f *fakeMedia) Media(context.Context, string) ([]byte, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.data, "image/jpeg", f.err
}

// setup gives a store whose notices go to a running queue of workers.
func setup(t *testing.T) *env {
	t.Helper()
	return setupWith(t, nil)
}

// fastRetry retries a failed job after 100 ms, so tests need not wait
// for River's growing backoff.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(100 * time.Millisecond)
}

// setupWith is setup with the queue's configuration changed by edit.
func setupWith(t *testing.T, edit func(*notify.QueueConfig)) *env {
	t.Helper()
	sender := &fakeSender{}
	db := modelstest.NewDB(t)
	var store *models.Store
	workers := river.NewWorkers()
	nt := &notify.NoticeWorker{}
	river.AddWorker(workers, nt)
	qc := notify.QueueConfig{Workers: workers, PollInterval: 50 * time.Millisecond,
		Log: slog.New(slog.DiscardHandler)}
	if edit != nil {
		edit(&qc)
	}
	q, err := notify.NewQueue(ctx, db, qc)
	require.NoError(t, err)
	store, err = models.NewStore(ctx, db, models.WithOutbox(q))
	require.NoError(t, err)
	modelstest.Seed(t, store)
	media, dir := &fakeMedia{}, t.TempDir()
	nt.Notifier = notify.NewNotifier(notify.NotifierConfig{Store: store, Sender: sender,
		PublicURL: "https://x.example",
		Evidence: &notify.EvidenceFetcher{Store: store, Media: media, Dir: dir,
			Log: slog.New(slog.DiscardHandler)}})
	require.NoError(t, q.Start(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	})
	return &env{store: store, sender: sender, queue: q, media: media, dir: dir}
}

// eventually polls cond until it holds or five seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func bind(t *testing.T, s *models.Store, openID, no string) {
	t.Helper()
	if code, ok := modelstest.ActivationCodes[no]; ok {
		_, err := s.BindStaff(ctx, openID, no, code)
		require.NoError(t, err)
		return
	}
	_, err := s.BindStudent(ctx, openID, no, modelstest.StudentIDs[no])
	require.NoError(t, err)
}

func TestDeferralNoticesReachEachPerson(t *testing.T) {
	t.Parallel()
	e := setup(t)
	bind(t, e.store, "o-stu", "2023150101")
	bind(t, e.store, "o-dean", "T1579")
	bind(t, e.store, "o-office", "T1586")
	bind(t, e.store, "o-teacher", "T1592")

	req, err := e.store.Submit(ctx, "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseCode: "150165", Phones: []string{"13904712233"}})
	require.NoError(t, err)
	eventually(t, "the dean's card", func() bool { return len(e.sender.to("o-dean")) == 1 })
	card := e.sender.to("o-dean")[0]
	require.Equal(t, notify.CardApproval, card.Card)
	require.Contains(t, card.Title, "武杰")
	require.Equal(t, "https://x.example/h5/approve/"+itoa(req.ID), card.URL)
	require.Contains(t, card.Body(), "150165 材料力学")
	require.Contains(t, card.Body(), "2026年", "deadline shown")

	_, err = e.store.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1579",
		Action: models.ActionApprove})
	require.NoError(t, err)
	eventually(t, "the office's card", func() bool { return len(e.sender.to("o-office")) == 1 })
	eventually(t, "the student's progress", func() bool { return len(e.sender.to("o-stu")) == 1 })
	require.Contains(t, e.sender.to("o-stu")[0].Title, "范玉玉")

	_, err = e.store.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1586",
		Action: models.ActionApprove})
	require.NoError(t, err)
	eventually(t, "the teacher's notice", func() bool { return len(e.sender.to("o-teacher")) == 1 })
	eventually(t, "the outcome", func() bool { return len(e.sender.to("o-stu")) == 2 })
	require.Contains(t, e.sender.to("o-stu")[1].Remark, "任课教师")
	require.Contains(t, e.sender.to("o-teacher")[0].Title, "材料力学")

	var ds []models.Delivery
	eventually(t, "five deliveries recorded", func() bool {
		ds, _ = e.store.DeliveriesOf(ctx, req.ID)
		return len(ds) == 5
	})
	for _, d := range ds {
		require.Equal(t, models.DeliverySent, d.Status)
	}
}

func TestNoticeWaitsForBinding(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req, err := e.store.Submit(ctx, "2023150101", models.Draft{Kind: models.KindWithdrawal,
		Reason: "个人原因", Phones: []string{"13904712233", "13804712233", "0471-6576286"}})
	require.NoError(t, err)
	eventually(t, "a waiting delivery", func() bool {
		ds, _ := e.store.DeliveriesOf(ctx, req.ID)
		return len(ds) == 1 && ds[0].Status == models.DeliveryWaiting
	})
	require.Empty(t, e.sender.got)

	bind(t, e.store, "o-adv", "T1593")
	eventually(t, "the card after binding", func() bool { return len(e.sender.to("o-adv")) == 1 })
	require.Contains(t, e.sender.to("o-adv")[0].Title, "退学")
	require.Equal(t, "https://x.example/h5/approve/"+itoa(req.ID), e.sender.to("o-adv")[0].URL)
	require.Equal(t, notify.CardApproval, e.sender.to("o-adv")[0].Card, "still an approval card")
}

func TestRetryDoesNotSendTwice(t *testing.T) {
	t.Parallel()
	e := setup(t)
	bind(t, e.store, "o-stu", "2023150101")
	bind(t, e.store, "o-dean", "T1579")
	bind(t, e.store, "o-office", "T1586")
	var failedOnce bool
	e.sender.fail = func(openID string, _ notify.Outgoing) error {
		if openID == "o-office" && !failedOnce {
			failedOnce = true
			return errors.New("HTTP 500")
		}
		return nil
	}
	req, err := e.store.Submit(ctx, "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseCode: "150165", Phones: []string{"13904712233"}})
	require.NoError(t, err)
	eventually(t, "the dean's card", func() bool { return len(e.sender.to("o-dean")) == 1 })
	_, err = e.store.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1579",
		Action: models.ActionApprove})
	require.NoError(t, err)

	// The step_decided notice (to the student) and step_ready (to the office)
	// are separate jobs; the office's fails once and is retried by River.
	eventually(t, "the retried card", func() bool { return len(e.sender.to("o-office")) == 1 })
	require.Len(t, e.sender.to("o-stu"), 1)
}

func TestUnsubscribedIsRecordedNotRetried(t *testing.T) {
	t.Parallel()
	e := setup(t)
	bind(t, e.store, "o-dean", "T1579")
	calls := 0
	e.sender.fail = func(string, notify.Outgoing) error { calls++; return permanent{} }
	req, err := e.store.Submit(ctx, "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseCode: "150165", Phones: []string{"13904712233"}})
	require.NoError(t, err)
	eventually(t, "a failed delivery", func() bool {
		ds, _ := e.store.DeliveriesOf(ctx, req.ID)
		return len(ds) == 1 && ds[0].Status == models.DeliveryFailed
	})
	time.Sleep(300 * time.Millisecond)
	e.sender.mu.Lock()
	defer e.sender.mu.Unlock()
	require.Equal(t, 1, calls)
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
