package notify_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
	"github.com/imut/xuewu/notify"
	"github.com/imut/xuewu/notify/wechat"
)

const miniTemplate = "tpl-mp"

// miniSent is one subscribe message the fake took.
type miniSent struct {
	OpenID string
	Msg    wechat.Subscribe
}

// fakeMini records subscribe messages; fail decides per call whether to
// fail it.
type fakeMini struct {
	mu    sync.Mutex
	calls int
	got   []miniSent
	fail  func(call int) error
}

func (f *fakeMini) SendSubscribe(_ context.Context, openID string, s wechat.Subscribe) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.fail != nil {
		if err := f.fail(f.calls); err != nil {
			return err
		}
	}
	f.got = append(f.got, miniSent{openID, s})
	return nil
}

func (f *fakeMini) to(openID string) []wechat.Subscribe {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []wechat.Subscribe
	for _, s := range f.got {
		if s.OpenID == openID {
			out = append(out, s.Msg)
		}
	}
	return out
}

// bindMini binds a mini-program account to the student.
func bindMini(t *testing.T, s *models.Store, miniOpenID, no string) {
	t.Helper()
	_, err := s.BindStudentMini(ctx, miniOpenID, no, modelstest.StudentIDs[no])
	require.NoError(t, err)
}

// setupMini gives a store whose notices go to a running queue, with
// subscribe messages going to mini.
func setupMini(t *testing.T, mini notify.MiniSender) *env {
	t.Helper()
	db := modelstest.NewDB(t)
	workers := river.NewWorkers()
	nt := &notify.NoticeWorker{}
	river.AddWorker(workers, nt)
	q, err := notify.NewQueue(ctx, db, notify.QueueConfig{Workers: workers,
		PollInterval: 50 * time.Millisecond, Log: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	store, err := models.NewStore(ctx, db, models.WithOutbox(q))
	require.NoError(t, err)
	modelstest.Seed(t, store)
	sender := &fakeSender{}
	nt.Notifier = notify.NewNotifier(notify.NotifierConfig{Store: store, Sender: sender,
		Mini: mini, MiniTemplate: miniTemplate, PublicURL: "https://x.example"})
	require.NoError(t, q.Start(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	})
	return &env{store: store, sender: sender, queue: q}
}

// decidedDeferral files 武杰's deferral and has the dean approve it,
// without an outbox: the test hands the notice to the notifier itself.
func decidedDeferral(t *testing.T, s *models.Store) models.Notice {
	t.Helper()
	req := deferralOf(t, s)
	_, err := s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1579",
		Action: models.ActionApprove})
	require.NoError(t, err)
	return models.Notice{Type: models.NoticeStepDecided, RequestID: req.ID,
		StepID: req.Steps[0].ID}
}

func TestSubscribeMessageWhenStepDecided(t *testing.T) {
	t.Parallel()
	mini := &fakeMini{}
	e := setupMini(t, mini)
	bindMini(t, e.store, "m-stu", "2023150101")
	bind(t, e.store, "o-dean", "T1579")

	req := deferralOf(t, e.store)
	eventually(t, "the dean's card", func() bool { return len(e.sender.to("o-dean")) == 1 })
	_, err := e.store.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1579",
		Action: models.ActionApprove})
	require.NoError(t, err)

	eventually(t, "the student's subscribe message", func() bool {
		return len(mini.to("m-stu")) == 1
	})
	got := mini.to("m-stu")[0]
	require.Equal(t, miniTemplate, got.TemplateID)
	require.Equal(t, "pages/request/detail?id="+itoa(req.ID), got.Page)
	require.Equal(t, "缓考·材料力学", got.Data["thing1"])
	require.Equal(t, "本步通过", got.Data["phrase2"])
	require.Equal(t, "2026年", got.Data["time3"][:len("2026年")])
	require.Contains(t, got.Data["thing4"], "下一步请找")
	for k, v := range got.Data {
		require.LessOrEqual(t, utf8.RuneCountInString(v), 20, k)
	}

	// The record is saved once the send returns.
	var mp []models.Delivery
	eventually(t, "the subscribe message's record", func() bool {
		ds, err := e.store.DeliveriesOf(ctx, req.ID)
		require.NoError(t, err)
		mp = mp[:0]
		for _, d := range ds {
			if d.RecipientNo == "2023150101" {
				mp = append(mp, d)
			}
		}
		return len(mp) > 0
	})
	require.Len(t, mp, 1, "no official-account delivery waits for the student")
	require.Equal(t, models.DeliverySent, mp[0].Status)
	require.Regexp(t, `:student:2023150101:mp$`, mp[0].Key)
	require.Empty(t, e.sender.to(""), "nothing sent to an empty openid")
	require.Len(t, mini.to("m-stu"), 1, "once")
}

