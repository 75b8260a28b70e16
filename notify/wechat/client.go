// Package wechat is xuewu's one client of the WeChat official account API:
// it holds the SDK's official account, keeps the access token in Redis for
// every instance to share, sends customer-service messages and downloads
// the photos students send. Every call goes to Config.APIBase, so tests and
// the simulator can stand in for WeChat.
package wechat

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/sirupsen/logrus"
)

// Defaults of Config.
const (
	DefaultAPIBase   = "https://api.weixin.qq.com"
	DefaultOpenBase  = "https://open.weixin.qq.com"
	DefaultKeyPrefix = "xuewu:wx:"
)

// Config is what the client needs to reach the official account.
type Config struct {
	// AppID and AppSecret identify the official account; both required.
	AppID     string
	AppSecret string
	// Token signs the callbacks WeChat sends; the callback needs it.
	Token string
	// AESKey (43 characters of base64) turns on safe mode; empty means
	// plain mode.
	AESKey string
	// APIBase replaces https://api.weixin.qq.com in every call (scheme,
	// host and an optional path prefix); empty means the real host.
	APIBase string
	// OpenBase replaces https://open.weixin.qq.com in OAuth links; empty
	// means the real host.
	OpenBase string
	// KeyPrefix starts every Redis key the client writes; default
	// "xuewu:wx:". Tests give each run its own.
	KeyPrefix string
}

// Client is the WeChat official account client. It is safe for
// concurrent use; build one per process.
type Client struct {
	oa       *officialaccount.OfficialAccount
	cache    *redisCache
	appID    string
	apiBase  *url.URL
	openBase string
	log      *slog.Logger
}

// New builds the client and its SDK official account once. The access
// token is cached in rdb under cfg.KeyPrefix, shared by every instance
// that uses the same Redis and app ID. A nil log discards the logs.
func New(cfg Config, rdb redis.UniversalClient, log *slog.Logger) (*Client, error) {
	if err := cfg.check(rdb); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	apiBase, err := parseBase("APIBase", cfg.APIBase)
	if err != nil {
		return nil, err
	}
	if _, err := parseBase("OpenBase", cfg.OpenBase); err != nil {
		return nil, err
	}

	quietSDK()
	installTransport(apiBase)
	c := &redisCache{rdb: rdb, prefix: cfg.KeyPrefix, log: log}
	oa := officialaccount.NewOfficialAccount(&oaconfig.Config{
		AppID:          cfg.AppID,
		AppSecret:      cfg.AppSecret,
		Token:          cfg.Token,
		EncodingAESKey: cfg.AESKey,
		Cache:          c,
		UseStableAK:    true,
	})
	return &Client{oa: oa, cache: c, appID: cfg.AppID, apiBase: apiBase,
		openBase: strings.TrimRight(cfg.OpenBase, "/"), log: log}, nil
}

// OfficialAccount returns the SDK's official account, for the callback
// (token, app ID and AES key) and the SDK calls this client does not wrap.
func (c *Client) OfficialAccount() *officialaccount.OfficialAccount { return c.oa }

// AuthorizeURL returns the OAuth link (scope snsapi_base) that sends the
// user to redirectURI with a code and state, on OpenBase.
func (c *Client) AuthorizeURL(redirectURI, state string) string {
	q := url.Values{
		"appid":         {c.appID},
		"redirect_uri":  {redirectURI},
		"response_type": {"code"},
		"scope":         {"snsapi_base"},
		"state":         {state},
	}
	return c.openBase + "/connect/oauth2/authorize?" + q.Encode() + "#wechat_redirect"
}

func (cfg Config) check(rdb redis.UniversalClient) error {
	switch {
	case cfg.AppID == "":
		return errors.New("wechat: AppID is required")
	case cfg.AppSecret == "":
		return errors.New("wechat: AppSecret is required")
	case cfg.AESKey != "" && len(cfg.AESKey) != 43:
		return errors.New("wechat: AESKey must be 43 characters")
	case rdb == nil:
		return errors.New("wechat: a Redis client is required")
	}
	return nil
}

func (cfg Config) withDefaults() Config {
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	if cfg.OpenBase == "" {
		cfg.OpenBase = DefaultOpenBase
	}
	if cfg.KeyPrefix == "" {
		cfg.KeyPrefix = DefaultKeyPrefix
	}
	return cfg
}

// parseBase checks that a base URL is an absolute http(s) URL without a
// query, and returns it without a trailing slash.
func parseBase(name, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("wechat: %s: %w", name, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("wechat: %s must be an http(s) URL without a query", name)
	}
	return u, nil
}

// tokenCacheKey is the key (before the Redis prefix) under which the SDK's
// stable access token handle keeps the token.
func (c *Client) tokenCacheKey() string {
	return fmt.Sprintf("%s_stable_access_token_%s",
		credential.CacheKeyOfficialAccountPrefix, c.appID)
}

var quietOnce sync.Once

// quietSDK silences the SDK's logrus logging, which prints request and
// reply bodies at debug level: nothing it writes may reach the logs.
func quietSDK() {
	quietOnce.Do(func() {
		logrus.SetLevel(logrus.ErrorLevel)
		logrus.SetOutput(io.Discard)
	})
}

// MaskOpenID shortens an openid for logs: its first four characters and
// an ellipsis.
func MaskOpenID(openID string) string {
	r := []rune(openID)
	if len(r) <= 4 {
		return "…"
	}
	return string(r[:4]) + "…"
}
