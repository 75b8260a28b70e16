package h5

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
)

var checkbox = regexp.MustCompile(`name="ids" value="(\d+)"`)

// checked returns the IDs the pending list offers for bulk approval.
func checked(body string) []string {
	var out []string
	for _, m := range checkbox.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestPendingListShowsWhatWaitsForTheStaffMember(t *testing.T) {
	t.Parallel()
	e := setup(t)
	susp := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	wd := e.submit("2023150102", statusDraft(models.KindWithdrawal, "个人原因"))
	def := e.submit("2024150101", deferral("150165"))
	other := e.submit("2025140101", statusDraft(models.KindWithdrawal, "个人原因"))

	p := e.as(openID("T1593")).get("/h5/pending")
	require.Equal(t, http.StatusOK, p.status)
	require.Equal(t, []string{formatID(susp.ID), formatID(wd.ID)}, checked(p.body))
	require.Contains(t, p.body, "武杰（2023150101）")
	require.Contains(t, p.body, "机械设计制造及其自动化23-1班")
	require.Contains(t, p.body, "截止 2026年12月13日 23:59")
	require.NotContains(t, p.body, "/h5/approve/"+formatID(def.ID)+`"`)
	require.NotContains(t, p.body, "/h5/approve/"+formatID(other.ID)+`"`)

	p = e.as(openID("T1579")).get("/h5/pending")
	require.Equal(t, []string{formatID(def.ID)}, checked(p.body))
	require.Contains(t, p.body, "150165 材料力学")

	p = e.as(openID("T1662")).get("/h5/pending")
	require.Empty(t, checked(p.body))
	require.Contains(t, p.body, "暂无等待您审批的申请")

	p = e.as(openID("2023150101")).get("/h5/pending")
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "仅供审批老师使用")
}

func TestBulkApprovalApprovesTheCheckedRequests(t *testing.T) {
	t.Parallel()
	e := setup(t)
	susp := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	wd := e.submit("2023150102", statusDraft(models.KindWithdrawal, "个人原因"))
	def := e.submit("2024150101", deferral("150165"))
	u := e.as(openID("T1593"))
	list := u.get("/h5/pending")
	form := url.Values{"csrf": {csrfField.FindStringSubmatch(list.body)[1]}}
	for _, r := range []*models.Request{susp, wd} {
		form.Add("ids", formatID(r.ID))
		form.Set("step_"+formatID(r.ID), formatID(r.Steps[0].ID))
	}
	form.Add("ids", formatID(def.ID)) // not theirs
	form.Set("step_"+formatID(def.ID), formatID(def.Steps[0].ID))

	p := u.post("/h5/pending", with(form, "csrf", "forged"))
	require.Equal(t, http.StatusForbidden, p.status)
	require.Equal(t, models.StepWaiting, e.request(susp.ID).Steps[0].Status)

	p = u.post("/h5/pending", form)
	require.Equal(t, http.StatusOK, p.status)
	require.Equal(t, 2, strings.Count(p.body, `<span class="ok">已同意</span>`), p.body)
	require.Contains(t, p.body, "当前等待学院主管院长审批，你没有权限处理")
	for _, r := range []*models.Request{susp, wd} {
		got := e.request(r.ID)
		require.Equal(t, models.StepApproved, got.Steps[0].Status)
		require.Equal(t, "T1593", got.Steps[0].DecidedBy)
	}
	require.Equal(t, models.StepWaiting, e.request(def.ID).Steps[0].Status)

	// Sent again, the same form approves nothing more.
	p = u.post("/h5/pending", form)
	require.Zero(t, strings.Count(p.body, `<span class="ok">`))
	require.Contains(t, p.body, "你已于2026年12月3日 10:00同意该步骤")
	require.Equal(t, models.StepWaiting, e.request(susp.ID).Steps[1].Status)

	p = u.post("/h5/pending", url.Values{"csrf": form["csrf"]})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "请至少勾选一份申请")
}

func TestBulkApprovalLeavesADemotionsFinalStepToThePage(t *testing.T) {
	t.Parallel()
	e := setup(t)
	dem := e.submit("2023150101", statusDraft(models.KindDemotion, "未过课程过多降级"))
	e.decideDirect(dem.ID, "T1593", models.ActionApprove, "")
	e.decideDirect(dem.ID, "T1579", models.ActionApprove, "")
	wd := e.submit("2023150102", statusDraft(models.KindWithdrawal, "个人原因"))
	e.decideDirect(wd.ID, "T1593", models.ActionApprove, "")
	e.decideDirect(wd.ID, "T1579", models.ActionApprove, "")

	u := e.as(openID("T1558"))
	list := u.get("/h5/pending")
	require.Equal(t, []string{formatID(wd.ID)}, checked(list.body))
	require.Contains(t, list.body, "/h5/approve/"+formatID(dem.ID))
	require.Contains(t, list.body, "降级终审须选择班级")

	cur := e.request(dem.ID).Current()
	form := url.Values{"csrf": {csrfField.FindStringSubmatch(list.body)[1]},
		"ids": {formatID(dem.ID)}, "step_" + formatID(dem.ID): {formatID(cur.ID)}}
	p := u.post("/h5/pending", form)
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "降级申请终审需要选择降级后的班级")
	require.Equal(t, models.RequestPending, e.request(dem.ID).Status)
}
