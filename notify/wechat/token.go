package wechat

import (
	"context"
	"log/slog"
)

// tokenSource hands out an access token, cached; the SDK's token handles
// of the official account and the mini-program are ones.
type tokenSource interface {
	GetAccessTokenContext(ctx context.Context) (string, error)
}

// tokenKeeper is one app's access token: where it comes from and the
// cache key under which every instance shares it.
type tokenKeeper struct {
	src   tokenSource
	cache *redisCache
	key   string
	log   *slog.Logger
}

// call calls fn with the shared access token. When WeChat rejects the
// token, it drops it from the cache, fetches a new one and calls once
// more. This is the one place of the token refresh and retry, for the
// official account and the mini-program alike.
func (t tokenKeeper) call(ctx context.Context,
	fn func(ctx context.Context, token string) error) error {
	for retried := false; ; retried = true {
		token, err := t.src.GetAccessTokenContext(ctx)
		if err != nil {
			return tokenError(err)
		}

		err = fn(ctx, token)
		if retried || !tokenRejected(err) {
			return err
		}

		t.log.InfoContext(ctx, "wechat access token rejected, refreshing", "error", err)
		if err := t.cache.deleteIf(ctx, t.key, token); err != nil {
			return err
		}
	}
}
