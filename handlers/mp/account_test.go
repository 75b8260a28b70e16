package mp_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers"
	"github.com/imut/xuewu/handlers/mp"
	"github.com/imut/xuewu/models/modelstest"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	e := setup(t)

	a := e.call(http.MethodPost, "/api/mp/login", "", map[string]string{"code": "c-oStu1"})

	require.Equal(t, http.StatusOK, a.Status)
	body := a.JSON(t)
	require.NotEmpty(t, body["token"])
	require.Equal(t, false, body["bound"])
	require.NotContains(t, body, "role")
	require.Equal(t, "2026-12-10T10:00:00+08:00", body["expires_at"], "seven days")
	require.Equal(t, "no-store", a.Header.Get("Cache-Control"))
}

func TestLoginFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		body   any
		status int
		want   string
		calls  int
	}{
		{"invalid code", map[string]string{"code": "c-bad"}, http.StatusUnauthorized,
			"登录凭证无效", 1},
		{"WeChat failing", map[string]string{"code": "c-busy"}, http.StatusBadGateway,
			"暂时不可用", 1},
		{"malformed code", map[string]string{"code": "c&appid=x"}, http.StatusUnauthorized,
			"登录凭证无效", 0},
		{"no code", map[string]string{}, http.StatusBadRequest, "code", 0},
		{"not JSON", "code=c-oStu1", http.StatusBadRequest, "JSON", 0},
		{"unknown field", map[string]string{"code": "c-oStu1", "x": "1"},
			http.StatusBadRequest, "x", 0},
		{"two objects", `{"code":"c-oStu1"}{}`, http.StatusBadRequest, "JSON", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)

			a := e.call(http.MethodPost, "/api/mp/login", "", tc.body)

			require.Equal(t, tc.status, a.Status, string(a.Raw))
			require.Contains(t, a.Error(t), tc.want)
			require.NotContains(t, a.JSON(t), "token")
			e.wx.mu.Lock()
			defer e.wx.mu.Unlock()
			require.Equal(t, tc.calls, e.wx.logins)
		})
	}
}

func TestTokenRequired(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.login("oStu1")
	parts := strings.Split(token, ".")
	forged := parts[0] + "." + "9999999999" + "." + parts[2]

	tests := []struct {
		name, token, want string
	}{
		{"none", "", "请先登录"},
		{"garbage", "abc", "登录已过期"},
		{"longer expiry, same signature", forged, "登录已过期"},
	}
	for _, tc := range tests {
		for _, path := range []string{"/api/mp/me", "/api/mp/requests", "/api/mp/kinds"} {
			a := e.call(http.MethodGet, path, tc.token, nil)
			require.Equal(t, http.StatusUnauthorized, a.Status, tc.name+" "+path)
			require.Contains(t, a.Error(t), tc.want)
		}
	}

	require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/api/mp/me", token, nil).Status)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/api/mp/me", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "bearer  "+token)
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "the scheme's case does not matter")
	e.clock.Add(7*24*time.Hour + time.Second)
	a := e.call(http.MethodGet, "/api/mp/me", token, nil)
	require.Equal(t, http.StatusUnauthorized, a.Status, "expired after seven days")
}

func TestBindAndUnbind(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.login("oStu1")

	a := e.call(http.MethodGet, "/api/mp/requests", token, nil)
	require.Equal(t, http.StatusForbidden, a.Status)
	require.Contains(t, a.Error(t), "请先绑定")

	a = e.call(http.MethodPost, "/api/mp/bind", token,
		map[string]string{"no": "2023150101", "secret": "000000"})
	require.Equal(t, http.StatusUnprocessableEntity, a.Status)
	require.Contains(t, a.Error(t), "不匹配")

	a = e.call(http.MethodPost, "/api/mp/bind", token,
		map[string]string{"no": "２０２３１５０１０１", "secret": "313776"})
	require.Equal(t, http.StatusOK, a.Status, "full-width digits are normalised")
	require.Equal(t, map[string]any{"bound": true, "role": "student", "name": "武杰",
		"no": "2023150101", "class": "机械设计制造及其自动化23-1班"}, a.JSON(t))

	a = e.call(http.MethodPost, "/api/mp/login", "", map[string]string{"code": "c-oStu1"})
	require.Equal(t, true, a.JSON(t)["bound"])
	require.Equal(t, "student", a.JSON(t)["role"])
	require.Equal(t, "武杰", a.JSON(t)["name"])

	id, err := e.store.IdentityByOpenID(ctx, "oStu1")
	require.NoError(t, err)
	require.False(t, id.Bound(), "the official account's binding is untouched")

	a = e.call(http.MethodPost, "/api/mp/unbind", token, nil)
	require.Equal(t, http.StatusOK, a.Status)
	require.Equal(t, true, a.JSON(t)["unbound"])
	a = e.call(http.MethodPost, "/api/mp/unbind", token, nil)
	require.Equal(t, false, a.JSON(t)["unbound"])
	require.Equal(t, http.StatusForbidden,
		e.call(http.MethodGet, "/api/mp/requests", token, nil).Status)
}

