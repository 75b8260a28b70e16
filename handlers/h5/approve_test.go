package h5

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
)

// open follows the card's link as the approver would: through the WeChat
// login to the page.
func (u *user) open(id uint64) page {
	u.e.t.Helper()
	return u.get(approvePath(id))
}

func TestSuspensionGoesThroughEveryStepFromTheCards(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	path := approvePath(req.ID)

	approvers := []struct{ no, name, role string }{
		{"T1593", "史帆", "班主任"},
		{"T1579", "范玉玉", "学院主管院长"},
		{"T1558", "侯燕", "教务处学籍管理科"},
	}
	for i, a := range approvers {
		u := e.as(openID(a.no))
		exchanges := e.wx.exchangeCount()
		p := u.open(req.ID)
		require.Equal(t, http.StatusOK, p.status, p.body)
		require.Equal(t, path, p.url.Path)
		require.Equal(t, []int{http.StatusFound, http.StatusFound, http.StatusFound}, u.hops,
			"card → WeChat → callback → page")
		require.Equal(t, exchanges+1, e.wx.exchangeCount())
		require.True(t, hasButtons(p.body), "%s sees no buttons", a.no)
		require.Contains(t, p.body, "我的审批（"+a.role+"）")
		require.Contains(t, p.body, "武杰（2023150101）")
		require.Contains(t, p.body, "二级乙等以上医院出具的诊断证明")

		p = u.post(path, with(formOf(t, p), "decision", "approve", "comment", "同意"+a.name))
		require.Equal(t, []int{http.StatusSeeOther}, u.hops)
		require.Equal(t, http.StatusOK, p.status, p.body)
		require.Equal(t, path, p.url.Path)
		require.False(t, hasButtons(p.body))
		require.Contains(t, p.body, "已由"+a.name+"于2026年12月3日 10:00处理：同意")
		require.Contains(t, p.body, "意见：同意"+a.name)

		got := e.request(req.ID)
		require.Equal(t, models.StepApproved, got.Steps[i].Status)
		require.Equal(t, a.no, got.Steps[i].DecidedBy)
	}

	got := e.request(req.ID)
	require.Equal(t, models.RequestApproved, got.Status)
	st, err := e.store.StudentByNo(ctx, "2023150101")
	require.NoError(t, err)
	require.Equal(t, models.StatusSuspended, st.Status)
}

func TestOutsidersAreRefused(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	before := e.eventCount(req.ID)

	for _, tc := range []struct {
		name, openID, want string
	}{
		{"an unbound WeChat account", "o-stranger", "回复“绑定”"},
		{"a classmate", openID("2023150102"), "你无权查看这份申请"},
		{"a student of another class", openID("2024150101"), "你无权查看这份申请"},
		{"the dean of another college", openID("T1662"), "你无权查看这份申请"},
		{"an advisor of another class", openID("T1599"), "你无权查看这份申请"},
	} {
		u := e.as(tc.openID)
		p := u.open(req.ID)
		require.Equal(t, http.StatusForbidden, p.status, tc.name)
		require.Contains(t, p.body, tc.want, tc.name)
		require.False(t, hasButtons(p.body), tc.name)

		// Even with a token made for their own session, a POST changes nothing.
		session := sessionCookieOf(t, u, e)
		form := url.Values{"csrf": {e.pages.csrfToken(session, approveScope(req.ID))},
			"step": {formatID(req.Steps[0].ID)}, "decision": {"approve"}}
		p = u.post(approvePath(req.ID), form)
		require.Equal(t, http.StatusForbidden, p.status, tc.name)
	}

	got := e.request(req.ID)
	require.Equal(t, models.StepWaiting, got.Steps[0].Status)
	require.Equal(t, before, e.eventCount(req.ID))
}

func TestThoseWhoMaySeeARequestSeeItReadOnly(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))

	for _, tc := range []struct{ name, openID string }{
		{"the student", openID("2023150101")},
		{"the dean of a later step", openID("T1579")},
		{"the registrar, an admin", openID("T1558")},
	} {
		p := e.as(tc.openID).open(req.ID)
		require.Equal(t, http.StatusOK, p.status, tc.name)
		require.False(t, hasButtons(p.body), tc.name)
		require.Contains(t, p.body, "当前等待：班主任审批", tc.name)
		require.Contains(t, p.body, "13904712233", tc.name)
	}
}

