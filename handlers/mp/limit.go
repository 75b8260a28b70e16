package mp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Binding limits, as in the chat: at most bindMaxFails failed tries per
// account and per number within bindWindow.
const (
	bindMaxFails = 5
	bindWindow   = 15 * time.Minute
)

// bindLimits counts failed binding tries in Redis, per mini-program
// account ("a:" + openid) and per 学号 or 工号 ("n:" + number). The
// per-number key is the chat's own, so that the two ways in share one
// allowance for each number.
type bindLimits struct {
	rdb    redis.UniversalClient
	prefix string
}

func (l bindLimits) keys(openID, no string) []string {
	return []string{l.prefix + "a:" + openID, l.prefix + "n:" + no}
}

// wait returns how long the account or number must wait, 0 when it may
// try.
func (l bindLimits) wait(ctx context.Context, openID, no string) (time.Duration, error) {
	var longest time.Duration
	for _, k := range l.keys(openID, no) {
		n, err := l.rdb.Get(ctx, k).Int()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("read binding tries: %w", err)
		}
		if n < bindMaxFails {
			continue
		}
		ttl, err := l.rdb.PTTL(ctx, k).Result()
		if err != nil {
			return 0, fmt.Errorf("read binding lock: %w", err)
		}
		longest = max(longest, ttl, time.Second)
	}
	return longest, nil
}

// fail counts one failed try against the account and the number.
func (l bindLimits) fail(ctx context.Context, openID, no string) error {
	for _, k := range l.keys(openID, no) {
		pipe := l.rdb.TxPipeline()
		pipe.Incr(ctx, k)
		pipe.ExpireNX(ctx, k, bindWindow)
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("count binding try: %w", err)
		}
	}
	return nil
}
