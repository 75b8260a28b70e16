package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/handlers"
	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

// chatEnv is the real conversation behind the real callback: signed XML
// in, the bot on the real Redis and PostgreSQL, passive replies out.
type chatEnv struct {
	*callbackEnv
	store *models.Store
	rdb   redis.UniversalClient
	safe  bool
	msgID atomic.Int64
}

func setupChat(tb testing.TB, safe bool) *chatEnv {
	tb.Helper()
	now := func() time.Time { return cst(2026, 12, 3, 10, 0) }
	store := modelstest.NewStore(tb, models.WithClock(now))
	modelstest.Seed(tb, store)

	addr := os.Getenv("TEST_REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{addr}})
	prefix := fmt.Sprintf("xuewu-test:%s:%d:", strings.ReplaceAll(tb.Name(), "/", "-"),
		time.Now().UnixNano())
	tb.Cleanup(func() {
		if keys, _ := rdb.Keys(tb.Context(), prefix+"*").Result(); len(keys) > 0 {
			rdb.Del(tb.Context(), keys...)
		}
		_ = rdb.Close()
	})
	chat := bot.New(bot.Config{Store: store, Redis: rdb, PublicURL: "https://xuewu.example.edu",
		Now: now, KeyPrefix: prefix})

	opts := []func(*callbackOpts){withConfig(func(c *handlers.CallbackConfig) {
		c.Conversation = chat
	})}
	if safe {
		opts = append(opts, withAESKey)
	}
	return &chatEnv{callbackEnv: setupCallback(tb, opts...), store: store, rdb: rdb, safe: safe}
}

// textXML is a text message as WeChat posts it.
func textXML(openID, text string, msgID int64) []byte {
	return fmt.Appendf(nil, "<xml><ToUserName><![CDATA[%s]]></ToUserName>"+
		"<FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime>"+
		"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content>"+
		"<MsgId>%d</MsgId></xml>", wxAccount, openID, 1764727200+msgID, text, msgID)
}

// post sends one message body and returns the text of the passive reply,
// "" for success.
func (c *chatEnv) post(t *testing.T, body []byte) string {
	t.Helper()
	var rec = c.postPlain(t, body)
	if c.safe {
		rec = c.postSafe(t, body)
	}
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	if rec.Body.String() == "success" {
		return ""
	}
	if c.safe {
		return openSafeReply(t, rec.Body.Bytes()).Content
	}
	return parseTextReply(t, rec.Body.Bytes()).Content
}

func (c *chatEnv) say(t *testing.T, openID, text string) string {
	t.Helper()
	reply := c.post(t, textXML(openID, text, c.msgID.Add(1)))
	require.LessOrEqual(t, len(reply), bot.MaxReplyBytes)
	return reply
}

func (c *chatEnv) bind(t *testing.T, openID, no string) {
	t.Helper()
	c.say(t, openID, "绑定")
	c.say(t, openID, no)
	require.Contains(t, c.say(t, openID, modelstest.StudentIDs[no]), "绑定成功")
}

func (c *chatEnv) requests(t *testing.T, no string) []models.Request {
	t.Helper()
	rs, err := c.store.Requests(t.Context(), models.RequestFilter{StudentNo: no})
	require.NoError(t, err)
	return rs
}

func TestChatFilesEveryKindThroughTheCallback(t *testing.T) {
	t.Parallel()
	three := "13904712233 13804712233 0471-6576286"
	tests := []struct {
		kind    models.Kind
		student string
		answers []string
	}{
		{models.KindDeferral, "2023150101", []string{"缓考", "1", "材料力学", "13904712233"}},
		{models.KindExemption, "2023150101", []string{"免考", "1", "体育", "13904712233"}},
		{models.KindSuspension, "2023150101", []string{"休学", "因病", three, "住院治疗"}},
		{models.KindResumption, "2023150104", []string{"复学", "4", three, "无"}},
		{models.KindWithdrawal, "2023150101", []string{"退学", "1", three, "无"}},
		{models.KindDemotion, "2023150101", []string{"降级", "1", three, "无"}},
		{models.KindPrepRepeat, "2025140101", []string{"预科重读", "1", three, "无"}},
	}
	for i, tc := range tests {
		for _, safe := range []bool{false, true} {
			name := fmt.Sprintf("%s/plain", tc.kind)
			if safe {
				name = fmt.Sprintf("%s/aes", tc.kind)
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				c := setupChat(t, safe)
				openID := fmt.Sprintf("o-%d", i)
				c.bind(t, openID, tc.student)
				var reply string
				for _, a := range tc.answers {
					reply = c.say(t, openID, a)
				}
				require.Contains(t, reply, "请核对")
				reply = c.say(t, openID, "确认")
				reqs := c.requests(t, tc.student)
				require.Len(t, reqs, 1)
				require.Equal(t, tc.kind, reqs[0].Kind)
				require.Contains(t, reply, fmt.Sprintf("第 %d 号", reqs[0].ID))
				require.Contains(t, reply, "/h5/print/")
			})
		}
	}
}

