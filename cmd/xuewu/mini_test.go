package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeMini is the mini-program's side of the fake WeChat: code2session
// logs "mc-<openid>" in, and subscribe messages are recorded by openid.
type fakeMini struct {
	mu  sync.Mutex
	got map[string][]subscribeMsg
}

// subscribeMsg is one subscribe message as WeChat took it.
type subscribeMsg struct {
	TemplateID string `json:"template_id"`
	Page       string `json:"page"`
	Data       map[string]struct {
		Value string `json:"value"`
	} `json:"data"`
}

func (f *fakeMini) serve(w http.ResponseWriter, r *http.Request) bool {
	switch r.URL.Path {
	case "/sns/jscode2session":
		openID, ok := strings.CutPrefix(r.URL.Query().Get("js_code"), "mc-")
		if !ok {
			_, _ = io.WriteString(w, `{"errcode":40029,"errmsg":"invalid code"}`)
			return true
		}
		fmt.Fprintf(w, `{"openid":%q,"session_key":"sk"}`, openID)
	case "/cgi-bin/message/subscribe/send":
		var m struct {
			ToUser string `json:"touser"`
			subscribeMsg
		}
		_ = json.NewDecoder(r.Body).Decode(&m)
		f.mu.Lock()
		f.got[m.ToUser] = append(f.got[m.ToUser], m.subscribeMsg)
		f.mu.Unlock()
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	default:
		return false
	}
	return true
}

func (f *fakeMini) to(openID string) []subscribeMsg {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]subscribeMsg(nil), f.got[openID]...)
}

// startMiniServer starts `xuewu serve` as startServer does, with the
// mini-program configured on the same fake WeChat.
func startMiniServer(t *testing.T) (*e2e, *fakeMini) {
	t.Helper()
	wx, mini := newFakeWeChat(t), &fakeMini{got: map[string][]subscribeMsg{}}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !mini.serve(w, r) {
			wx.serve(w, r)
		}
	}))
	t.Cleanup(api.Close)
	stamp := time.Now().UnixNano()
	e := startServerWith(t, wx, api.URL, map[string]string{
		"WECHAT_MINI_APP_ID": fmt.Sprintf("wxmini%d", stamp), "WECHAT_MINI_APP_SECRET": "ms",
		"WECHAT_MINI_TEMPLATE": "tpl-mini",
	})
	return e, mini
}

// mp calls the mini-program API with a token (none when empty) and a JSON
// body, and returns the status and the decoded answer.
func (e *e2e) mp(method, path, token string, body any) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		require.NoError(e.t, err)
		rd = strings.NewReader(string(data))
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.base+path, rd)
	require.NoError(e.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(e.t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func TestMiniProgramFromLoginToSubscribeMessage(t *testing.T) {
	t.Parallel()
	e, mini := startMiniServer(t)
	e.bind(e.o("o-dean"), "T1579", "UAK4ZWJD")

	status, login := e.mp(http.MethodPost, "/api/mp/login", "",
		map[string]string{"code": "mc-" + e.o("m-stu")})
	require.Equal(t, http.StatusOK, status, login)
	require.Equal(t, false, login["bound"])
	token := login["token"].(string)
	status, bound := e.mp(http.MethodPost, "/api/mp/bind", token,
		map[string]string{"no": "2023150101", "secret": "313776"})
	require.Equal(t, http.StatusOK, status, bound)
	require.Equal(t, "武杰", bound["name"])

	status, filed := e.mp(http.MethodPost, "/api/mp/requests", token, map[string]any{
		"kind": "deferral", "reason": "生病", "course_code": "150165",
		"phones": []string{"13904712233"}})
	require.Equal(t, http.StatusCreated, status, filed)
	id := strconv.Itoa(int(filed["request"].(map[string]any)["id"].(float64)))
	require.Equal(t, e.base+"/h5/print/"+id, filed["print_url"])

	dean := e.card(e.o("o-dean"), 1)
	require.Equal(t, e.base+"/h5/approve/"+id, dean.URL)
	e.approveFromCard(e.o("o-dean"), dean.URL, nil)

	waitFor(t, "the student's subscribe message", 20*time.Second, func() bool {
		return len(mini.to(e.o("m-stu"))) == 1
	})
	got := mini.to(e.o("m-stu"))[0]
	require.Equal(t, "tpl-mini", got.TemplateID)
	require.Equal(t, "pages/request/detail?id="+id, got.Page)
	require.Equal(t, "本步通过", got.Data["phrase2"].Value)
	require.Empty(t, e.wx.to(e.o("m-stu")), "no official-account message to a mini openid")
}

func TestMiniProgramAPIOffWithoutAppID(t *testing.T) {
	t.Parallel()
	e := startServer(t)

	status, body := e.mp(http.MethodPost, "/api/mp/login", "", map[string]string{"code": "x"})

	require.Equal(t, http.StatusNotFound, status)
	require.NotEmpty(t, body["error"])
}
