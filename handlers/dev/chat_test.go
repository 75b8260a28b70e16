package dev_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/handlers/dev"
	"github.com/imut/xuewu/models"
)

func TestNewPersonFollowsTheAccountFirst(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.choose("2023150101")

	msgs, bound := e.chat()
	require.False(t, bound)
	require.Len(t, msgs, 2)
	require.Equal(t, "event", msgs[0].Kind)
	require.True(t, msgs[0].Mine)
	require.Contains(t, msgs[1].text(), "欢迎使用学务助手", "the bot's answer to subscribe")

	e.choose("T1579")
	e.choose("2023150101")
	msgs, _ = e.chat()
	require.Len(t, msgs, 2, "coming back does not follow again")
}

func TestBindWithTheExampleData(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.choose("T1579")
	res := e.post(dev.Prefix+"/api/bind", nil)
	require.Equal(t, http.StatusOK, res.code, res.body)

	msgs, bound := e.chat()
	require.True(t, bound)
	var sent []string
	for _, m := range msgs {
		if m.Mine && m.Kind == "text" {
			sent = append(sent, m.text())
		}
	}
	require.Equal(t, []string{"绑定", "T1579", "UAK4ZWJD"}, sent)
	require.Contains(t, e.last().text(), "绑定成功！范玉玉 老师")

	id, err := e.store.IdentityByOpenID(t.Context(), "sim-T1579")
	require.NoError(t, err)
	require.Equal(t, "T1579", id.Staff.No)
}

func TestChatThroughTheRealCallback(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.choose("2023150101")
	e.post(dev.Prefix+"/api/bind", nil)
	e.say("我生病了，缓考材料力学，电话 13904712233")
	require.Contains(t, e.last().text(), "请核对缓考申请")
	e.say("确认")

	reply := e.last()
	require.Contains(t, reply.text(), "已提交！申请编号：第 1 号")
	link := reply.Parts[len(reply.Parts)-1]
	require.Equal(t, e.srv.URL+"/h5/print/1", link.Text)
	require.Equal(t, "/dev/open?to=%2Fh5%2Fprint%2F1", link.Href, "links open through /dev/open")

	res := e.post(dev.Prefix+"/api/click", url.Values{"key": {bot.MenuMine}})
	require.Equal(t, http.StatusOK, res.code, res.body)
	msgs, _ := e.chat()
	require.Equal(t, "event", msgs[len(msgs)-2].Kind)
	require.Equal(t, "点击菜单“我的申请”", msgs[len(msgs)-2].text())
	require.Contains(t, e.last().text(), "第 1 号 缓考·材料力学：审批中")

	res = e.post(dev.Prefix+"/api/click", url.Values{"key": {"NOT_A_BUTTON"}})
	require.Equal(t, http.StatusBadRequest, res.code)
	require.Contains(t, res.body, "菜单中没有这个按钮")
}

