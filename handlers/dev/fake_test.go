package dev_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/dev"
	"github.com/imut/xuewu/notify/wechat"
)

// apiAnswer is a JSON answer of the fake API.
type apiAnswer struct {
	ErrCode     int    `json:"errcode"`
	ErrMsg      string `json:"errmsg"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// api calls the fake API directly and decodes its answer.
func (e *env) api(method, path string, body string) (int, apiAnswer) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), method,
		e.srv.URL+dev.FakePath+path, strings.NewReader(body))
	require.NoError(e.t, err)
	res := e.do(req)
	var a apiAnswer
	require.NoError(e.t, json.Unmarshal([]byte(res.body), &a), res.body)
	return res.code, a
}

func TestFakeTokens(t *testing.T) {
	t.Parallel()
	e := setup(t)
	q := url.Values{"grant_type": {"client_credential"}, "appid": {appID}, "secret": {appSecret}}
	_, a := e.api(http.MethodGet, "/cgi-bin/token?"+q.Encode(), "")
	require.Zero(t, a.ErrCode)
	require.NotEmpty(t, a.AccessToken)
	require.Equal(t, 7200, a.ExpiresIn)
	first := a.AccessToken

	stable := `{"grant_type":"client_credential","appid":"` + appID + `","secret":"` + appSecret + `"}`
	_, a = e.api(http.MethodPost, "/cgi-bin/stable_token", stable)
	require.Equal(t, first, a.AccessToken, "the stable token stays the same")
	forced := strings.Replace(stable, "}", `,"force_refresh":true}`, 1)
	_, a = e.api(http.MethodPost, "/cgi-bin/stable_token", forced)
	require.NotEqual(t, first, a.AccessToken, "force_refresh issues a new one")

	q.Set("secret", "wrong")
	_, a = e.api(http.MethodGet, "/cgi-bin/token?"+q.Encode(), "")
	require.Equal(t, 40125, a.ErrCode)
	q.Set("appid", "wx-other")
	_, a = e.api(http.MethodGet, "/cgi-bin/token?"+q.Encode(), "")
	require.Equal(t, 40013, a.ErrCode)

	_, a = e.api(http.MethodPost, "/cgi-bin/message/custom/send?access_token=forged",
		`{"touser":"sim-1","msgtype":"text","text":{"content":"x"}}`)
	require.Equal(t, 40001, a.ErrCode, "only tokens the fake issued")

	code, a := e.api(http.MethodGet, "/cgi-bin/user/info", "")
	require.Equal(t, http.StatusNotFound, code)
	require.Equal(t, 48001, a.ErrCode)
}

func TestFakeShowsWhatTheClientSends(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	to := "sim-2023150101"
	link := e.srv.URL + "/h5/approve/3"
	require.NoError(t, e.wx.SendText(ctx, to, "待审批\n"+`<a href="`+link+`">点击查看</a>`))
	tpl := wechat.Template{TemplateID: "demo-template-approval", URL: link, ClientMsgID: "k1",
		Data: map[string]string{"first": "待审批：武杰的缓考申请", "keyword1": "武杰",
			"keyword2": "缓考", "keyword10": "十", "remark": "请尽快审批"}}
	require.NoError(t, e.wx.SendTemplate(ctx, to, tpl))
	require.NoError(t, e.wx.SendTemplate(ctx, to, tpl), "a repeat is accepted")

	e.choose("2023150101")
	msgs, _ := e.chat()
	require.Len(t, msgs, 2, "text and card; the repeat dropped")
	text, card := msgs[0], msgs[1]
	require.Equal(t, "待审批\n点击查看", text.text())
	require.Equal(t, "/dev/open?to=%2Fh5%2Fapprove%2F3", text.Parts[1].Href)
	require.Equal(t, "card", card.Kind)
	require.Equal(t, "待审批：武杰的缓考申请", card.Card.Title)
	require.Equal(t, []string{"武杰", "缓考", "十"}, card.Card.Lines, "keyword2 before keyword10")
	require.Equal(t, "请尽快审批", card.Card.Remark)
	require.Equal(t, "/dev/open?to=%2Fh5%2Fapprove%2F3", card.Card.Href)

	elsewhere := `<a href="https://evil.example/h5/x">点我</a> 与 https://evil.example/y`
	require.NoError(t, e.wx.SendText(ctx, to, elsewhere))
	last := e.last()
	require.Equal(t, "点我（https://evil.example/h5/x） 与 https://evil.example/y", last.text())
	for _, p := range last.Parts {
		require.Empty(t, p.Href, "links elsewhere stay text")
	}
}