func TestStaffBindsButFilesNothing(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.login("oDean")

	a := e.call(http.MethodPost, "/api/mp/bind", token,
		map[string]string{"no": "t1579", "secret": modelstest.ActivationCodes["T1579"]})

	require.Equal(t, http.StatusOK, a.Status, string(a.Raw))
	require.Equal(t, "staff", a.JSON(t)["role"])
	require.Equal(t, "T1579", a.JSON(t)["no"])
	a = e.call(http.MethodGet, "/api/mp/requests", token, nil)
	require.Equal(t, http.StatusForbidden, a.Status)
	require.Contains(t, a.Error(t), "只为学生")
	a = e.call(http.MethodGet, "/api/mp/kinds", token, nil)
	require.Equal(t, http.StatusOK, a.Status, "the rules are no secret")
}

func TestBindInputChecked(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.login("oStu1")
	tests := []struct {
		no, secret, want string
	}{
		{"20231", "313776", "正确的学号"},
		{"2023150101", "31377", "身份证号码的后六位"},
		{"T1579", "x!", "激活码"},
	}
	for _, tc := range tests {
		a := e.call(http.MethodPost, "/api/mp/bind", token,
			map[string]string{"no": tc.no, "secret": tc.secret})
		require.Equal(t, http.StatusUnprocessableEntity, a.Status)
		require.Contains(t, a.Error(t), tc.want)
	}
	require.Equal(t, http.StatusBadRequest,
		e.call(http.MethodPost, "/api/mp/bind", token, `{"no":`).Status)
}

func TestBindLockout(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.login("oStu1")
	try := func(token, no, secret string) answer {
		return e.call(http.MethodPost, "/api/mp/bind", token,
			map[string]string{"no": no, "secret": secret})
	}
	for range 5 {
		require.Equal(t, http.StatusUnprocessableEntity,
			try(token, "2023150101", "000000").Status)
	}

	a := try(token, "2023150101", "313776")
	require.Equal(t, http.StatusTooManyRequests, a.Status, "even the right digits")
	require.Contains(t, a.Error(t), "分钟后再试")
	require.NotEmpty(t, a.Header.Get("Retry-After"))

	other := e.login("oOther")
	a = try(other, "2023150101", "313776")
	require.Equal(t, http.StatusTooManyRequests, a.Status, "the number is locked")
	a = try(token, "2023150102", "466040")
	require.Equal(t, http.StatusTooManyRequests, a.Status, "the account is locked")
	require.Equal(t, http.StatusOK, try(other, "2023150102", "466040").Status)

	id, err := e.store.IdentityByMiniOpenID(ctx, "oStu1")
	require.NoError(t, err)
	require.False(t, id.Bound())
}

func TestUnknownPathsAnswerJSON(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.login("oStu1")

	a := e.call(http.MethodGet, "/api/mp/nothing", token, nil)
	require.Equal(t, http.StatusNotFound, a.Status)
	require.Contains(t, a.Error(t), "没有这个接口")
	a = e.call(http.MethodPatch, "/api/mp/requests", token, nil)
	require.Equal(t, http.StatusMethodNotAllowed, a.Status)
	require.Contains(t, a.Error(t), "不支持")
}

func TestOffWithoutMount(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.serve(handlers.New(handlers.Deps{Store: e.store}))

	a := e.call(http.MethodPost, "/api/mp/login", "", map[string]string{"code": "c-oStu1"})

	require.Equal(t, http.StatusNotFound, a.Status)
	require.NotEmpty(t, a.Error(t))
}

func TestPanicAnswersJSON(t *testing.T) {
	t.Parallel()
	e := setup(t)
	api, err := mp.New(mp.Config{Store: e.store, Sessions: panicking{}, Redis: e.rdb,
		PublicURL: publicURL})
	require.NoError(t, err)
	e.serve(api)

	a := e.call(http.MethodPost, "/api/mp/login", "", map[string]string{"code": "c-oStu1"})

	require.Equal(t, http.StatusInternalServerError, a.Status)
	require.Contains(t, a.Error(t), "系统暂时无法处理")
}

// panicking is a code exchange that panics.
type panicking struct{}

func (panicking) Code2Session(context.Context, string) (string, error) { panic("boom") }
