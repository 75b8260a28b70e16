package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/credential"
)

// code2sessionPath is the mini-program's login API.
const code2sessionPath = "/sns/jscode2session"

// Errcodes of code2session that refuse the login code itself.
const (
	// CodeInvalidCode: the code is not one WeChat issued, or has expired.
	CodeInvalidCode = 40029
	// CodeUsedCode: the code was already exchanged once.
	CodeUsedCode = 40163
)

// MiniConfig is what the client needs to reach the mini-program's API.
type MiniConfig struct {
	// AppID and AppSecret identify the mini-program (WECHAT_MINI_APP_ID and
	// WECHAT_MINI_APP_SECRET); both required.
	AppID     string
	AppSecret string
	// APIBase replaces https://api.weixin.qq.com, as Config.APIBase does;
	// empty means the real host.
	APIBase string
	// KeyPrefix starts every Redis key the client writes; default
	// "xuewu:wx:", which it may share with the official account's client.
	KeyPrefix string
}

// MiniClient is the mini-program's client: the login code exchange and
// subscribe messages. It goes through the same HTTP client, transport
// and token cache as Client; it is safe for concurrent use.
type MiniClient struct {
	appID     string
	appSecret string
	apiBase   *url.URL
	token     tokenKeeper
}

// NewMini builds the mini-program's client. Its access token is cached in
// rdb under cfg.KeyPrefix, shared by every instance. A nil log discards.
func NewMini(cfg MiniConfig, rdb redis.UniversalClient, log *slog.Logger) (*MiniClient, error) {
	switch {
	case cfg.AppID == "" || cfg.AppSecret == "":
		return nil, errors.New("wechat: mini-program AppID and AppSecret are required")
	case rdb == nil:
		return nil, errors.New("wechat: a Redis client is required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	full := Config{APIBase: cfg.APIBase, KeyPrefix: cfg.KeyPrefix}.withDefaults()
	apiBase, err := parseBase("APIBase", full.APIBase)
	if err != nil {
		return nil, err
	}

	quietSDK()
	installTransport(apiBase)
	cache := &redisCache{rdb: rdb, prefix: full.KeyPrefix, log: log}
	prefix := credential.CacheKeyMiniProgramPrefix
	src := credential.NewStableAccessToken(cfg.AppID, cfg.AppSecret, prefix, cache)
	key := fmt.Sprintf("%s_stable_access_token_%s", prefix, cfg.AppID)
	return &MiniClient{appID: cfg.AppID, appSecret: cfg.AppSecret, apiBase: apiBase,
		token: tokenKeeper{src: src, cache: cache, key: key, log: log}}, nil
}

// session is code2session's answer. The session key it also carries is
// left undecoded: xuewu has no use for it and must never log it.
type session struct {
	OpenID  string `json:"openid"`
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// Code2Session exchanges the code of the mini-program's wx.login for the
// user's openid. A refused code is an *APIError whose CodeRefused is
// true; no error names the code or the app secret.
func (m *MiniClient) Code2Session(ctx context.Context, code string) (string, error) {
	if !TokenLike(code, 128) {
		return "", errors.New("wechat: code2session: malformed code")
	}
	q := url.Values{
		"appid":      {m.appID},
		"secret":     {m.appSecret},
		"js_code":    {code},
		"grant_type": {"authorization_code"},
	}
	ctx = withBase(ctx, m.apiBase)
	addr := "https://" + apiHost + code2sessionPath + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, addr, nil)
	if err != nil {
		return "", requestError(http.MethodGet, code2sessionPath, err)
	}

	data, err := getAnswer(req)
	if err != nil {
		return "", err
	}
	var s session
	if err := json.Unmarshal(data, &s); err != nil {
		return "", fmt.Errorf("decode answer of %s: %w", code2sessionPath, err)
	}
	if s.ErrCode != 0 {
		return "", fmt.Errorf("code2session: %w", &APIError{Code: s.ErrCode, Msg: s.ErrMsg})
	}
	if s.OpenID == "" {
		return "", errors.New("wechat: code2session: the answer has no openid")
	}
	return s.OpenID, nil
}

// getAnswer sends a GET whose URL holds credentials and returns the body;
// errors name the method and path only.
func getAnswer(req *http.Request) ([]byte, error) {
	path := req.URL.Path
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, requestError(req.Method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: HTTP %d", req.Method, path, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return nil, requestError(req.Method, path, err)
	}
	return data, nil
}

// CodeRefused reports whether WeChat refused a login code itself (invalid,
// expired or already used), as opposed to failing for another reason: the
// user should log in again rather than wait.
func (e *APIError) CodeRefused() bool {
	return e.Code == CodeInvalidCode || e.Code == CodeUsedCode
}
