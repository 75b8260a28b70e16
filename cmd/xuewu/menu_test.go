package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMenuInstallsTheThreeButtons(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var menu string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.Contains(r.URL.Path, "token"):
			_, _ = io.WriteString(w, `{"access_token":"tok-menu","expires_in":7200}`)
		case r.URL.Path == "/cgi-bin/menu/create":
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			menu = string(b)
			mu.Unlock()
			_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(api.Close)

	env := map[string]string{
		"WECHAT_APP_ID": "wx0123456789abcdef", "WECHAT_APP_SECRET": "s3cret",
		"WECHAT_TOKEN": "tok", "WECHAT_API_BASE": api.URL,
		"REDIS_URL": "redis://127.0.0.1:6379/0",
	}
	res := runWith(t, env, "menu")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Contains(t, res.stdout, "menu installed")
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{`"name":"办理业务"`, `"name":"我的申请"`, `"name":"帮助"`,
		`"key":"XUEWU_APPLY"`, `"type":"click"`} {
		require.Contains(t, menu, want)
	}
	require.NotContains(t, res.stderr, "s3cret")
}

func TestMenuNeedsAnOfficialAccount(t *testing.T) {
	t.Parallel()
	res := runWith(t, map[string]string{}, "menu")
	require.Equal(t, exitFailure, res.code)
	require.Contains(t, res.stderr, "WECHAT_APP_ID")
}