func TestChatFreeSentenceThroughTheCallback(t *testing.T) {
	t.Parallel()
	c := setupChat(t, true)
	c.bind(t, "o-1", "2023150101")
	reply := c.say(t, "o-1", "老师好，我生病了想申请缓考高等数学，电话13904712233")
	require.Contains(t, reply, "000208 高等数学")
	require.Contains(t, c.say(t, "o-1", "提交"), "已提交")
	require.Len(t, c.requests(t, "2023150101"), 1)
}

func TestChatResentCopiesTakeEffectOnce(t *testing.T) {
	t.Parallel()
	c := setupChat(t, false)
	c.bind(t, "o-1", "2023150101")
	c.say(t, "o-1", "我生病了，缓考材料力学，电话 13904712233")
	confirm := textXML("o-1", "确认", 424242)

	var wg sync.WaitGroup
	replies := make([]string, 3)
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = c.post(t, confirm)
		}()
	}
	wg.Wait()
	require.Len(t, c.requests(t, "2023150101"), 1, "three copies, one request")
	for _, r := range replies {
		require.Contains(t, r, "已提交")
	}
}

func TestChatRefusedBodiesChangeNothing(t *testing.T) {
	t.Parallel()
	c := setupChat(t, false)
	c.bind(t, "o-1", "2023150101")
	c.say(t, "o-1", "我生病了，缓考材料力学，电话 13904712233")

	q := c.signed(c.clock.Now())
	q.Set("signature", "0000000000000000000000000000000000000000")
	rec := c.serve(t, http.MethodPost, q, textXML("o-1", "确认", 900))
	require.Equal(t, http.StatusForbidden, rec.Code)
	stale := c.signed(c.clock.Now().Add(-6 * time.Minute))
	rec = c.serve(t, http.MethodPost, stale, textXML("o-1", "确认", 901))
	require.Equal(t, http.StatusForbidden, rec.Code)
	rec = c.postPlain(t, []byte("<xml><MsgType>text</MsgType><Content>确认"))
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.Empty(t, c.requests(t, "2023150101"))

	require.Contains(t, c.say(t, "o-1", "确认"), "已提交", "the form was kept intact")
}

// BenchmarkChatStep measures form steps (a wrong phone, re-asked) through
// the whole callback with the real Redis and PostgreSQL: messages per
// second, p50/p99 latency and Redis round trips per message.
func BenchmarkChatStep(b *testing.B) {
	c := setupChat(b, false)
	sayB := func(openID, text string, id int64) {
		rec := c.postPlainTB(b, textXML(openID, text, id))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	sayB("o-b", "绑定", 1)
	sayB("o-b", "2023150101", 2)
	sayB("o-b", modelstest.StudentIDs["2023150101"], 3)
	sayB("o-b", "退学", 4)
	sayB("o-b", "1", 5)

	rt := &countHook{}
	c.rdb.AddHook(rt)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		sayB("o-b", "不是电话", int64(100+i))
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "redis-rt/msg")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}

// postPlainTB posts a plain-mode message for a benchmark.
func (c *chatEnv) postPlainTB(tb testing.TB, body []byte) *httptest.ResponseRecorder {
	tb.Helper()
	q := c.signed(c.clock.Now())
	req := httptest.NewRequestWithContext(tb.Context(), http.MethodPost, "/wechat?"+q.Encode(),
		bytes.NewReader(body))
	rec := httptest.NewRecorder()
	c.cb.ServeHTTP(rec, req)
	return rec
}

// countHook counts Redis round trips: each command and each pipeline.
type countHook struct{ n atomic.Int64 }

func (h *countHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

func (h *countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}