func TestFakeMediaAndMenu(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, _, err := e.wx.Media(t.Context(), "sim_unknown")
	var apiErr *wechat.APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, 40007, apiErr.Code)

	require.NoError(t, e.wx.SetMenu(t.Context(), []wechat.Button{
		{Type: "click", Name: "办理业务", Key: "APPLY"}, {Type: "click", Name: "帮助", Key: "HELP"}}))
	e.choose("2023150101")
	body := e.open()
	require.Contains(t, body, `data-key="APPLY">办理业务</button>`)
	require.Contains(t, body, `data-key="HELP">帮助</button>`)
	require.NotContains(t, body, "我的申请</button>", "the created menu replaces the default")
}

// authorizeURL is the OAuth link the /h5 pages send a browser to.
func (e *env) authorizeURL(back string) string {
	return e.wx.AuthorizeURL(back, "state-1")
}

func TestFakeOAuthLogsInThePersonOnThePhone(t *testing.T) {
	t.Parallel()
	e := setup(t)
	back := e.srv.URL + "/h5/oauth?next=%2Fh5%2Fpending"
	res := e.get(strings.TrimPrefix(e.authorizeURL(back), e.srv.URL))
	require.Equal(t, http.StatusForbidden, res.code, "nobody chosen yet")
	require.Contains(t, res.body, "模拟器中还没有选择身份")

	e.choose("T1579")
	res = e.get(strings.TrimPrefix(e.authorizeURL(back), e.srv.URL))
	require.Equal(t, http.StatusFound, res.code, res.body)
	loc, err := url.Parse(res.header.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, e.srv.URL+"/h5/oauth", loc.Scheme+"://"+loc.Host+loc.Path)
	require.Equal(t, "/h5/pending", loc.Query().Get("next"))
	require.Equal(t, "state-1", loc.Query().Get("state"))

	code := loc.Query().Get("code")
	openID, err := e.wx.OpenID(t.Context(), code)
	require.NoError(t, err)
	require.Equal(t, "sim-T1579", openID)
	_, err = e.wx.OpenID(t.Context(), code)
	var apiErr *wechat.APIError
	require.True(t, errors.As(err, &apiErr), "a code is good once: %v", err)
	require.Equal(t, 40029, apiErr.Code)
}

func TestFakeOAuthRefusesOtherSites(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.choose("T1579")
	good := url.Values{"appid": {appID}, "redirect_uri": {e.srv.URL + "/h5/oauth"},
		"response_type": {"code"}, "scope": {"snsapi_base"}, "state": {"s"}}
	tests := []struct {
		name, key, value, want string
	}{
		{"another site", "redirect_uri", "https://evil.example/h5/oauth", "redirect_uri"},
		{"a relative redirect", "redirect_uri", "/h5/oauth", "redirect_uri"},
		{"another app", "appid", "wx-other", "appid"},
		{"no scope", "scope", "", "scope"},
	}
	for _, tc := range tests {
		q := url.Values{}
		for k, v := range good {
			q[k] = v
		}
		q.Set(tc.key, tc.value)
		res := e.get(dev.FakePath + "/connect/oauth2/authorize?" + q.Encode())
		require.Equal(t, http.StatusBadRequest, res.code, tc.name)
		require.Contains(t, res.body, tc.want, tc.name)
		require.Empty(t, res.header.Get("Location"), tc.name)
	}
}