func TestCardAndSubscribeMessageEachSentOnce(t *testing.T) {
	t.Parallel()
	store := modelstest.NewStore(t)
	modelstest.Seed(t, store)
	bind(t, store, "o-stu", "2023150101")
	bindMini(t, store, "m-stu", "2023150101")
	sender, mini := &fakeSender{}, &fakeMini{}
	mini.fail = func(call int) error {
		if call == 1 {
			return errors.New("POST /cgi-bin/message/subscribe/send: HTTP 502")
		}
		return nil
	}
	nt := notify.NewNotifier(notify.NotifierConfig{Store: store, Sender: sender,
		Mini: mini, MiniTemplate: miniTemplate})
	n := decidedDeferral(t, store)

	require.Error(t, nt.Notify(ctx, "k1", n), "the failed subscribe message asks for a retry")
	require.NoError(t, nt.Notify(ctx, "k1", n))
	require.NoError(t, nt.Notify(ctx, "k1", n))

	require.Len(t, sender.to("o-stu"), 1, "the card went out once")
	require.Len(t, mini.to("m-stu"), 1, "the subscribe message went out once")
	require.Equal(t, 2, mini.calls)
	for _, key := range []string{"k1:student:2023150101", "k1:student:2023150101:mp"} {
		d, err := store.DeliveryByKey(ctx, key)
		require.NoError(t, err)
		require.Equal(t, models.DeliverySent, d.Status, key)
	}
}

func TestNoSubscribeMessageWithoutTemplate(t *testing.T) {
	t.Parallel()
	store := modelstest.NewStore(t)
	modelstest.Seed(t, store)
	bindMini(t, store, "m-stu", "2023150101")
	sender, mini := &fakeSender{}, &fakeMini{}
	nt := notify.NewNotifier(notify.NotifierConfig{Store: store, Sender: sender, Mini: mini})
	n := decidedDeferral(t, store)

	require.NoError(t, nt.Notify(ctx, "k1", n))

	require.Zero(t, mini.calls)
	d, err := store.DeliveryByKey(ctx, "k1:student:2023150101")
	require.NoError(t, err)
	require.Equal(t, models.DeliveryWaiting, d.Status, "waits for the official account")
}

// fakeMiniAPI is the mini-program's API on httptest, refusing every
// subscribe message with errcode 43101.
type fakeMiniAPI struct {
	srv   *httptest.Server
	mu    sync.Mutex
	sends int
}

func newFakeMiniAPI(t *testing.T) *fakeMiniAPI {
	t.Helper()
	f := &fakeMiniAPI{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /cgi-bin/stable_token", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "mt", "expires_in": 7200})
	})
	mux.HandleFunc("POST /cgi-bin/message/subscribe/send",
		func(w http.ResponseWriter, _ *http.Request) {
			f.mu.Lock()
			f.sends++
			f.mu.Unlock()
			_ = json.NewEncoder(w).Encode(map[string]any{"errcode": 43101,
				"errmsg": "user refuse to accept the msg"})
		})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func TestSubscribeRefusedIsRecordedNotRetried(t *testing.T) {
	t.Parallel()
	api := newFakeMiniAPI(t)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	t.Cleanup(func() { _ = rdb.Close() })
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	prefix := "xuewu:test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() { cleanKeys(rdb, prefix) })
	client, err := wechat.NewMini(wechat.MiniConfig{AppID: "wxmini", AppSecret: "s",
		APIBase: api.srv.URL, KeyPrefix: prefix}, rdb, nil)
	require.NoError(t, err)

	store := modelstest.NewStore(t)
	modelstest.Seed(t, store)
	bindMini(t, store, "m-stu", "2023150101")
	nt := notify.NewNotifier(notify.NotifierConfig{Store: store, Sender: &fakeSender{},
		Mini: client, MiniTemplate: miniTemplate})
	n := decidedDeferral(t, store)

	require.NoError(t, nt.Notify(ctx, "k1", n), "a refusal is no cause to retry")
	require.NoError(t, nt.Notify(ctx, "k1", n))

	d, err := store.DeliveryByKey(ctx, "k1:student:2023150101:mp")
	require.NoError(t, err)
	require.Equal(t, models.DeliveryFailed, d.Status)
	require.Contains(t, d.Error, "43101")
	api.mu.Lock()
	defer api.mu.Unlock()
	require.Equal(t, 1, api.sends, "not sent again")
}

func cleanKeys(rdb redis.UniversalClient, prefix string) {
	keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
	if len(keys) > 0 {
		_ = rdb.Del(context.Background(), keys...).Err()
	}
}

func TestStaffSubscribeMessageOpensHome(t *testing.T) {
	t.Parallel()
	store := modelstest.NewStore(t)
	modelstest.Seed(t, store)
	_, err := store.BindStaffMini(ctx, "m-dean", "T1579", modelstest.ActivationCodes["T1579"])
	require.NoError(t, err)
	mini := &fakeMini{}
	nt := notify.NewNotifier(notify.NotifierConfig{Store: store, Sender: &fakeSender{},
		Mini: mini, MiniTemplate: miniTemplate})
	req := deferralOf(t, store)

	require.NoError(t, nt.Notify(ctx, "k1", models.Notice{Type: models.NoticeStepReady,
		RequestID: req.ID, StepID: req.Steps[0].ID}))

	got := mini.to("m-dean")
	require.Len(t, got, 1)
	require.Equal(t, "pages/index/index", got[0].Page, "staff approve on the /h5 pages")
	require.Equal(t, "待审批", got[0].Data["phrase2"])
	require.Equal(t, "缓考", got[0].Data["thing1"])
	_, err = store.DeliveryByKey(ctx, "k1:staff:T1579")
	require.ErrorIs(t, err, models.ErrNotFound, "nothing waits for the official account")
}
