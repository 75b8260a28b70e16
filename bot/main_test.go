package bot_test

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

func TestMain(m *testing.M) { os.Exit(modelstest.Main(m)) }

var ctx = context.Background()

// clock is the tests' settable clock.
type clock = modelstest.Clock

// env is one test's bot over its own database schema and Redis keys.
type env struct {
	t     testing.TB
	store *models.Store
	bot   *bot.Bot
	clock *clock
	rdb   redis.UniversalClient
	// prefix starts the test's Redis keys.
	prefix string
	msgID  atomic.Int64
}

// backend is where a test keeps its state: PostgreSQL and Redis, as in
// production, or the embedded SQLite file and in-process Redis that
// `xuewu serve` uses when neither is configured.
type backend struct {
	name  string
	store func(t testing.TB, opts ...models.Option) *models.Store
	redis func(t testing.TB) redis.UniversalClient
}

// backends are the two backends every conversation test runs on, each
// as a parallel subtest named after it.
var backends = []backend{
	{"postgres", modelstest.NewStore, redisClient},
	{"embedded", modelstest.NewEmbeddedStore, inProcessRedis},
}

// redisClient connects to the Redis the tests use: 127.0.0.1:6379 unless
// TEST_REDIS_ADDR names another.
func redisClient(t testing.TB) redis.UniversalClient {
	t.Helper()
	addr := os.Getenv("TEST_REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{addr}})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// inProcessRedis starts a miniredis of the test's own, set up as
// `xuewu serve` sets up its in-process Redis: keys expire in real time.
func inProcessRedis(t testing.TB) redis.UniversalClient {
	t.Helper()
	mr := miniredis.RunT(t)
	mr.ClockTTL(true)
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{mr.Addr()}})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// setup gives the test a bot over a fresh store and Redis keys of its own
// on backend b, with the seeded school, at 2026-12-03 10:00 China time.
func setup(t testing.TB, b backend) *env {
	t.Helper()
	c := modelstest.NewClock(time.Date(2026, 12, 3, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	s := b.store(t, models.WithClock(c.Now))
	modelstest.Seed(t, s)
	rdb := b.redis(t)
	prefix := "xuewu-test:" + strings.ReplaceAll(t.Name(), "/", "-") + ":" +
		time.Now().Format("150405.000000") + ":"
	t.Cleanup(func() {
		keys, _ := rdb.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
	})
	bt := bot.New(bot.Config{Store: s, Redis: rdb, PublicURL: "https://xuewu.example.edu",
		Now: c.Now, KeyPrefix: prefix})
	return &env{t: t, store: s, bot: bt, clock: c, rdb: rdb, prefix: prefix}
}

// say sends a text message and returns the reply.
func (e *env) say(openID, text string) string {
	e.t.Helper()
	return e.send(bot.Message{OpenID: openID, Type: bot.MsgText, Content: text,
		MsgID: e.msgID.Add(1), CreateTime: e.clock.Now().Unix()})
}

func (e *env) send(m bot.Message) string {
	e.t.Helper()
	reply, err := e.bot.Handle(ctx, m)
	require.NoError(e.t, err)
	require.LessOrEqual(e.t, len(reply), bot.MaxReplyBytes)
	return reply
}

// bindStudent binds openID to the seeded student no.
func (e *env) bindStudent(openID, no string) {
	e.t.Helper()
	e.say(openID, "绑定")
	e.say(openID, no)
	require.Contains(e.t, e.say(openID, modelstest.StudentIDs[no]), "绑定成功")
}

// requests returns the student's stored requests, oldest first.
func (e *env) requests(no string) []models.Request {
	e.t.Helper()
	rs, err := e.store.Requests(ctx, models.RequestFilter{StudentNo: no})
	require.NoError(e.t, err)
	return rs
}
