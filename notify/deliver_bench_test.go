package notify_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
	"github.com/imut/xuewu/notify"
	"github.com/imut/xuewu/notify/wechat"
)

// BenchmarkDeliver measures notices delivered per second to a fake WeChat
// API: each notice is an approval card composed from the database, sent
// as a template message over HTTP and recorded. Run it with:
// go test -run '^$' -bench Deliver -benchtime 2000x ./notify/
func BenchmarkDeliver(b *testing.B) {
	var sent atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if strings.Contains(r.URL.Path, "token") {
			_, _ = io.WriteString(w, `{"access_token":"tok","expires_in":7200}`)
			return
		}
		sent.Add(1)
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok","msgid":1}`)
	}))
	b.Cleanup(api.Close)

	store := modelstest.NewStore(b)
	modelstest.Seed(b, store)
	if _, err := store.BindStaff(b.Context(), "o-dean", "T1579",
		modelstest.ActivationCodes["T1579"]); err != nil {
		b.Fatal(err)
	}
	req, err := store.Submit(b.Context(), "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseCode: "150165", Phones: []string{"13904712233"}})
	if err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{"127.0.0.1:6379"}})
	b.Cleanup(func() { _ = rdb.Close() })
	wx, err := wechat.New(wechat.Config{AppID: "wxbench", AppSecret: "s", Token: "t",
		APIBase: api.URL, KeyPrefix: fmt.Sprintf("xuewu-bench:%d:", time.Now().UnixNano())},
		rdb, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	sender := notify.NewWeChatSender(wx, map[notify.CardKind]string{
		notify.CardApproval: "tpl-approval"}, 1e6)
	nt := notify.NewNotifier(notify.NotifierConfig{Store: store, Sender: sender,
		PublicURL: "https://x.example"})
	n := models.Notice{Type: models.NoticeStepReady, RequestID: req.ID, StepID: req.Steps[0].ID}

	b.ResetTimer()
	for i := range b.N {
		if err := nt.Notify(b.Context(), fmt.Sprintf("bench%d", i), n); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if got := sent.Load(); got != int64(b.N) {
		b.Fatalf("fake API got %d messages, want %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notices/s")
}
