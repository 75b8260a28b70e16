package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// envOf returns a getenv over the given variables.
func envOf(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

const (
	goodAESKey  = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG" // 43 characters
	goodHashKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	goodToken   = "admin-token-of-the-test"
)

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig(envOf(nil))
	require.NoError(t, err)
	require.Equal(t, &Config{
		DataDir:   "./data",
		HTTPAddr:  "127.0.0.1:8080",
		PublicURL: "http://127.0.0.1:8080",
		WeChat: WeChatConfig{
			APIBase:          "http://127.0.0.1:8080/dev/wx",
			OpenBase:         "http://127.0.0.1:8080/dev/wx",
			TemplateApproval: "demo-template-approval",
			TemplateProgress: "demo-template-progress",
			TemplateReminder: "demo-template-reminder",
		},
		LogLevel:  slog.LevelInfo,
		LogFormat: "json",
	}, cfg)
	require.Nil(t, cfg.Redis, "in-process Redis")
	require.True(t, cfg.WeChat.Demo())
}

func TestConfigPublicURLFollowsHTTPAddr(t *testing.T) {
	t.Parallel()
	tests := []struct{ addr, want string }{
		{"127.0.0.1:9000", "http://127.0.0.1:9000"},
		{":9000", "http://localhost:9000"},
		{"0.0.0.0:80", "http://localhost:80"},
		{"[::1]:8080", "http://[::1]:8080"},
	}
	for _, tc := range tests {
		cfg, err := loadConfig(envOf(map[string]string{"HTTP_ADDR": tc.addr}))
		require.NoError(t, err)
		require.Equal(t, tc.want, cfg.PublicURL)
	}
}

func TestConfigValues(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig(envOf(map[string]string{
		"DATABASE_URL":           "postgres://xuewu:pw@db:5432/xuewu?sslmode=disable",
		"REDIS_URL":              "rediss://:secret@cache:6380/2",
		"HTTP_ADDR":              "0.0.0.0:8000",
		"PUBLIC_URL":             "https://xuewu.example.edu.cn/",
		"WECHAT_APP_ID":          "wx123",
		"WECHAT_APP_SECRET":      "app-secret",
		"WECHAT_TOKEN":           "callback-token",
		"WECHAT_AES_KEY":         goodAESKey,
		"WECHAT_MINI_APP_ID":     "wx456",
		"WECHAT_MINI_APP_SECRET": "mini-secret",
		"WECHAT_MINI_TEMPLATE":   "tpl-mini",
		"WECHAT_API_BASE":        "http://127.0.0.1:9999/",
		"WECHAT_OPEN_BASE":       "http://127.0.0.1:9998",
		"ADMIN_TOKEN":            goodToken,
		"XUEWU_DATA":             "/var/lib/xuewu",
		"XUEWU_HASH_KEY":         goodHashKey,
		"LOG_LEVEL":              "DEBUG",
		"LOG_FORMAT":             "text",
	}))
	require.NoError(t, err)

	require.Equal(t, "postgres://xuewu:pw@db:5432/xuewu?sslmode=disable", cfg.DatabaseURL.Reveal())
	require.Equal(t, []string{"cache:6380"}, cfg.Redis.Options.Addrs)
	require.Equal(t, "secret", cfg.Redis.Options.Password)
	require.Equal(t, 2, cfg.Redis.Options.DB)
	require.NotNil(t, cfg.Redis.Options.TLSConfig)
	require.False(t, cfg.Redis.Options.IsClusterMode)
	require.Equal(t, "0.0.0.0:8000", cfg.HTTPAddr)
	require.Equal(t, "https://xuewu.example.edu.cn", cfg.PublicURL)
	require.Equal(t, WeChatConfig{
		AppID: "wx123", AppSecret: "app-secret", Token: "callback-token", AESKey: goodAESKey,
		MiniAppID: "wx456", MiniAppSecret: "mini-secret", MiniTemplate: "tpl-mini",
		APIBase: "http://127.0.0.1:9999", OpenBase: "http://127.0.0.1:9998",
		APIBaseSet: true, OpenBaseSet: true,
	}, cfg.WeChat)
	require.Equal(t, "safe", cfg.WeChat.mode())
	require.Equal(t, goodToken, cfg.AdminToken.Reveal())
	require.Equal(t, "/var/lib/xuewu", cfg.DataDir)
	require.Len(t, cfg.HashKeyBytes(), 32)
	require.Equal(t, slog.LevelDebug, cfg.LogLevel)
	require.Equal(t, "text", cfg.LogFormat)
}

