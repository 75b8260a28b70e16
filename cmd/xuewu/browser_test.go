package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/browsertest"
)

// Deadlines of the journey: a reply comes within the callback's window,
// a notice within a few polls of the job workers (every second).
const (
	replyTimeout  = 15 * time.Second
	noticeTimeout = 30 * time.Second
)

// phone drives the simulator's page in a browser tab.
type phone struct {
	t    *testing.T
	tab  context.Context
	base string
	// logs are the server's.
	logs *output
}

// do runs browser actions and fails the test on an error.
func (p *phone) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.tab, actions...))
}

// replies counts the official account's messages in the chat.
func (p *phone) replies() int {
	p.t.Helper()
	n, err := chromedp.Run(p.tab, chromedp.Evaluate[int](
		`document.querySelectorAll('#chat .msg.theirs').length`))
	require.NoError(p.t, err)
	return n
}

// waitReply waits until the chat has more than after messages from the
// account and one of the new ones contains want.
func (p *phone) waitReply(after int, want string, timeout time.Duration) string {
	p.t.Helper()
	js := fmt.Sprintf(`(() => {
		const m = [...document.querySelectorAll('#chat .msg.theirs')].slice(%d);
		const hit = m.find(x => x.textContent.includes(%s));
		return hit ? hit.textContent : '';
	})()`, after, quoteJS(want))
	text, err := chromedp.Run(p.tab, chromedp.Poll[string](js,
		chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		p.explain()
	}
	require.NoError(p.t, err, "waiting for a reply with %q", want)
	return text
}

// explain logs what the phone shows and what the server logged, when a
// wait failed.
func (p *phone) explain() {
	p.t.Helper()
	chat, _ := chromedp.Run(p.tab, chromedp.Evaluate[string](
		`document.body.dataset.person + ': ' + document.getElementById('chat').innerText + `+
			`' / note: ' + document.getElementById('note').textContent`))
	p.t.Logf("the phone shows %s", chat)
	for line := range strings.Lines(p.logs.String()) {
		if !strings.Contains(line, `"level":"INFO"`) {
			p.t.Logf("server: %s", line)
		}
	}
}

// quoteJS writes s as a JavaScript string.
func quoteJS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// choose puts a person on the phone by their button in the list of
// everyone.
func (p *phone) choose(no string) {
	p.t.Helper()
	p.pick(`.people button.pick[value="`+no+`"]`, no)
}

// switchTo puts a person on the phone by their button among the people
// offered next (the student's approvers, the next approver, the student).
func (p *phone) switchTo(no string) {
	p.t.Helper()
	p.pick(`.contacts button.pick[value="`+no+`"]`, no)
}

func (p *phone) pick(button, no string) {
	p.t.Helper()
	p.do(
		chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitVisible(chromedp.CSS(`body[data-person="`+no+`"] #chat .msg`)),
	)
}

// bind binds the person on the phone with the demo data.
func (p *phone) bind(want string) {
	p.t.Helper()
	n := p.replies()
	p.do(chromedp.Click(chromedp.CSS(`#bind-example`)))
	p.waitReply(n, want, replyTimeout)
	p.do(chromedp.WaitVisible(chromedp.CSS(`#bound.yes`)))
}

// say sends text and waits for a reply that contains want.
func (p *phone) say(text, want string) string {
	p.t.Helper()
	n := p.replies()
	p.do(
		chromedp.SendKeys(chromedp.CSS(`#text`), text),
		chromedp.Click(chromedp.CSS(`#send`)),
	)
	return p.waitReply(n, want, replyTimeout)
}

// screenshot keeps what the tab shows as artifacts/name.
func (p *phone) screenshot(name string) []byte {
	p.t.Helper()
	png, err := chromedp.Run(p.tab, chromedp.CaptureScreenshot())
	require.NoError(p.t, err)
	require.True(p.t, bytes.HasPrefix(png, []byte("\x89PNG")))
	require.NoError(p.t, os.WriteFile(filepath.Join(browsertest.ArtifactsDir(p.t), name), png, 0o600))
	return png
}

// approveCard opens the newest card whose title contains title, in the
// new tab WeChat's browser would be, approves on the /h5 page and closes
// the tab. It returns the page's account of the decision.
func (p *phone) approveCard(title, comment, shot string) string {
	p.t.Helper()
	newTab := chromedp.WaitNewTarget(p.tab, func(info *target.Info) bool {
		return info.Type == "page"
	})
	sel := fmt.Sprintf(`[...document.querySelectorAll('#chat a.card')]`+
		`.filter(c => c.textContent.includes(%s)).pop().click()`, quoteJS(title))
	p.do(chromedp.Evaluate[chromedp.Void](sel))

	var id target.ID
	select {
	case id = <-newTab:
	case <-time.After(replyTimeout):
		p.t.Fatal("the card opened no page")
	}
	page, cancel := chromedp.NewContext(p.tab, chromedp.WithTargetID(id))
	defer cancel()
	require.NoError(p.t, chromedp.Do(page,
		chromedp.EmulateViewport(390, 844),
		chromedp.WaitVisible(chromedp.CSS(`#decide`)),
		chromedp.SendKeys(chromedp.CSS(`#comment`), comment),
	))
	form, err := chromedp.Run(page, chromedp.FullScreenshot(100))
	require.NoError(p.t, err)
	require.NoError(p.t, os.WriteFile(filepath.Join(browsertest.ArtifactsDir(p.t), shot), form, 0o600))
	require.NoError(p.t, chromedp.Do(page,
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#decided`)),
	))
	decided, err := chromedp.Run(page, chromedp.Text(chromedp.CSS(`#decided`)))
	require.NoError(p.t, err)
	return decided
}

// evidencePhoto writes a PNG, a photo of a hospital certificate as far as
// the test is concerned.
func evidencePhoto(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 80))
	for x := range 60 {
		for y := range 80 {
			img.Set(x, y, color.RGBA{R: uint8(200 + x%50), G: uint8(3 * y), B: 90, A: 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	path := filepath.Join(t.TempDir(), "证明.png")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	return path
}

// TestDemoJourneyInTheSimulator is the newcomer's journey on `xuewu serve`
// with nothing configured: in the simulator a student binds and files a
// deferral with a photo, the dean and then the office of the student's
// college bind and approve from their cards, and the student sees the
// outcome.
func TestDemoJourneyInTheSimulator(t *testing.T) {
	t.Parallel()
	addr, data := freeAddr(t), t.TempDir()
	base := "http://" + addr
	srv := startServe(t, map[string]string{"XUEWU_DATA": data, "HTTP_ADDR": addr,
		"PUBLIC_URL": base, "ADMIN_TOKEN": goodToken})
	require.Equal(t, base, srv.base)
	t.Logf("demo serve listened %s after start", srv.startup.Round(time.Millisecond))
	started := time.Now()

	p := &phone{t: t, tab: browsertest.NewTab(t, 3*time.Minute), base: base, logs: srv.stderr}
	p.do(
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/dev/"),
		chromedp.WaitVisible(chromedp.CSS(`button.pick[value="2023150101"]`)),
	)

	// The student binds and files a deferral, with a photo of evidence.
	p.choose("2023150101")
	p.waitReply(0, "欢迎使用学务助手", replyTimeout)
	p.bind("绑定成功！武杰 同学")
	p.say("缓考", "请选择申请原因")
	p.say("1", "课程代码或课程名称")
	p.say("材料力学", "联系电话")
	p.say("13904712233", "请核对缓考申请")
	submitted := p.say("确认", "已提交！申请编号：第 1 号")
	require.Contains(t, submitted, "范玉玉")
	n := p.replies()
	p.do(chromedp.SetUploadFiles(chromedp.CSS(`#photo`), []string{evidencePhoto(t)}))
	p.waitReply(n, "照片已作为证明材料附到第 1 号缓考申请上", replyTimeout)
	p.screenshot("sim-student-filed.png")

	// The dean of the student's college approves from the card.
	p.switchTo("T1579")
	p.bind("绑定成功！范玉玉 老师")
	p.waitReply(0, "待审批：武杰的缓考申请（第 1 号）", noticeTimeout)
	decided := p.approveCard("待审批：武杰", "同意缓考。", "sim-dean-approve.png")
	require.Contains(t, decided, "范玉玉")
	require.Contains(t, decided, "同意")

	// The college's teaching-service office gives the final approval.
	p.switchTo("T1586")
	p.bind("绑定成功！郑刚 老师")
	p.waitReply(0, "待审批：武杰的缓考申请（第 1 号）", noticeTimeout)
	decided = p.approveCard("待审批：武杰", "材料齐全，同意。", "sim-office-approve.png")
	require.Contains(t, decided, "郑刚")

	// Back on the student's phone: the outcome.
	p.switchTo("2023150101")
	outcome := p.waitReply(0, "申请已审批通过", noticeTimeout)
	require.Contains(t, outcome, "你的第 1 号缓考")
	require.Contains(t, outcome, "已通知任课教师")
	p.do(chromedp.Evaluate[chromedp.Void](
		`document.getElementById('chat').scrollTop = 1e6`))
	shot := p.screenshot("sim-journey.png")
	t.Logf("journey took %s in the browser", time.Since(started).Round(time.Millisecond))

	requireApproved(t, base)
	waitFor(t, "the evidence photo to be fetched", noticeTimeout, func() bool {
		files, _ := filepath.Glob(filepath.Join(data, "evidence", "1", "*.png"))
		return len(files) == 1
	})
	keepForREADME(t, shot)
}

// keepForREADME copies the journey's last screenshot to docs/simulator.png,
// which the README shows, when there is none yet or UPDATE_DOCS is set: a
// tracked file does not change on every run.
func keepForREADME(t *testing.T, shot []byte) {
	t.Helper()
	path := filepath.Join(browsertest.RepoRoot(t), "docs", "simulator.png")
	if _, err := os.Stat(path); err == nil && os.Getenv("UPDATE_DOCS") == "" {
		return
	}
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o750))
	require.NoError(t, os.WriteFile(path, shot, 0o600))
}

// requireApproved checks through the admin API that request 1 went
// through both steps.
func requireApproved(t *testing.T, base string) {
	t.Helper()
	code, body := httpGet(t, base+"/admin/api/requests", "Authorization", "Bearer "+goodToken)
	require.Equal(t, 200, code, body)
	var reqs []struct {
		Status string `json:"status"`
		Steps  []struct {
			Role, Status string
			DecidedBy    *string `json:"decided_by"`
		} `json:"steps"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &reqs))
	require.Len(t, reqs, 1)
	require.Equal(t, "approved", reqs[0].Status)
	require.Len(t, reqs[0].Steps, 2)
	for i, who := range []string{"T1579", "T1586"} {
		require.Equal(t, "approved", reqs[0].Steps[i].Status)
		require.Equal(t, who, *reqs[0].Steps[i].DecidedBy)
	}
}
