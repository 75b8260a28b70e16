package h5

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/browsertest"
	"github.com/imut/xuewu/models"
)

// phoneWidth is the narrowest phone screen the pages are made for.
const phoneWidth = 360

func TestApprovalPageWorksInABrowser(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	dir := filepath.Join(e.dataDir, "evidence", formatID(req.ID))
	e.addPhoto("2023150101", filepath.Join(dir, "1.png"), models.EvidenceStored)
	e.addPhoto("2023150101", "", models.EvidencePending)
	tab := browsertest.NewTab(t, 90*time.Second)

	// WeChat knows the browser as the advisor; the card's link logs in.
	_, err := chromedp.Call(tab, network.SetCookie, network.SetCookieParams{
		Name: fakeUserCookie, Value: openID("T1593"), URL: e.wx.srv.URL})
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(tab,
		chromedp.EmulateViewport(phoneWidth, 780, chromedp.EmulateScale(2)),
		chromedp.Navigate(e.app.URL+approvePath(req.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#decide`)),
	))
	require.Equal(t, "rgb(0, 180, 42)", evaluate[string](tab, t,
		`getComputedStyle(document.querySelector('button.approve')).backgroundColor`),
		"the inline stylesheet passes the CSP")
	require.Equal(t, phoneWidth, evaluate[int](tab, t, `document.documentElement.scrollWidth`),
		"nothing is wider than the phone")
	require.Equal(t, 40, evaluate[int](tab, t, photoLoaded), "the evidence photo loads")
	require.NoError(t, chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`)))
	form, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	require.NoError(t, err)

	require.NoError(t, chromedp.Do(tab,
		chromedp.SendKeys(chromedp.CSS(`#comment`), "情况属实，同意休学。"),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#decided`)),
	))
	decided, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`#decided`)))
	require.NoError(t, err)
	require.Contains(t, decided, "已由史帆于2026年12月3日 10:00处理：同意")
	require.Contains(t, decided, "情况属实，同意休学。")
	require.Zero(t, evaluate[int](tab, t, `document.querySelectorAll('button').length`))
	done, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	require.NoError(t, err)

	got := e.request(req.ID)
	require.Equal(t, models.StepApproved, got.Steps[0].Status)
	require.Equal(t, "情况属实，同意休学。", got.Steps[0].Comment)

	require.True(t, bytes.HasPrefix(done, []byte("\x89PNG")), "a PNG screenshot")
	artifacts := browsertest.ArtifactsDir(t)
	require.NoError(t, os.WriteFile(filepath.Join(artifacts, "h5-approve-form.png"), form, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(artifacts, "h5-approve.png"), done, 0o600))
}

// photoLoaded scrolls to the first evidence photo (it loads lazily) and
// gives its width once it has loaded.
const photoLoaded = `new Promise((resolve, reject) => {
	const img = document.querySelector('.photos img');
	img.scrollIntoView();
	if (img.complete && img.naturalWidth) { resolve(img.naturalWidth); return; }
	img.addEventListener('load', () => resolve(img.naturalWidth));
	img.addEventListener('error', () => reject(new Error('photo failed to load')));
})`

// evaluate runs a script in the tab and returns its value.
func evaluate[T any](tab context.Context, t *testing.T, script string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](script, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	return v
}

func TestPrintPageWorksInABrowser(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", deferral("150165"))
	tab := browsertest.NewTab(t, 90*time.Second)
	_, err := chromedp.Call(tab, network.SetCookie, network.SetCookieParams{
		Name: fakeUserCookie, Value: openID("2023150101"), URL: e.wx.srv.URL})
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(tab,
		chromedp.EmulateViewport(phoneWidth, 780, chromedp.EmulateScale(2)),
		chromedp.Navigate(e.app.URL+"/h5/print/"+formatID(req.ID)),
		chromedp.WaitVisible(chromedp.CSS(`section.sheet`)),
	))
	text, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`body`)))
	require.NoError(t, err)
	for _, want := range []string{"武杰", "2023150101", "150165", "材料力学", "生病",
		"13904712233", "扫码核验申请状态", "教学科研服务中心留存", "任课教师留存"} {
		require.Contains(t, text, want)
	}
	require.Equal(t, 2, evaluate[int](tab, t, `document.querySelectorAll('section.sheet').length`),
		"the office's copy and the teacher's copy")
	require.Positive(t, evaluate[int](tab, t,
		`document.querySelector('img[src^="data:image/png"]').naturalWidth`), "the QR code shows")
	shot, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(shot, []byte("\x89PNG")))
	require.NoError(t, os.WriteFile(filepath.Join(browsertest.ArtifactsDir(t), "h5-print.png"), shot, 0o600))
}