func TestPostsWithoutTheRightTokenChangeNothing(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	other := e.submit("2023150102", statusDraft(models.KindWithdrawal, "个人原因"))
	u := e.as(openID("T1593"))
	form := formOf(t, u.open(req.ID))
	otherForm := formOf(t, u.open(other.ID))
	before := e.eventCount(req.ID)

	for _, tc := range []struct {
		name   string
		form   url.Values
		origin string
	}{
		{"no token", with(form, "csrf", ""), e.app.URL},
		{"a wrong token", with(form, "csrf", "AAAA"), e.app.URL},
		{"the token of another request", with(form, "csrf", otherForm.Get("csrf")), e.app.URL},
		{"another site's origin", form, "https://evil.example"},
	} {
		p := u.postFrom(approvePath(req.ID), tc.origin, with(tc.form, "decision", "approve"))
		require.Equal(t, http.StatusForbidden, p.status, tc.name)
		require.Contains(t, p.body, "页面已过期或来源不明", tc.name)
	}
	require.Equal(t, models.StepWaiting, e.request(req.ID).Steps[0].Status)
	require.Equal(t, before, e.eventCount(req.ID))

	p := u.post(approvePath(req.ID), with(form, "decision", "approve"))
	require.Equal(t, []int{http.StatusSeeOther}, u.hops)
	require.Equal(t, http.StatusOK, p.status)
	require.Equal(t, models.StepApproved, e.request(req.ID).Steps[0].Status)
}

func TestAPostWithoutASessionIsRefusedNotRedirected(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	u := e.as(openID("T1593"))

	p := u.post(approvePath(req.ID), url.Values{"decision": {"approve"}})
	require.Equal(t, http.StatusUnauthorized, p.status)
	require.Contains(t, p.body, "登录已过期")
	require.Empty(t, u.hops)
	require.Equal(t, models.StepWaiting, e.request(req.ID).Steps[0].Status)
}

func TestAStepDecidedMeanwhileIsNotDecidedAgain(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.addStaff("T1580", "王立新", "15", "dean")
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	e.decideDirect(req.ID, "T1593", models.ActionApprove, "")

	first, second := e.as(openID("T1579")), e.as(openID("T1580"))
	firstForm := formOf(t, first.open(req.ID))
	secondForm := formOf(t, second.open(req.ID))
	e.clock.Add(5 * 60e9)

	p := second.post(approvePath(req.ID), with(secondForm, "decision", "approve"))
	require.Equal(t, http.StatusOK, p.status)
	before := e.eventCount(req.ID)

	p = first.post(approvePath(req.ID), with(firstForm, "decision", "reject", "comment", "材料不全"))
	require.Equal(t, http.StatusConflict, p.status)
	require.Contains(t, p.body, "该步骤已被他人处理：王立新于2026年12月3日 10:05同意")
	require.False(t, hasButtons(p.body))
	require.Equal(t, before, e.eventCount(req.ID))
	got := e.request(req.ID)
	require.Equal(t, models.RequestPending, got.Status)
	require.Equal(t, "T1580", got.Steps[1].DecidedBy)

	// The same approver sending the form twice is told it was done.
	p = second.post(approvePath(req.ID), with(secondForm, "decision", "approve"))
	require.Equal(t, http.StatusConflict, p.status)
	require.Contains(t, p.body, "你已于2026年12月3日 10:05同意该步骤")

	// The first step's card, opened late, says who decided and offers nothing.
	p = e.as(openID("T1593")).open(req.ID)
	require.False(t, hasButtons(p.body))
	require.Contains(t, p.body, "你负责的“班主任”审批已由史帆于2026年12月3日 10:00处理：同意")
}

