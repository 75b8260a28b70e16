package h5

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// fakeUserCookie tells the fake WeChat who is logged in to the browser.
const fakeUserCookie = "fake_wechat_user"

// fakeWeChat stands in for open.weixin.qq.com (the authorize page) and
// api.weixin.qq.com (the code exchange).
type fakeWeChat struct {
	t   *testing.T
	srv *httptest.Server
	mu  sync.Mutex
	// codes maps each issued, unused code to its openid.
	codes     map[string]string
	issued    int
	exchanges int
}

func newFakeWeChat(t *testing.T) *fakeWeChat {
	t.Helper()
	f := &fakeWeChat{t: t, codes: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /connect/oauth2/authorize", f.authorize)
	mux.HandleFunc("GET /sns/oauth2/access_token", f.accessToken)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// authorize sends the browser back to redirect_uri with a code for the
// user its cookie names, as WeChat does for snsapi_base.
func (f *fakeWeChat) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	who, err := r.Cookie(fakeUserCookie)
	if q.Get("appid") != testAppID || q.Get("scope") != "snsapi_base" ||
		q.Get("response_type") != "code" || q.Get("state") == "" || err != nil {
		http.Error(w, "bad authorize request", http.StatusBadRequest)
		return
	}
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}

	f.mu.Lock()
	f.issued++
	code := "code" + strconv.Itoa(f.issued)
	f.codes[code] = who.Value
	f.mu.Unlock()

	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// accessToken exchanges a code once for its openid.
func (f *fakeWeChat) accessToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.exchanges++
	openID, ok := f.codes[q.Get("code")]
	delete(f.codes, q.Get("code"))
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	if !ok || q.Get("appid") != testAppID || q.Get("secret") != testAppSecret ||
		q.Get("grant_type") != "authorization_code" {
		_ = json.NewEncoder(w).Encode(map[string]any{"errcode": 40029, "errmsg": "invalid code"})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "expires_in": 7200,
		"refresh_token": "rt", "openid": openID, "scope": "snsapi_base"})
}

// exchangeCount is how many code exchanges the pages made.
func (f *fakeWeChat) exchangeCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.exchanges
}
