package wechat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

func TestRedisCache(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	t.Cleanup(func() { _ = rdb.Close() })
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	c := &redisCache{rdb: rdb, prefix: "xuewu:test:" + hex.EncodeToString(b) + ":",
		log: slog.New(slog.DiscardHandler)}
	t.Cleanup(func() { _ = rdb.Del(context.Background(), c.prefix+"k").Err() })

	require.Nil(t, c.Get("k"))
	require.False(t, c.IsExist("k"))

	require.NoError(t, c.Set("k", "v1", time.Minute))
	require.Equal(t, "v1", c.Get("k"))
	require.True(t, c.IsExist("k"))
	require.Error(t, c.Set("k", 42, time.Minute), "only strings")

	require.NoError(t, c.deleteIf(t.Context(), "k", "other"))
	require.Equal(t, "v1", c.Get("k"), "a token refreshed meanwhile is kept")
	require.NoError(t, c.deleteIf(t.Context(), "k", "v1"))
	require.Nil(t, c.Get("k"))

	require.NoError(t, c.Set("k", "v2", time.Minute))
	require.NoError(t, c.Delete("k"))
	require.False(t, c.IsExist("k"))
}

func TestRewriterKeepsPathAndQuery(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Host + " " + r.URL.RequestURI()
	}))
	t.Cleanup(srv.Close)
	base, err := url.Parse(srv.URL + "/wx")
	require.NoError(t, err)

	ctx := withBase(t.Context(), base)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		"https://api.weixin.qq.com/cgi-bin/media/get?access_token=t&media_id=m", nil)
	require.NoError(t, err)
	resp, err := httpClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	require.Equal(t, base.Host+" /wx/cgi-bin/media/get?access_token=t&media_id=m", <-got)
}

func TestScrub(t *testing.T) {
	t.Parallel()
	got := scrub(`get "https://h/x?access_token=abc&secret=def&x=1": EOF`)
	require.Equal(t, `get "https://h/x?access_token=***&secret=***&x=1": EOF`, got)
}