func TestReturnAndRejectNeedAComment(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	u := e.as(openID("T1593"))
	form := formOf(t, u.open(req.ID))

	for _, decision := range []string{"return", "reject"} {
		p := u.post(approvePath(req.ID), with(form, "decision", decision, "comment", "  "))
		require.Equal(t, http.StatusUnprocessableEntity, p.status)
		require.Contains(t, p.body, "驳回或退回修改时请填写理由。")
		require.True(t, hasButtons(p.body), "the form stays for a second try")
	}
	p := u.post(approvePath(req.ID), with(form, "decision", "maybe", "comment", "<b>x</b>"))
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "无法识别的审批操作")
	require.Contains(t, p.body, "&lt;b&gt;x&lt;/b&gt;", "what was typed is kept, escaped")
	require.NotContains(t, p.body, "<b>x</b>")
	require.Equal(t, models.RequestPending, e.request(req.ID).Status)

	p = u.post(approvePath(req.ID), with(form, "decision", "return", "comment", "请补充诊断证明"))
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "退回修改")
	require.Contains(t, p.body, "意见：请补充诊断证明")
	got := e.request(req.ID)
	require.Equal(t, models.RequestReturned, got.Status)
	require.Equal(t, models.StepReturned, got.Steps[0].Status)

	// Back after the student's correction, at the same step; then rejected.
	_, err := e.store.Edit(ctx, "2023150101", req.ID, statusDraft(models.KindSuspension, "因病"))
	require.NoError(t, err)
	p = u.open(req.ID)
	require.True(t, hasButtons(p.body))
	p = u.post(approvePath(req.ID), with(formOf(t, p), "decision", "reject", "comment", "不符合条件"))
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "未通过")
	require.Equal(t, models.RequestRejected, e.request(req.ID).Status)
}

func TestDemotionFinalStepMovesTheStudentToTheChosenClass(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindDemotion, "未过课程过多降级"))
	e.decideDirect(req.ID, "T1593", models.ActionApprove, "")
	e.decideDirect(req.ID, "T1579", models.ActionApprove, "")

	u := e.as(openID("T1558"))
	p := u.open(req.ID)
	require.Contains(t, p.body, `<select id="target_class" name="target_class">`)
	require.Contains(t, p.body, `<option value="152401">机械设计制造及其自动化24-1班（152401）</option>`)
	require.Contains(t, p.body, `<optgroup label="预科教育学院">`)
	require.NotContains(t, p.body, `value="152301"`, "the student's own class is no choice")
	form := formOf(t, p)

	for _, target := range []string{"", "152301", "999999"} {
		p = u.post(approvePath(req.ID), with(form, "decision", "approve", "target_class", target))
		require.Equal(t, http.StatusUnprocessableEntity, p.status, target)
		require.Contains(t, p.body, `id="error"`)
		require.Equal(t, models.RequestPending, e.request(req.ID).Status)
	}

	p = u.post(approvePath(req.ID), with(form, "decision", "approve", "target_class", "152401"))
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "机械设计制造及其自动化24-1班（152401）")
	require.Equal(t, models.RequestApproved, e.request(req.ID).Status)
	st, err := e.store.StudentByNo(ctx, "2023150101")
	require.NoError(t, err)
	require.Equal(t, "152401", st.ClassCode)
}

func TestApprovalPageShowsTheHistoryInChinese(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "入伍"))
	e.decideDirect(req.ID, "T1593", models.ActionReturn, "请补充入伍通知书")

	p := e.as(openID("2023150101")).open(req.ID)
	require.Equal(t, http.StatusOK, p.status)
	for _, want := range []string{
		"学生 武杰（2023150101）：提交申请",
		"史帆（T1593）：退回修改（请补充入伍通知书）",
		"《入伍通知书》复印件",
		"大学生预征对象登记表",
		"还剩 10 天",
		"2026年12月13日 23:59",
		"机械工程学院",
		`href="/h5/print/` + formatID(req.ID) + `"`,
	} {
		require.Contains(t, p.body, want)
	}
	require.False(t, hasButtons(p.body))
}

func TestUnknownRequestsAreNotFound(t *testing.T) {
	t.Parallel()
	e := setup(t)
	u := e.as(openID("T1593"))
	for _, path := range []string{"/h5/approve/999", "/h5/approve/abc", "/h5/approve/0"} {
		p := u.get(path)
		require.Equal(t, http.StatusNotFound, p.status, path)
		require.True(t, strings.Contains(p.body, "没有找到这份申请"), path)
	}
}
