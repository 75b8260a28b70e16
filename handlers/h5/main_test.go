package h5

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
	"github.com/imut/xuewu/notify/wechat"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(modelstest.Main(m))
}

var ctx = context.Background()

// clock is the tests' settable clock.
type clock = modelstest.Clock

// cst builds a time in China Standard Time.
func cst(y int, m time.Month, d, h, minute int) time.Time {
	return time.Date(y, m, d, h, minute, 0, 0, time.FixedZone("CST", 8*3600))
}

// env is one test's server: the seeded school, a fake WeChat, and the
// pages behind the real OAuth client of notify/wechat.
type env struct {
	t       *testing.T
	store   *models.Store
	clock   *clock
	wx      *fakeWeChat
	app     *httptest.Server
	pages   *Pages
	dataDir string
}

const (
	testAppID     = "wx-test-app"
	testAppSecret = "test-app-secret"
)

// setup starts the pages over a fresh database with the seeded school,
// whose people are bound to the openids of openID, at 2026-12-03 10:00.
func setup(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, clock: modelstest.NewClock(cst(2026, 12, 3, 10, 0)), dataDir: t.TempDir()}
	e.store = modelstest.NewStore(t, models.WithClock(e.clock.Now))
	modelstest.Seed(t, e.store)
	e.bindAll()
	e.wx = newFakeWeChat(t)

	handler := http.NotFoundHandler()
	e.app = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(e.app.Close)

	pages, err := New(Config{Store: e.store, OAuth: e.wechatClient(), PublicURL: e.app.URL,
		DataDir: e.dataDir, Now: e.clock.Now})
	require.NoError(t, err)
	e.pages, handler = pages, pages
	return e
}

// wechatClient is notify/wechat's client, pointed at the fake WeChat.
func (e *env) wechatClient() *wechat.Client {
	rdb := redis.NewClient(&redis.Options{Addr: miniredis.RunT(e.t).Addr()})
	e.t.Cleanup(func() { _ = rdb.Close() })
	c, err := wechat.New(wechat.Config{AppID: testAppID, AppSecret: testAppSecret,
		APIBase: e.wx.srv.URL, OpenBase: e.wx.srv.URL, KeyPrefix: "h5test:"}, rdb, nil)
	require.NoError(e.t, err)
	return c
}

// openID is the WeChat account the tests bind to a 学号 or 工号.
func openID(no string) string { return "o-" + no }

// bindAll binds every seeded student and staff member to openID(no).
func (e *env) bindAll() {
	for no, id := range modelstest.StudentIDs {
		_, err := e.store.BindStudent(ctx, openID(no), no, id)
		require.NoError(e.t, err)
	}
	for no, code := range modelstest.ActivationCodes {
		_, err := e.store.BindStaff(ctx, openID(no), no, code)
		require.NoError(e.t, err)
	}
}

// addStaff adds and binds a staff member.
func (e *env) addStaff(no, name, college, roles string) {
	e.t.Helper()
	sf := models.Staff{No: no, Name: name, CollegeCode: college, Roles: roles,
		ActivationHash: e.store.SecretHash(no, "CODE"+no)}
	require.NoError(e.t, e.store.DB().Create(&sf).Error)
	_, err := e.store.BindStaff(ctx, openID(no), no, "CODE"+no)
	require.NoError(e.t, err)
}

// submit files a request and fails the test on error.
func (e *env) submit(student string, d models.Draft) *models.Request {
	e.t.Helper()
	req, err := e.store.Submit(ctx, student, d)
	require.NoError(e.t, err)
	return req
}

// decideDirect decides through the store, for steps a test is not about.
func (e *env) decideDirect(id uint64, staff string, a models.Action, comment string) {
	e.t.Helper()
	_, err := e.store.Decide(ctx, models.Decision{RequestID: id, StaffNo: staff, Action: a,
		Comment: comment})
	require.NoError(e.t, err)
}

// request reloads a request.
func (e *env) request(id uint64) *models.Request {
	e.t.Helper()
	req, err := e.store.RequestByID(ctx, id)
	require.NoError(e.t, err)
	return req
}

// eventCount counts a request's audit events: a refused action adds none.
func (e *env) eventCount(id uint64) int {
	e.t.Helper()
	evs, err := e.store.Events(ctx, id)
	require.NoError(e.t, err)
	return len(evs)
}

func statusDraft(kind models.Kind, reason string) models.Draft {
	return models.Draft{Kind: kind, Reason: reason, Details: "家中有事，需要照顾",
		Phones: []string{"13904712233", "13804712233", "0471-6576286"}}
}

func deferral(course string) models.Draft {
	return models.Draft{Kind: models.KindDeferral, Reason: "生病", CourseCode: course,
		Phones: []string{"13904712233"}}
}

// user is a browser of one WeChat account: a cookie jar that WeChat (the
// fake) knows as that account, following redirects and recording them.
type user struct {
	e      *env
	client *http.Client
	// hops are the redirect statuses of the last request.
	hops []int
}

// as returns a browser logged in to WeChat as the account openID.
func (e *env) as(openID string) *user {
	jar, err := cookiejar.New(nil)
	require.NoError(e.t, err)
	wx, _ := url.Parse(e.wx.srv.URL)
	jar.SetCookies(wx, []*http.Cookie{{Name: fakeUserCookie, Value: openID, Path: "/"}})
	u := &user{e: e}
	u.client = &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			u.hops = append(u.hops, req.Response.StatusCode)
			return nil
		}}
	return u
}

// page is an answer of the app: its status, final URL and body.
type page struct {
	status int
	url    *url.URL
	header http.Header
	body   string
}

func (u *user) do(req *http.Request) page {
	u.e.t.Helper()
	u.hops = nil
	resp, err := u.client.Do(req)
	require.NoError(u.e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(u.e.t, err)
	return page{status: resp.StatusCode, url: resp.Request.URL, header: resp.Header,
		body: string(b)}
}

func (u *user) get(path string) page {
	u.e.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.e.app.URL+path, nil)
	require.NoError(u.e.t, err)
	return u.do(req)
}

// post sends a form as a browser on the app's own page would.
func (u *user) post(path string, form url.Values) page {
	u.e.t.Helper()
	return u.postFrom(path, u.e.app.URL, form)
}

func (u *user) postFrom(path, origin string, form url.Values) page {
	u.e.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.e.app.URL+path,
		strings.NewReader(form.Encode()))
	require.NoError(u.e.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return u.do(req)
}

var (
	csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	stepField = regexp.MustCompile(`name="step" value="(\d+)"`)
)

// formOf returns the hidden fields of the approval form on a page.
func formOf(t *testing.T, p page) url.Values {
	t.Helper()
	c, s := csrfField.FindStringSubmatch(p.body), stepField.FindStringSubmatch(p.body)
	require.NotNil(t, c, "no csrf field on the page")
	require.NotNil(t, s, "no step field on the page")
	return url.Values{"csrf": {c[1]}, "step": {s[1]}}
}

// with returns a copy of the form with more fields.
func with(form url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// hasButtons reports whether a page offers the decision buttons.
func hasButtons(body string) bool {
	return strings.Contains(body, `name="decision" value="approve"`)
}

func formatID(id uint64) string { return strconv.FormatUint(id, 10) }

// sessionCookieOf returns the browser's session cookie, logging in first
// when it has none.
func sessionCookieOf(t *testing.T, u *user, e *env) string {
	t.Helper()
	app, _ := url.Parse(e.app.URL + "/h5/")
	for _, c := range u.client.Jar.Cookies(app) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	u.get("/h5/pending")
	for _, c := range u.client.Jar.Cookies(app) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}
