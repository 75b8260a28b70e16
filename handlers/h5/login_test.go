package h5

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
)

func TestSafeNextKeepsToLocalPages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"/h5/approve/12", "/h5/approve/12"},
		{"/h5/print/12.pdf", "/h5/print/12.pdf"},
		{"/h5/pending?x=1", "/h5/pending?x=1"},
		{"", defaultNext},
		{"https://evil.example/h5/approve/1", defaultNext},
		{"//evil.example/h5/approve/1", defaultNext},
		{"/\\evil.example", defaultNext},
		{"/h5/../admin/api/requests", defaultNext},
		{"/h5/approve/../../wechat", defaultNext},
		{"/h5/oauth?next=/h5/pending", defaultNext},
		{"/h5/approve/1\r\nSet-Cookie: x=1", defaultNext},
		{"javascript:alert(1)", defaultNext},
		{"/healthz", defaultNext},
	} {
		require.Equal(t, tc.want, safeNext(tc.in), tc.in)
	}
}

func TestLoginRedirectsToWeChatWithAStateTiedToTheBrowser(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, e.app.URL+approvePath(req.ID), nil)
	require.NoError(t, err)
	resp, err := client.Do(r)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)

	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, e.wx.srv.URL+"/connect/oauth2/authorize", loc.Scheme+"://"+loc.Host+loc.Path)
	require.Equal(t, "wechat_redirect", loc.Fragment)
	q := loc.Query()
	require.Equal(t, testAppID, q.Get("appid"))
	require.Equal(t, "snsapi_base", q.Get("scope"))
	require.Equal(t, "code", q.Get("response_type"))
	require.Equal(t, e.app.URL+"/h5/oauth?next=%2Fh5%2Fapprove%2F"+formatID(req.ID),
		q.Get("redirect_uri"))

	var state *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == stateCookie {
			state = c
		}
	}
	require.NotNil(t, state)
	require.Equal(t, q.Get("state"), state.Value)
	require.True(t, state.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, state.SameSite)
}

func TestOAuthCallbackRefusesAForeignStateOrABadCode(t *testing.T) {
	t.Parallel()
	e := setup(t)
	u := e.as(openID("T1593"))

	// A callback this browser did not start (no state cookie).
	p := u.get("/h5/oauth?code=code1&state=abc&next=%2Fh5%2Fpending")
	require.Equal(t, http.StatusBadRequest, p.status)
	require.Contains(t, p.body, "登录链接已失效")
	require.Contains(t, p.body, `href="/h5/pending"`)
	require.Zero(t, e.wx.exchangeCount())

	// A code WeChat does not know, with the right state.
	app, _ := url.Parse(e.app.URL + oauthPath)
	u.client.Jar.SetCookies(app, []*http.Cookie{{Name: stateCookie, Value: "s1", Path: oauthPath}})
	p = u.get("/h5/oauth?code=nosuchcode&state=s1&next=%2Fh5%2Fpending")
	require.Equal(t, http.StatusBadGateway, p.status)
	require.Contains(t, p.body, "微信登录失败")
	require.Equal(t, 1, e.wx.exchangeCount())

	// A code with characters WeChat never uses is not sent on.
	u.client.Jar.SetCookies(app, []*http.Cookie{{Name: stateCookie, Value: "s2", Path: oauthPath}})
	p = u.get("/h5/oauth?code=a%26secret%3Dx&state=s2")
	require.Equal(t, http.StatusBadRequest, p.status)
	require.Equal(t, 1, e.wx.exchangeCount())
}

func TestSessionCookieIsSignedAndExpires(t *testing.T) {
	t.Parallel()
	e := setup(t)
	u := e.as(openID("T1593"))
	p := u.get("/h5/pending")
	require.Equal(t, http.StatusOK, p.status)
	require.Equal(t, 1, e.wx.exchangeCount())

	session := sessionCookieOf(t, u, e)
	openID, ok := e.pages.openSession(session)
	require.True(t, ok)
	require.Equal(t, "o-T1593", openID)

	require.Equal(t, http.StatusOK, u.get("/h5/pending").status)
	require.Equal(t, 1, e.wx.exchangeCount(), "the session is reused")

	// Another account's openid in the same cookie breaks the signature.
	parts := strings.Split(session, ".")
	forged := b64.EncodeToString([]byte("o-T1558")) + "." + parts[1] + "." + parts[2]
	_, ok = e.pages.openSession(forged)
	require.False(t, ok)

	e.clock.Add(sessionTTL + time.Minute)
	_, ok = e.pages.openSession(session)
	require.False(t, ok)
	p = u.get("/h5/pending")
	require.Equal(t, http.StatusOK, p.status)
	require.Equal(t, 2, e.wx.exchangeCount(), "an expired session logs in again")
}

func TestSessionCookieIsSecureBehindHTTPS(t *testing.T) {
	t.Parallel()
	e := setup(t)
	p, err := New(Config{Store: e.store, OAuth: e.wechatClient(),
		PublicURL: "https://xuewu.example.edu.cn/"})
	require.NoError(t, err)
	require.True(t, p.secure)
	require.Equal(t, "https://xuewu.example.edu.cn", p.base)

	_, err = New(Config{Store: e.store, OAuth: e.wechatClient(), PublicURL: "xuewu.example"})
	require.Error(t, err)
}

func TestCSRFTokenIsBoundToSessionAndScope(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tok := e.pages.csrfToken("session-a", approveScope(1))
	require.True(t, e.pages.csrfValid("session-a", approveScope(1), tok))
	require.False(t, e.pages.csrfValid("session-b", approveScope(1), tok))
	require.False(t, e.pages.csrfValid("session-a", approveScope(2), tok))
	require.False(t, e.pages.csrfValid("session-a", pendingScope, tok))
	require.False(t, e.pages.csrfValid("session-a", approveScope(1), ""))
}

func TestDaysLeftCountsChinaCalendarDays(t *testing.T) {
	t.Parallel()
	deadline := models.Deadline(cst(2026, 12, 3, 10, 0))
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{cst(2026, 12, 3, 10, 0), "还剩 10 天"},
		{cst(2026, 12, 12, 23, 59), "还剩 1 天"},
		{cst(2026, 12, 13, 0, 1), "今天截止"},
		{cst(2026, 12, 14, 0, 0), "已过截止时间"},
	} {
		require.Equal(t, tc.want, daysLeft(tc.now, deadline), tc.now.String())
	}
}
