package wechat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
)

// cacheTimeout bounds each Redis call of the SDK's cache, which the SDK
// makes without a context.
const cacheTimeout = 2 * time.Second

// redisCache is the SDK's token cache over go-redis v9: the access token
// lives in Redis, so every instance of xuewu uses the same one.
type redisCache struct {
	rdb    redis.UniversalClient
	prefix string
	log    *slog.Logger
}

var _ cache.ContextCache = (*redisCache)(nil)

// Get returns the string stored under key, or nil.
func (c *redisCache) Get(key string) any {
	ctx, cancel := context.WithTimeout(context.Background(), cacheTimeout)
	defer cancel()
	return c.GetContext(ctx, key)
}

// GetContext returns the string stored under key, or nil when there is
// none or Redis fails (then the SDK fetches a fresh token).
func (c *redisCache) GetContext(ctx context.Context, key string) any {
	v, err := c.rdb.Get(ctx, c.prefix+key).Result()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			c.log.WarnContext(ctx, "wechat token cache: read failed", "error", err)
		}
		return nil
	}
	return v
}

// Set stores val, which must be a string, under key for timeout.
func (c *redisCache) Set(key string, val any, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), cacheTimeout)
	defer cancel()
	return c.SetContext(ctx, key, val, timeout)
}

// SetContext stores val, which must be a string, under key for timeout.
// A Redis failure is logged and not returned: the token just fetched is
// still good, only not shared.
func (c *redisCache) SetContext(ctx context.Context, key string, val any,
	timeout time.Duration) error {
	s, ok := val.(string)
	if !ok {
		return fmt.Errorf("wechat token cache: value of %s is a %T, not a string", key, val)
	}
	if timeout <= 0 {
		return nil // already expired: nothing to keep
	}
	if err := c.rdb.Set(ctx, c.prefix+key, s, timeout).Err(); err != nil {
		c.log.WarnContext(ctx, "wechat token cache: write failed", "error", err)
	}
	return nil
}

// IsExist reports whether key holds a value.
func (c *redisCache) IsExist(key string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), cacheTimeout)
	defer cancel()
	return c.IsExistContext(ctx, key)
}

// IsExistContext reports whether key holds a value.
func (c *redisCache) IsExistContext(ctx context.Context, key string) bool {
	n, err := c.rdb.Exists(ctx, c.prefix+key).Result()
	return err == nil && n > 0
}

// Delete removes key.
func (c *redisCache) Delete(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), cacheTimeout)
	defer cancel()
	return c.DeleteContext(ctx, key)
}

// DeleteContext removes key.
func (c *redisCache) DeleteContext(ctx context.Context, key string) error {
	if err := c.rdb.Del(ctx, c.prefix+key).Err(); err != nil {
		return fmt.Errorf("wechat token cache: delete: %w", err)
	}
	return nil
}

// deleteIfScript deletes a key only while it still holds the given value.
var deleteIfScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`)

// deleteIf removes key if it still holds val, so that a token another
// instance has just refreshed is kept.
func (c *redisCache) deleteIf(ctx context.Context, key, val string) error {
	err := deleteIfScript.Run(ctx, c.rdb, []string{c.prefix + key}, val).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("wechat token cache: drop token: %w", err)
	}
	return nil
}
