package main

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/imut/xuewu/handlers/dev"
)

// Config is every setting of xuewu, read once from the environment at
// start-up. Each field's comment names its variable and its default.
type Config struct {
	// DatabaseURL is DATABASE_URL, a PostgreSQL URL or key=value DSN. Empty
	// means the embedded SQLite file under DataDir, for trying xuewu out.
	DatabaseURL Secret
	// DataDir is XUEWU_DATA, where the embedded stores keep their files;
	// default "./data".
	DataDir string
	// Redis is REDIS_URL parsed; nil means an in-process Redis that loses
	// its data on exit, for trying xuewu out.
	Redis *RedisConfig
	// HTTPAddr is HTTP_ADDR, the listen address; default "127.0.0.1:8080".
	HTTPAddr string
	// PublicURL is PUBLIC_URL, the base of links in cards and replies,
	// without a trailing slash; default "http://" + HTTPAddr.
	PublicURL string
	// WeChat holds the official account and mini-program settings.
	WeChat WeChatConfig
	// AdminToken is ADMIN_TOKEN, the bearer token of /admin/api, at least
	// 16 characters. Empty turns the admin API off.
	AdminToken Secret
	// HashKey is XUEWU_HASH_KEY, in hex, at least 32 bytes once decoded
	// (see HashKeyBytes). Empty means the store keeps a random key in its
	// settings table.
	HashKey Secret
	// LogLevel is LOG_LEVEL: debug, info, warn or error; default info.
	LogLevel slog.Level
	// LogFormat is LOG_FORMAT: json or text; default json.
	LogFormat string
}

// WeChatConfig holds the WeChat settings.
type WeChatConfig struct {
	// AppID is WECHAT_APP_ID of the official account. Empty means demo
	// mode: the simulator stands in for WeChat.
	AppID string
	// AppSecret is WECHAT_APP_SECRET; required when AppID is set.
	AppSecret Secret
	// Token is WECHAT_TOKEN, which signs callbacks; required when AppID is set.
	Token Secret
	// AESKey is WECHAT_AES_KEY, 43 characters of base64. Set means safe
	// mode (encrypted messages); empty means plain mode.
	AESKey Secret
	// MiniAppID and MiniAppSecret are WECHAT_MINI_APP_ID and
	// WECHAT_MINI_APP_SECRET; both empty turns the mini-program API off.
	MiniAppID     string
	MiniAppSecret Secret
	// MiniTemplate is WECHAT_MINI_TEMPLATE, the subscribe-message template
	// of notices to mini-program users. Empty sends them none.
	MiniTemplate string
	// APIBase is WECHAT_API_BASE, without a trailing slash; default
	// "https://api.weixin.qq.com", and in demo mode without a mini-program
	// the simulator's fake WeChat, PUBLIC_URL + "/dev/wx".
	APIBase string
	// OpenBase is WECHAT_OPEN_BASE (the OAuth page), without a trailing
	// slash; default "https://open.weixin.qq.com", and in demo mode
	// PUBLIC_URL + "/dev/wx" as for APIBase.
	OpenBase string
	// APIBaseSet and OpenBaseSet say whether WECHAT_API_BASE and
	// WECHAT_OPEN_BASE were given, rather than defaulted.
	APIBaseSet, OpenBaseSet bool
	// Templates are the template-message IDs of the three cards:
	// WECHAT_TEMPLATE_APPROVAL (an approver's task), WECHAT_TEMPLATE_PROGRESS
	// (a student's progress) and WECHAT_TEMPLATE_REMINDER. An unset one is
	// sent as a customer-service text message with the link instead; in
	// demo mode an unset one is a demo template, which the simulator shows
	// as a card.
	TemplateApproval, TemplateProgress, TemplateReminder string
}

// Demo reports whether no official account is configured.
func (w WeChatConfig) Demo() bool { return w.AppID == "" }

// Demo values stand in for the official account when none is configured,
// so that the callback can be signed and checked as in production. They
// are public on purpose: demo mode talks only to the built-in simulator.
const (
	demoAppID     = "wxdemo0000000000"
	demoAppSecret = "demo-app-secret"
	demoToken     = "xuewu-demo-token" //nolint:gosec // G101: a public demo value

	// demoTemplatePrefix starts the demo template IDs, one per card.
	demoTemplatePrefix = "demo-template-"
)

// Account returns the official account's settings, demo values in demo
// mode.
func (w WeChatConfig) Account() (appID, secret, token string) {
	if w.Demo() {
		return demoAppID, demoAppSecret, demoToken
	}
	return w.AppID, w.AppSecret.Reveal(), w.Token.Reveal()
}

// Defaults of the settings that have one.
const (
	defaultHTTPAddr = "127.0.0.1:8080"
	defaultDataDir  = "./data"
	defaultAPIBase  = "https://api.weixin.qq.com"
	defaultOpenBase = "https://open.weixin.qq.com"

	minAdminToken = 16 // characters
	minHashKey    = 32 // bytes
	aesKeyLength  = 43 // characters of base64 for 32 bytes
)