// testPNG is a small image, as a phone would send.
func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 24, 24))
	for x := range 24 {
		for y := range 24 {
			img.Set(x, y, color.RGBA{R: uint8(x * 10), G: uint8(y * 10), B: 128, A: 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// sendPhoto uploads a file as the page's photo button does.
func (e *env) sendPhoto(data []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("photo", "photo.png")
	require.NoError(e.t, err)
	_, err = fw.Write(data)
	require.NoError(e.t, err)
	require.NoError(e.t, mw.Close())
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost,
		e.srv.URL+dev.Prefix+"/api/photo", &body)
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", e.csrf)
	req.Header.Set("Origin", e.srv.URL)
	return e.do(req)
}

func TestPhotoBecomesEvidenceTheFetcherCanDownload(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.choose("2023150101")
	e.post(dev.Prefix+"/api/bind", nil)
	e.say("我生病了，缓考材料力学，电话 13904712233")
	e.say("确认")

	photo := testPNG(t)
	res := e.sendPhoto(photo)
	require.Equal(t, http.StatusOK, res.code, res.body)
	msgs, _ := e.chat()
	sent := msgs[len(msgs)-2]
	require.Equal(t, "photo", sent.Kind)
	require.Contains(t, e.last().text(), "照片已作为证明材料附到第 1 号缓考申请上")

	shown := e.get(sent.Photo)
	require.Equal(t, http.StatusOK, shown.code)
	require.Equal(t, "image/png", shown.header.Get("Content-Type"))
	require.Equal(t, string(photo), shown.body)

	ev, err := e.store.EvidenceOf(t.Context(), 1)
	require.NoError(t, err)
	require.Len(t, ev, 1)
	data, ctype, err := e.wx.Media(t.Context(), ev[0].MediaID)
	require.NoError(t, err, "the evidence fetcher's download, through the fake API")
	require.Equal(t, photo, data)
	require.Equal(t, "image/png", ctype)

	res = e.sendPhoto([]byte("%PDF-1.4 not a photo"))
	require.Equal(t, http.StatusBadRequest, res.code)
	require.Contains(t, res.body, "只能发送 JPEG、PNG、GIF 或 WebP")
}

func TestPostsWithoutTheTokenOrFromElsewhereAreRefused(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.choose("2023150101")
	before, _ := e.chat()

	tests := []struct {
		name   string
		edit   func(r *http.Request)
		status int
	}{
		{"no token", func(r *http.Request) { r.Header.Del("X-CSRF-Token") }, http.StatusForbidden},
		{"another browser's token", func(r *http.Request) {
			r.Header.Set("X-CSRF-Token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
		}, http.StatusForbidden},
		{"another site", func(r *http.Request) {
			r.Header.Set("Origin", "https://evil.example")
		}, http.StatusForbidden},
		{"another site by referer", func(r *http.Request) {
			r.Header.Del("Origin")
			r.Header.Set("Referer", "https://evil.example/page")
		}, http.StatusForbidden},
		{"the page itself", func(*http.Request) {}, http.StatusOK},
	}
	for _, tc := range tests {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost,
			e.srv.URL+dev.Prefix+"/api/say", strings.NewReader("text=帮助"))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", e.csrf)
		req.Header.Set("Origin", e.srv.URL)
		tc.edit(req)
		res := e.do(req)
		require.Equal(t, tc.status, res.code, tc.name)
		if tc.status == http.StatusForbidden {
			require.Contains(t, res.body, "页面已过期或来源不明", tc.name)
		}
	}
	after, _ := e.chat()
	require.Len(t, after, len(before)+2, "only the page's own post was sent")

	// A plain form post carries the token as a field.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost,
		e.srv.URL+dev.Prefix+"/person", strings.NewReader(url.Values{
			"no": {"T1579"}, "csrf": {e.csrf}}.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	require.Equal(t, http.StatusSeeOther, e.do(req).code)
}

func TestCallbackRefusalIsToldOnThePage(t *testing.T) {
	t.Parallel()
	e := setupWith(t, func(c *dev.Config) { c.Token = "not-the-callback-token" })
	e.open()
	e.choose("2023150101")
	res := e.post(dev.Prefix+"/api/say", url.Values{"text": {"你好"}})
	require.Equal(t, http.StatusBadGateway, res.code)
	require.Contains(t, res.body, "消息没有送达公众号")
}

func TestSayRefusesEmptyAndOverlongText(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.open()
	res := e.post(dev.Prefix+"/api/say", url.Values{"text": {"你好"}})
	require.Equal(t, http.StatusBadRequest, res.code)
	require.Contains(t, res.body, "请先在左侧选择一个人")

	e.choose("2023150101")
	res = e.post(dev.Prefix+"/api/say", url.Values{"text": {"  "}})
	require.Equal(t, http.StatusBadRequest, res.code)
	res = e.post(dev.Prefix+"/api/say", url.Values{"text": {strings.Repeat("长", 700)}})
	require.Equal(t, http.StatusBadRequest, res.code)
	require.Contains(t, res.body, "2048 字节")
	res = e.post(dev.Prefix+"/person", url.Values{"no": {"nobody"}})
	require.Equal(t, http.StatusBadRequest, res.code)
}

func TestPageListsThePeopleEscaped(t *testing.T) {
	t.Parallel()
	e := setup(t)
	err := e.store.DB().Model(&models.Student{}).Where("no = ?", "2023150102").
		Update("name", `<script>alert("x")</script>`).Error
	require.NoError(t, err)
	e.choose("2023150101")
	body := e.open()

	require.Contains(t, body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	require.NotContains(t, body, `<script>alert`)
	require.Contains(t, body, `data-person="2023150101"`)
	require.Contains(t, body, "身份证后六位 313776", "the demo secret, known and matching")
	require.Contains(t, body, "激活码 UAK4ZWJD")
	require.Contains(t, body, `<span class="role">主管院长</span>`)
	require.Contains(t, body, "该生的审批人")
	for _, who := range []string{"史帆", "范玉玉", "郑刚"} {
		require.Contains(t, body, who, "advisor, dean and office of the student")
	}

	res := e.get(dev.Prefix + "/")
	csp := res.header.Get("Content-Security-Policy")
	require.Contains(t, csp, "script-src 'self'")
	require.Contains(t, csp, "frame-ancestors 'none'")
	for _, asset := range []string{"/static/sim.js", "/static/sim.css"} {
		res := e.get(dev.Prefix + asset)
		require.Equal(t, http.StatusOK, res.code, asset)
	}
	require.Equal(t, http.StatusNotFound, e.get(dev.Prefix+"/static/missing.js").code)
	require.Equal(t, http.StatusNotFound, e.get(dev.Prefix+"/static/sim.html").code)
	require.Equal(t, http.StatusNotFound, e.get(dev.Prefix+"/nothing").code)
}

func TestStaffAreOfferedTheNextApproverAndTheStudent(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.choose("2023150101")
	e.choose("T1579")
	body := e.open()
	require.Contains(t, body, "接着切换到")
	contacts := body[strings.Index(body, "接着切换到"):strings.Index(body, "试一试")]
	require.Contains(t, contacts, `value="T1586"`, "the office of the dean's college")
	require.Contains(t, contacts, `value="T1558"`, "the registrar")
	require.Contains(t, contacts, `value="2023150101"`, "back to the last student")
	require.NotContains(t, contacts, `value="T1579"`, "not the dean himself")
}

func TestSecretsAreShownOnlyWhenTheyMatch(t *testing.T) {
	t.Parallel()
	e := setupWith(t, func(c *dev.Config) {
		c.Secrets = map[string]string{"2023150101": "000000", "2023150102": "466040"}
	})
	body := e.open()
	require.NotContains(t, body, "000000", "a secret that does not match is not shown")
	require.Contains(t, body, "身份证后六位 466040")
	require.NotContains(t, body, "激活码", "no staff secret given, none shown")
}

func TestOpenGoesToTheH5PageAsTheNewPerson(t *testing.T) {
	t.Parallel()
	e := setup(t)
	res := e.get(dev.Prefix + "/open?to=" + url.QueryEscape("/h5/approve/7?x=1"))
	require.Equal(t, http.StatusFound, res.code)
	require.Equal(t, "/h5/approve/7?x=1", res.header.Get("Location"))
	cookie := res.header.Get("Set-Cookie")
	require.Contains(t, cookie, "xuewu_h5_session=;")
	require.Contains(t, cookie, "Path=/h5")
	require.Contains(t, cookie, "Max-Age=0")

	for _, to := range []string{"//evil.example/h5/x", "https://evil.example/h5/x", "/dev/",
		"/h5/../admin", `/h5\x`, "/h5/a\nb", ""} {
		res := e.get(dev.Prefix + "/open?to=" + url.QueryEscape(to))
		require.Equal(t, http.StatusBadRequest, res.code, fmt.Sprintf("to=%q", to))
	}
}