func TestConfigWeChatHostsByMode(t *testing.T) {
	t.Parallel()
	account := map[string]string{"WECHAT_APP_ID": "wx123", "WECHAT_APP_SECRET": "s",
		"WECHAT_TOKEN": "t"}
	tests := []struct {
		name          string
		env           map[string]string
		api, open     string
		approvalCards string
	}{
		{"demo mode uses the simulator's fake under PUBLIC_URL",
			map[string]string{"PUBLIC_URL": "http://demo.local:8000/"},
			"http://demo.local:8000/dev/wx", "http://demo.local:8000/dev/wx",
			"demo-template-approval"},
		{"demo mode keeps hosts given explicitly",
			map[string]string{"WECHAT_API_BASE": "http://fake:1", "WECHAT_OPEN_BASE": "http://fake:2",
				"WECHAT_TEMPLATE_APPROVAL": "tpl-1"},
			"http://fake:1", "http://fake:2", "tpl-1"},
		{"demo mode with a mini-program keeps the real API host",
			map[string]string{"WECHAT_MINI_APP_ID": "wxmini", "WECHAT_MINI_APP_SECRET": "m",
				"PUBLIC_URL": "http://demo.local"},
			"https://api.weixin.qq.com", "http://demo.local/dev/wx", "demo-template-approval"},
		{"an official account uses WeChat's hosts", account,
			"https://api.weixin.qq.com", "https://open.weixin.qq.com", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := loadConfig(envOf(tc.env))
			require.NoError(t, err)
			require.Equal(t, tc.api, cfg.WeChat.APIBase)
			require.Equal(t, tc.open, cfg.WeChat.OpenBase)
			require.Equal(t, tc.approvalCards, cfg.WeChat.TemplateApproval)
		})
	}
}

func TestConfigRedisCluster(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value string
		addrs []string
		pass  string
	}{
		{"host:port list", "10.0.0.1:7000, 10.0.0.2:7000,10.0.0.3:7000",
			[]string{"10.0.0.1:7000", "10.0.0.2:7000", "10.0.0.3:7000"}, ""},
		{"URL list with credentials", "redis://:pw@n1:7000,redis://:pw@n2:7001",
			[]string{"n1:7000", "n2:7001"}, "pw"},
		{"an empty node is refused", "redis://n1:7000,",
			nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := loadConfig(envOf(map[string]string{"REDIS_URL": tc.value}))
			if tc.addrs == nil {
				require.ErrorContains(t, err, "REDIS_URL")
				return
			}
			require.NoError(t, err)
			require.True(t, cfg.Redis.Options.IsClusterMode)
			require.Equal(t, tc.addrs, cfg.Redis.Options.Addrs)
			require.Equal(t, tc.pass, cfg.Redis.Options.Password)
		})
	}
}

func TestConfigBadValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		env      map[string]string
		variable string
	}{
		{"database URL of another scheme", map[string]string{
			"DATABASE_URL": "mysql://u:p@h/db"}, "DATABASE_URL"},
		{"database URL that is neither URL nor DSN", map[string]string{
			"DATABASE_URL": "localhost"}, "DATABASE_URL"},
		{"redis URL of another scheme", map[string]string{
			"REDIS_URL": "http://cache:6379"}, "REDIS_URL"},
		{"redis bare host", map[string]string{"REDIS_URL": "cache:6379"}, "REDIS_URL"},
		{"redis URL with a bad database", map[string]string{
			"REDIS_URL": "redis://cache:6379/x"}, "REDIS_URL"},
		{"redis cluster node without port", map[string]string{
			"REDIS_URL": "n1:7000,n2"}, "REDIS_URL"},
		{"redis cluster node with a database", map[string]string{
			"REDIS_URL": "redis://n1:7000/3,redis://n2:7000"}, "REDIS_URL"},
		{"listen address without port", map[string]string{"HTTP_ADDR": "localhost"},
			"HTTP_ADDR"},
		{"listen address with a bad port", map[string]string{"HTTP_ADDR": "127.0.0.1:99999"},
			"HTTP_ADDR"},
		{"relative public URL", map[string]string{"PUBLIC_URL": "/xuewu"}, "PUBLIC_URL"},
		{"public URL of another scheme", map[string]string{
			"PUBLIC_URL": "ftp://files.example.edu.cn"}, "PUBLIC_URL"},
		{"public URL with a query", map[string]string{
			"PUBLIC_URL": "https://x.example.edu.cn/?a=b"}, "PUBLIC_URL"},
		{"short AES key", map[string]string{"WECHAT_APP_ID": "wx1",
			"WECHAT_APP_SECRET": "s", "WECHAT_TOKEN": "t", "WECHAT_AES_KEY": "abc"},
			"WECHAT_AES_KEY"},
		{"AES key not base64", map[string]string{"WECHAT_APP_ID": "wx1",
			"WECHAT_APP_SECRET": "s", "WECHAT_TOKEN": "t",
			"WECHAT_AES_KEY": strings.Repeat("!", 43)}, "WECHAT_AES_KEY"},
		{"AES key without app", map[string]string{"WECHAT_AES_KEY": goodAESKey},
			"WECHAT_APP_ID"},
		{"app without secret", map[string]string{"WECHAT_APP_ID": "wx1",
			"WECHAT_TOKEN": "t"}, "WECHAT_APP_SECRET"},
		{"app without token", map[string]string{"WECHAT_APP_ID": "wx1",
			"WECHAT_APP_SECRET": "s"}, "WECHAT_TOKEN"},
		{"secret without app", map[string]string{"WECHAT_APP_SECRET": "s"}, "WECHAT_APP_ID"},
		{"mini app without secret", map[string]string{"WECHAT_MINI_APP_ID": "wx2"},
			"WECHAT_MINI_APP_SECRET"},
		{"mini secret without app", map[string]string{"WECHAT_MINI_APP_SECRET": "s"},
			"WECHAT_MINI_APP_ID"},
		{"mini template without app", map[string]string{"WECHAT_MINI_TEMPLATE": "t"},
			"WECHAT_MINI_APP_ID"},
		{"relative API base", map[string]string{"WECHAT_API_BASE": "api.weixin.qq.com"},
			"WECHAT_API_BASE"},
		{"relative open base", map[string]string{"WECHAT_OPEN_BASE": "//open.weixin.qq.com"},
			"WECHAT_OPEN_BASE"},
		{"short admin token", map[string]string{"ADMIN_TOKEN": "hunter2"}, "ADMIN_TOKEN"},
		{"hash key not hex", map[string]string{"XUEWU_HASH_KEY": "not-hex-at-all"},
			"XUEWU_HASH_KEY"},
		{"short hash key", map[string]string{"XUEWU_HASH_KEY": "00112233"}, "XUEWU_HASH_KEY"},
		{"unknown log level", map[string]string{"LOG_LEVEL": "verbose"}, "LOG_LEVEL"},
		{"unknown log format", map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := loadConfig(envOf(tc.env))
			require.Error(t, err)
			require.True(t, strings.HasPrefix(err.Error(), tc.variable+": "),
				"error %q names %s", err, tc.variable)
			require.NotContains(t, err.Error(), "\n", "one thing is wrong")
		})
	}
}

func TestConfigErrorsHideSecrets(t *testing.T) {
	t.Parallel()
	secrets := map[string]string{
		"DATABASE_URL":   "mysql://u:dbpassword@h/db",
		"ADMIN_TOKEN":    "hunter2",
		"WECHAT_AES_KEY": "aeskeyvalue",
		"XUEWU_HASH_KEY": "hashkeyvalue",
		"WECHAT_APP_ID":  "wx1", "WECHAT_APP_SECRET": "s", "WECHAT_TOKEN": "t",
	}
	_, err := loadConfig(envOf(secrets))
	require.Error(t, err)
	for _, name := range []string{"DATABASE_URL", "ADMIN_TOKEN", "WECHAT_AES_KEY",
		"XUEWU_HASH_KEY"} {
		require.Contains(t, err.Error(), name+": ")
		require.NotContains(t, err.Error(), secrets[name])
	}
	require.NotContains(t, err.Error(), "dbpassword")
}

func TestConfigLogsNoSecrets(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig(envOf(map[string]string{
		"DATABASE_URL": "postgres://xuewu:dbpassword@db:5432/xuewu",
		"REDIS_URL":    "redis://:redispassword@cache:6379",
		"ADMIN_TOKEN":  goodToken, "XUEWU_HASH_KEY": goodHashKey,
		"WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": "appsecretvalue",
		"WECHAT_TOKEN": "callbacktokenvalue", "WECHAT_AES_KEY": goodAESKey,
	}))
	require.NoError(t, err)

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("starting", "config", cfg)
	out := buf.String() + fmt.Sprintf("%v %+v", cfg, *cfg)
	for _, secret := range []string{"dbpassword", "redispassword", goodToken, goodHashKey,
		"appsecretvalue", "callbacktokenvalue", goodAESKey} {
		require.NotContains(t, out, secret)
	}
	require.NotContains(t, out, "[0 17 34 51", "nor the hash key's bytes")
	require.Contains(t, buf.String(), `"database":"postgres://db:5432/xuewu"`)
	require.Contains(t, buf.String(), `"redis":"cache:6379"`)
	require.Contains(t, buf.String(), `"wechat_mode":"safe"`)
}