// loadConfig reads the configuration from getenv. It reports every wrong
// value at once, each error naming its variable.
func loadConfig(getenv func(string) string) (*Config, error) {
	p := &envParser{getenv: getenv}
	c := &Config{
		DatabaseURL: p.databaseURL("DATABASE_URL"),
		DataDir:     p.text("XUEWU_DATA", defaultDataDir),
		Redis:       p.redisURL("REDIS_URL"),
		HTTPAddr:    p.addr("HTTP_ADDR", defaultHTTPAddr),
		AdminToken:  p.adminToken("ADMIN_TOKEN"),
		HashKey:     p.hashKey("XUEWU_HASH_KEY"),
		LogLevel:    p.logLevel("LOG_LEVEL"),
		LogFormat:   p.oneOf("LOG_FORMAT", "json", "json", "text"),
		WeChat:      p.weChat(),
	}
	c.PublicURL = p.httpURL("PUBLIC_URL", defaultPublicURL(c.HTTPAddr))
	c.WeChat.demoDefaults(c.PublicURL)
	return c, errors.Join(p.errs...)
}

// defaultPublicURL is the PUBLIC_URL of a server listening on addr; a
// listen address without a host becomes localhost.
func defaultPublicURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// envParser reads variables and collects what is wrong with them.
type envParser struct {
	getenv func(string) string
	errs   []error
}

// fail records that the variable's value is wrong. The message must not
// repeat a secret value.
func (p *envParser) fail(name, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: "+format, append([]any{name}, args...)...))
}

// text returns the trimmed value of the variable, or def when it is unset
// or blank.
func (p *envParser) text(name, def string) string {
	v := strings.TrimSpace(p.getenv(name))
	if v == "" {
		return def
	}
	return v
}

func (p *envParser) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(p.text(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.fail(name, "%q is not one of %s", v, strings.Join(allowed, ", "))
	return def
}

func (p *envParser) logLevel(name string) slog.Level {
	levels := map[string]slog.Level{
		"debug": slog.LevelDebug, "info": slog.LevelInfo,
		"warn": slog.LevelWarn, "error": slog.LevelError,
	}
	return levels[p.oneOf(name, "info", "debug", "info", "warn", "error")]
}

func (p *envParser) databaseURL(name string) Secret {
	v := p.text(name, "")
	if v == "" {
		return ""
	}
	if !strings.Contains(v, "://") {
		if !strings.Contains(v, "=") {
			p.fail(name, "want a postgres:// URL or a key=value connection string")
		}
		return Secret(v)
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		p.fail(name, "want a postgres:// or postgresql:// URL")
		return ""
	}
	return Secret(v)
}

func (p *envParser) addr(name, def string) string {
	v := p.text(name, def)
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		p.fail(name, "%q is not a host:port listen address", v)
		return def
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.fail(name, "%q has no valid port number", v)
		return def
	}
	return v
}

// httpURL returns an absolute http(s) URL without a trailing slash.
func (p *envParser) httpURL(name, def string) string {
	v := p.text(name, def)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.fail(name, "%q is not an absolute http:// or https:// URL", v)
		return def
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		p.fail(name, "%q must not have credentials, a query or a fragment", u.Redacted())
		return def
	}
	return strings.TrimRight(v, "/")
}

func (p *envParser) adminToken(name string) Secret {
	v := p.text(name, "")
	if v != "" && len([]rune(v)) < minAdminToken {
		p.fail(name, "is %d characters long; use at least %d, or leave it unset "+
			"to turn the admin API off", len([]rune(v)), minAdminToken)
		return ""
	}
	return Secret(v)
}

func (p *envParser) hashKey(name string) Secret {
	v := p.text(name, "")
	if v == "" {
		return ""
	}
	key, err := hex.DecodeString(v)
	if err != nil {
		p.fail(name, "is not hexadecimal")
		return ""
	}
	if len(key) < minHashKey {
		p.fail(name, "is %d bytes; use at least %d (%d hex digits)",
			len(key), minHashKey, 2*minHashKey)
		return ""
	}
	return Secret(v)
}

// HashKeyBytes returns the decoded XUEWU_HASH_KEY, or nil when it is unset.
func (c *Config) HashKeyBytes() []byte {
	key, err := hex.DecodeString(c.HashKey.Reveal())
	if err != nil || len(key) == 0 {
		return nil // loadConfig checked it
	}
	return key
}

