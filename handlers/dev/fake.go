package dev

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"
)

// WeChat's error codes that the fake answers with.
const (
	errcodeInvalidToken  = 40001
	errcodeInvalidOpenID = 40003
	errcodeInvalidMedia  = 40007
	errcodeInvalidAppID  = 40013
	errcodeInvalidCode   = 40029
	errcodeInvalidSecret = 40125
	errcodeBadRequest    = 44002 // empty or malformed body
	errcodeNoSuchAPI     = 48001
)

// Lifetimes of what the fake issues.
const (
	tokenTTL = 2 * time.Hour
	codeTTL  = 5 * time.Minute
	// maxAPIBody caps the JSON bodies the fake reads.
	maxAPIBody = 1 << 20
)

// fake answers the WeChat API calls the app makes, as api.weixin.qq.com
// would in the few ways xuewu relies on, and records what is sent to each
// openid in the simulator's chats.
type fake struct {
	sim *Simulator

	mu     sync.Mutex
	tokens map[string]time.Time // access token → expiry
	codes  map[string]oauthCode
	menu   []MenuButton
	menuOK bool // the app created a menu
	seen   map[string]bool
	msgs   int64
}

// oauthCode is an issued OAuth code, good once until it expires.
type oauthCode struct {
	openID  string
	expires time.Time
}

func newFake(s *Simulator) *fake {
	return &fake{sim: s, tokens: map[string]time.Time{}, codes: map[string]oauthCode{},
		seen: map[string]bool{}}
}

// register adds the fake's endpoints under FakePath.
func (f *fake) register(mux *http.ServeMux) {
	api := apiHeaders
	mux.Handle("GET "+FakePath+"/cgi-bin/token", api(f.token))
	mux.Handle("POST "+FakePath+"/cgi-bin/stable_token", api(f.stableToken))
	mux.Handle("POST "+FakePath+"/cgi-bin/message/custom/send", api(f.authorized(f.customSend)))
	mux.Handle("POST "+FakePath+"/cgi-bin/message/template/send",
		api(f.authorized(f.templateSend)))
	mux.Handle("GET "+FakePath+"/cgi-bin/media/get", api(f.authorized(f.mediaGet)))
	mux.Handle("POST "+FakePath+"/cgi-bin/menu/create", api(f.authorized(f.menuCreate)))
	mux.Handle("GET "+FakePath+"/sns/oauth2/access_token", api(f.oauthExchange))
	mux.Handle("GET "+FakePath+"/connect/oauth2/authorize", pageHeaders(f.authorize))
	mux.Handle(FakePath+"/", api(f.noSuchAPI))
}

// apiHeaders marks every answer of the fake API as not to be sniffed or
// cached.
func apiHeaders(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		next(w, r)
	})
}

// apiError is WeChat's JSON answer of a refused call.
type apiError struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// writeJSON answers 200 with v as JSON, as WeChat answers refusals too.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func refuse(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, apiError{ErrCode: code, ErrMsg: msg})
}

var okAnswer = apiError{ErrCode: 0, ErrMsg: "ok"}

// readJSON decodes a JSON body of at most maxAPIBody into v.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAPIBody))
	if err := dec.Decode(v); err != nil {
		return errors.New("malformed JSON body")
	}
	return nil
}

// noSuchAPI answers an API the fake does not offer.
func (f *fake) noSuchAPI(w http.ResponseWriter, r *http.Request) {
	f.sim.log.WarnContext(r.Context(), "fake wechat: no such API", "path", r.URL.Path)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_ = json.NewEncoder(w).Encode(apiError{ErrCode: errcodeNoSuchAPI,
		ErrMsg: "api unauthorized: the simulator's fake WeChat does not offer this API"})
}

// credentials checks an app ID and secret, answering the refusal itself.
func (f *fake) credentials(w http.ResponseWriter, appID, secret string) bool {
	switch {
	case appID != f.sim.cfg.AppID:
		refuse(w, errcodeInvalidAppID, "invalid appid")
	case secret != f.sim.cfg.AppSecret:
		refuse(w, errcodeInvalidSecret, "invalid appsecret")
	default:
		return true
	}
	return false
}

// tokenAnswer is the answer of both token APIs.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// token is GET /cgi-bin/token?grant_type=client_credential&appid=&secret=.
func (f *fake) token(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("grant_type") != "client_credential" {
		refuse(w, errcodeBadRequest, "invalid grant_type")
		return
	}
	if f.credentials(w, q.Get("appid"), q.Get("secret")) {
		writeJSON(w, f.issueToken(false))
	}
}

// stableToken is POST /cgi-bin/stable_token with appid, secret and
// force_refresh in a JSON body.
func (f *fake) stableToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if err := readJSON(w, r, &body); err != nil || body.GrantType != "client_credential" {
		refuse(w, errcodeBadRequest, "invalid request body")
		return
	}
	if f.credentials(w, body.AppID, body.Secret) {
		writeJSON(w, f.issueToken(body.ForceRefresh))
	}
}

// issueToken returns a valid access token: the newest one, or a new one
// when there is none or fresh is set. Older tokens stay valid until they
// expire, as WeChat's stable tokens do.
func (f *fake) issueToken(fresh bool) tokenAnswer {
	now := f.sim.now()
	f.mu.Lock()
	defer f.mu.Unlock()
	var newest string
	var newestExp time.Time
	for tok, exp := range f.tokens {
		if !now.Before(exp) {
			delete(f.tokens, tok)
		} else if exp.After(newestExp) {
			newest, newestExp = tok, exp
		}
	}
	if newest == "" || fresh {
		newest, newestExp = randomToken(24), now.Add(tokenTTL)
		f.tokens[newest] = newestExp
	}
	return tokenAnswer{AccessToken: newest, ExpiresIn: int(newestExp.Sub(now) / time.Second)}
}

// authorized refuses a call without a valid access_token.
func (f *fake) authorized(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("access_token")
		f.mu.Lock()
		exp, ok := f.tokens[tok]
		f.mu.Unlock()
		if !ok || !f.sim.now().Before(exp) {
			refuse(w, errcodeInvalidToken,
				"invalid credential, access_token is invalid or not latest")
			return
		}
		next(w, r)
	}
}

// randomToken returns n random bytes as base64url: letters, digits, '-'
// and '_'.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
