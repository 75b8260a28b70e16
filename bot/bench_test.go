package bot_test

import (
	"context"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/imut/xuewu/bot"
)

// roundTrips counts the Redis round trips a client makes: each command
// and each pipeline is one.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}

func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}

// BenchmarkFormStep measures one form step (a phone answer re-asked, so
// the dialog stays at the same question) through Bot.Handle with the real
// Redis and PostgreSQL, and reports Redis round trips per message and the
// p50/p99 latency.
func BenchmarkFormStep(b *testing.B) {
	e := setup(b, backends[0])
	e.bindStudent("bench", "2023150101")
	e.say("bench", "退学")
	e.say("bench", "1")

	counter := &roundTrips{}
	e.rdb.AddHook(counter)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := counter.n.Load()
	for i := range b.N {
		t0 := time.Now()
		_, err := e.bot.Handle(ctx, bot.Message{OpenID: "bench", Type: bot.MsgText,
			Content: "不是电话", MsgID: int64(1_000_000 + i), CreateTime: 1})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(counter.n.Load()-start)/float64(b.N), "redis-rt/msg")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}