func (p *envParser) weChat() WeChatConfig {
	w := WeChatConfig{
		AppID:         p.text("WECHAT_APP_ID", ""),
		AppSecret:     Secret(p.text("WECHAT_APP_SECRET", "")),
		Token:         Secret(p.text("WECHAT_TOKEN", "")),
		AESKey:        p.aesKey("WECHAT_AES_KEY"),
		MiniAppID:     p.text("WECHAT_MINI_APP_ID", ""),
		MiniAppSecret: Secret(p.text("WECHAT_MINI_APP_SECRET", "")),
		MiniTemplate:  p.text("WECHAT_MINI_TEMPLATE", ""),
		APIBase:       p.httpURL("WECHAT_API_BASE", defaultAPIBase),
		OpenBase:      p.httpURL("WECHAT_OPEN_BASE", defaultOpenBase),
		APIBaseSet:    p.set("WECHAT_API_BASE"),
		OpenBaseSet:   p.set("WECHAT_OPEN_BASE"),

		TemplateApproval: p.text("WECHAT_TEMPLATE_APPROVAL", ""),
		TemplateProgress: p.text("WECHAT_TEMPLATE_PROGRESS", ""),
		TemplateReminder: p.text("WECHAT_TEMPLATE_REMINDER", ""),
	}
	p.together("WECHAT_APP_ID", w.AppID != "", "WECHAT_APP_SECRET", w.AppSecret != "")
	p.together("WECHAT_APP_ID", w.AppID != "", "WECHAT_TOKEN", w.Token != "")
	if w.AESKey != "" && w.AppID == "" {
		p.fail("WECHAT_APP_ID", "must be set when WECHAT_AES_KEY is (safe mode)")
	}
	p.together("WECHAT_MINI_APP_ID", w.MiniAppID != "",
		"WECHAT_MINI_APP_SECRET", w.MiniAppSecret != "")
	if w.MiniTemplate != "" && w.MiniAppID == "" {
		p.fail("WECHAT_MINI_APP_ID", "must be set when WECHAT_MINI_TEMPLATE is")
	}
	return w
}

// set reports whether the variable has a value that is not blank.
func (p *envParser) set(name string) bool { return p.text(name, "") != "" }

// demoDefaults points WeChat at the simulator's fake under publicURL in
// demo mode: the API and the OAuth page, unless WECHAT_API_BASE or
// WECHAT_OPEN_BASE say otherwise, and demo templates for the unset
// ones, so that notices show as cards. A configured mini-program keeps
// the real API host, which its client shares.
func (w *WeChatConfig) demoDefaults(publicURL string) {
	if !w.Demo() {
		return
	}
	if !w.APIBaseSet && w.MiniAppID == "" {
		w.APIBase = publicURL + dev.FakePath
	}
	if !w.OpenBaseSet {
		w.OpenBase = publicURL + dev.FakePath
	}
	for name, id := range map[string]*string{"approval": &w.TemplateApproval,
		"progress": &w.TemplateProgress, "reminder": &w.TemplateReminder} {
		if *id == "" {
			*id = demoTemplatePrefix + name
		}
	}
}

// together reports the missing one of two variables that go as a pair.
func (p *envParser) together(a string, hasA bool, b string, hasB bool) {
	switch {
	case hasA && !hasB:
		p.fail(b, "must be set when %s is", a)
	case hasB && !hasA:
		p.fail(a, "must be set when %s is", b)
	}
}

func (p *envParser) aesKey(name string) Secret {
	v := p.text(name, "")
	if v == "" {
		return ""
	}
	if len(v) != aesKeyLength {
		p.fail(name, "is %d characters long; want %d characters of base64", len(v), aesKeyLength)
		return ""
	}
	key, err := base64.StdEncoding.DecodeString(v + "=")
	if err != nil || len(key) != 32 {
		p.fail(name, "is not base64 (letters, digits, + and /)")
		return ""
	}
	return Secret(v)
}

// Secret is a setting that must never be printed: it formats and logs as
// "[redacted]". Reveal returns the value itself.
type Secret string

// String hides the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// LogValue hides the value from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Reveal returns the secret's value, for the code that uses it.
func (s Secret) Reveal() string { return string(s) }

// LogValue lists the settings that are safe to log: no secrets, and of
// the database only where it is.
func (c *Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("database", c.databaseName()),
		slog.String("redis", c.Redis.String()),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("public_url", c.PublicURL),
		slog.String("data_dir", c.DataDir),
		slog.String("wechat_mode", c.WeChat.mode()),
		slog.Bool("mini_program", c.WeChat.MiniAppID != ""),
		slog.String("wechat_api_base", c.WeChat.APIBase),
		slog.String("wechat_open_base", c.WeChat.OpenBase),
		slog.Bool("admin_api", c.AdminToken != ""),
		slog.Bool("hash_key_from_env", c.HashKey != ""),
		slog.String("log_level", strings.ToLower(c.LogLevel.String())),
		slog.String("log_format", c.LogFormat),
	)
}

// databaseName says which database is used, without user or password.
func (c *Config) databaseName() string {
	if c.DatabaseURL == "" {
		return "embedded sqlite"
	}
	u, err := url.Parse(c.DatabaseURL.Reveal())
	if err != nil || u.Host == "" {
		return "postgres"
	}
	return "postgres://" + u.Host + u.Path
}

func (w WeChatConfig) mode() string {
	switch {
	case w.Demo():
		return "demo"
	case w.AESKey != "":
		return "safe"
	default:
		return "plain"
	}
}
