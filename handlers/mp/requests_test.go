package mp_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
)

// deferralBody is a deferral of 材料力学 for illness.
func deferralBody() map[string]any {
	return map[string]any{"kind": "deferral", "reason": "生病", "course_code": "150165",
		"course_name": "材料力学", "phones": []string{"13904712233"}}
}

// suspensionBody is a suspension for illness with three phones.
func suspensionBody() map[string]any {
	return map[string]any{"kind": "suspension", "reason": "因病",
		"phones":  []string{"13904712233", "13804712233", "0471-6576286"},
		"details": "住院治疗，需休养一年。"}
}

// path of a request under the API.
func path(id any) string {
	switch v := id.(type) {
	case float64:
		return "/api/mp/requests/" + strconv.FormatUint(uint64(v), 10)
	case uint64:
		return "/api/mp/requests/" + strconv.FormatUint(v, 10)
	}
	return "/api/mp/requests/" + id.(string)
}

func TestKinds(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.student("oStu1", "2023150101")

	a := e.call(http.MethodGet, "/api/mp/kinds", token, nil)

	require.Equal(t, http.StatusOK, a.Status)
	kinds := a.JSON(t)["kinds"].([]any)
	require.Len(t, kinds, len(models.Rules))
	byKind := map[string]map[string]any{}
	for i, k := range kinds {
		m := k.(map[string]any)
		require.Equal(t, string(models.Rules[i].Kind), m["kind"], "in the table's order")
		byKind[m["kind"].(string)] = m
	}

	def := byKind["deferral"]
	require.Equal(t, "缓考", def["label"])
	require.Equal(t, "exam", def["family"])
	require.Equal(t, true, def["needs_course"])
	require.EqualValues(t, 1, def["phones"])
	require.Equal(t, true, def["eligible"])
	ill := def["reasons"].([]any)[0].(map[string]any)
	require.Equal(t, "生病", ill["label"])
	require.Equal(t, []any{"二级乙等及以上医院或校医院证明"}, ill["evidence"])
	require.Equal(t, []any{
		map[string]any{"role": "dean", "label": "学院主管院长"},
		map[string]any{"role": "office", "label": "学院教学科研服务中心"},
	}, def["chain"])

	veteran := byKind["exemption"]["reasons"].([]any)[0].(map[string]any)
	require.Equal(t, []any{"体育", "军事训练", "军事理论"}, veteran["courses"])
	require.Equal(t, "95（优秀）", veteran["grade"])

	sus := byKind["suspension"]
	require.EqualValues(t, 3, sus["phones"])
	require.Equal(t, true, sus["details"])
	require.EqualValues(t, models.MaxDetails, sus["details_max"])
	require.Len(t, sus["chain"], 3)
	other := sus["reasons"].([]any)[3].(map[string]any)
	require.Equal(t, []any{}, other["evidence"], "an empty list, not null")

	require.Equal(t, false, byKind["resumption"]["eligible"])
	require.Contains(t, byKind["resumption"]["refusal"], "休学状态")
	require.Equal(t, false, byKind["prep_repeat"]["eligible"])
}

func TestCourses(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.student("oStu1", "2023150101")

	a := e.call(http.MethodGet, "/api/mp/courses", token, nil)

	require.Equal(t, http.StatusOK, a.Status)
	courses := a.JSON(t)["courses"].([]any)
	require.Len(t, courses, 5)
	require.Equal(t, map[string]any{"code": "000196", "name": "体育", "credits": 1.0},
		courses[0])
}

func TestSubmitDeferralAndSuspension(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.student("oStu1", "2023150101")

	a := e.call(http.MethodPost, "/api/mp/requests", token, deferralBody())
	require.Equal(t, http.StatusCreated, a.Status, string(a.Raw))
	filed := a.JSON(t)
	req := filed["request"].(map[string]any)
	id := req["id"].(float64)
	require.Equal(t, "2026-12-13T23:59:59+08:00", filed["deadline"])
	require.Equal(t, "学院主管院长（范玉玉老师）", filed["next_signer"])
	require.Equal(t, publicURL+"/h5/print/"+strconv.Itoa(int(id)), filed["print_url"])
	require.Equal(t, "deferral", req["kind"])
	require.Equal(t, "缓考", req["kind_label"])
	require.Equal(t, "pending", req["status"])
	require.Equal(t, "审批中", req["status_label"])
	require.Equal(t, "材料力学", req["course_name"])
	require.Equal(t, []any{"13904712233"}, req["phones"])
	require.Equal(t, []any{"二级乙等及以上医院或校医院证明"}, req["evidence"])
	require.Equal(t, true, req["editable"])
	require.Equal(t, map[string]any{"role": "dean", "label": "学院主管院长"}, req["current_step"])
	require.Len(t, req["steps"], 2)

	a = e.call(http.MethodPost, "/api/mp/requests", token, suspensionBody())
	require.Equal(t, http.StatusCreated, a.Status, string(a.Raw))
	sus := a.JSON(t)["request"].(map[string]any)
	require.Equal(t, "班主任（史帆老师）", a.JSON(t)["next_signer"])
	require.Equal(t, "住院治疗，需休养一年。", sus["details"])
	steps := sus["steps"].([]any)
	require.Len(t, steps, 3)
	require.Equal(t, map[string]any{"seq": 0.0, "role": "advisor", "role_label": "班主任",
		"status": "waiting", "status_label": "待审批", "decided_at": nil}, steps[0])

	a = e.call(http.MethodGet, "/api/mp/requests", token, nil)
	require.Equal(t, http.StatusOK, a.Status)
	list := a.JSON(t)["requests"].([]any)
	require.Len(t, list, 2)
	newest := list[0].(map[string]any)
	require.Equal(t, sus["id"], newest["id"], "newest first")
	require.Equal(t, "班主任", newest["current_step"].(map[string]any)["label"])
	require.Equal(t, "2026-12-13T23:59:59+08:00", newest["deadline"])
	require.NotContains(t, newest, "phones", "the list leaves personal details out")

	a = e.call(http.MethodGet, path(id), token, nil)
	require.Equal(t, http.StatusOK, a.Status)
	require.Equal(t, "deferral", a.JSON(t)["kind"])
}

func TestSubmitRefusalsStoreNothing(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.student("oStu1", "2023150101")
	with := func(edit func(map[string]any)) map[string]any {
		b := deferralBody()
		edit(b)
		return b
	}
	tests := []struct {
		name   string
		body   any
		status int
		want   string
	}{
		{"course not in plan", with(func(b map[string]any) {
			b["course_code"], b["course_name"] = "", "材料力学概论"
		}), http.StatusUnprocessableEntity, "不在你的培养方案中"},
		{"ineligible kind", map[string]any{"kind": "resumption", "reason": "病愈",
			"phones": []string{"13904712233", "13804712233", "0471-6576286"}},
			http.StatusUnprocessableEntity, "只有处于休学状态"},
		{"unknown kind", with(func(b map[string]any) { b["kind"] = "holiday" }),
			http.StatusUnprocessableEntity, "不支持的申请类型"},
		{"bad reason", with(func(b map[string]any) { b["reason"] = "想休息" }),
			http.StatusUnprocessableEntity, "不是缓考的申请原因"},
		{"bad phone", with(func(b map[string]any) { b["phones"] = []string{"12345"} }),
			http.StatusUnprocessableEntity, "不是有效的电话号码"},
		{"veteran, wrong course", with(func(b map[string]any) {
			b["kind"], b["reason"] = "exemption", "退役士兵"
		}), http.StatusUnprocessableEntity, "退役士兵只能申请免考"},
		{"NUL in details", map[string]any{"kind": "suspension", "reason": "因病",
			"phones":  []string{"13904712233", "13804712233", "0471-6576286"},
			"details": "a\u0000b"}, http.StatusBadRequest, "无法识别的字符"},
		{"malformed JSON", `{"kind": "deferral",`, http.StatusBadRequest, "JSON"},
		{"phones as a string", `{"kind":"deferral","phones":"13904712233"}`,
			http.StatusBadRequest, "JSON"},
		{"unknown field", with(func(b map[string]any) { b["phone"] = "13904712233" }),
			http.StatusBadRequest, "phone"},
		{"too large", `{"details":"` + strings.Repeat("长", 30000) + `"}`,
			http.StatusRequestEntityTooLarge, "过大"},
	}
	for _, tc := range tests {
		a := e.call(http.MethodPost, "/api/mp/requests", token, tc.body)
		require.Equal(t, tc.status, a.Status, tc.name+": "+string(a.Raw))
		require.Contains(t, a.Error(t), tc.want, tc.name)
	}

	a := e.call(http.MethodPost, "/api/mp/requests", token, with(func(b map[string]any) {
		b["course_code"], b["course_name"] = "", "材料力学概论"
	}))
	require.Equal(t, "150165", a.JSON(t)["courses"].([]any)[0].(map[string]any)["code"],
		"the closest course is offered")

	reqs, err := e.store.Requests(ctx, models.RequestFilter{StudentNo: "2023150101"})
	require.NoError(t, err)
	require.Empty(t, reqs)
}

func TestDuplicateRefused(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.student("oStu1", "2023150101")
	require.Equal(t, http.StatusCreated,
		e.call(http.MethodPost, "/api/mp/requests", token, deferralBody()).Status)

	a := e.call(http.MethodPost, "/api/mp/requests", token, deferralBody())

	require.Equal(t, http.StatusUnprocessableEntity, a.Status)
	require.Contains(t, a.Error(t), "请勿重复提交")
}

func TestAnotherStudentsRequest(t *testing.T) {
	t.Parallel()
	e := setup(t)
	mine := e.student("oStu1", "2023150101")
	theirs := e.student("oStu2", "2023150102")
	a := e.call(http.MethodPost, "/api/mp/requests", theirs, deferralBody())
	require.Equal(t, http.StatusCreated, a.Status)
	id := a.JSON(t)["request"].(map[string]any)["id"]

	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		var body any
		if method == http.MethodPut {
			body = deferralBody()
		}
		a := e.call(method, path(id), mine, body)
		require.Equal(t, http.StatusForbidden, a.Status, method)
		require.Contains(t, a.Error(t), "这不是你的申请", method)
	}
	for _, p := range []string{path(uint64(999999)), path("abc"), path("0")} {
		a := e.call(http.MethodGet, p, mine, nil)
		require.Equal(t, http.StatusNotFound, a.Status, p)
		require.Contains(t, a.Error(t), "没有找到这份申请")
	}

	a = e.call(http.MethodGet, "/api/mp/requests", mine, nil)
	require.Empty(t, a.JSON(t)["requests"])
	got := e.call(http.MethodGet, path(id), theirs, nil).JSON(t)
	require.Equal(t, "pending", got["status"], "unchanged")
	require.Equal(t, []any{"13904712233"}, got["phones"])
}

func TestEditAndDeleteUntilFirstDecision(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token := e.student("oStu1", "2023150101")
	a := e.call(http.MethodPost, "/api/mp/requests", token, suspensionBody())
	require.Equal(t, http.StatusCreated, a.Status)
	id := uint64(a.JSON(t)["request"].(map[string]any)["id"].(float64))

	edit := suspensionBody()
	delete(edit, "kind")
	edit["reason"] = "其他"
	a = e.call(http.MethodPut, path(id), token, edit)
	require.Equal(t, http.StatusOK, a.Status, string(a.Raw))
	require.Equal(t, "其他", a.JSON(t)["request"].(map[string]any)["reason"])

	edit["kind"] = "withdrawal"
	a = e.call(http.MethodPut, path(id), token, edit)
	require.Equal(t, http.StatusUnprocessableEntity, a.Status)
	require.Contains(t, a.Error(t), "不能修改申请类型")

	_, err := e.store.Decide(ctx, models.Decision{RequestID: id, StaffNo: "T1593",
		Action: models.ActionApprove})
	require.NoError(t, err)

	delete(edit, "kind")
	a = e.call(http.MethodPut, path(id), token, edit)
	require.Equal(t, http.StatusConflict, a.Status)
	require.Contains(t, a.Error(t), "已经开始审批")
	a = e.call(http.MethodDelete, path(id), token, nil)
	require.Equal(t, http.StatusConflict, a.Status)
	got := e.call(http.MethodGet, path(id), token, nil).JSON(t)
	require.Equal(t, "pending", got["status"])
	require.Equal(t, false, got["editable"])
	require.Equal(t, "其他", got["reason"])
	require.Equal(t, "史帆", got["steps"].([]any)[0].(map[string]any)["decider_name"])

	a = e.call(http.MethodPost, "/api/mp/requests", token, deferralBody())
	second := uint64(a.JSON(t)["request"].(map[string]any)["id"].(float64))
	a = e.call(http.MethodDelete, path(second), token, nil)
	require.Equal(t, http.StatusOK, a.Status)
	require.Equal(t, map[string]any{"id": float64(second), "status": "deleted"}, a.JSON(t))
	a = e.call(http.MethodDelete, path(second), token, nil)
	require.Equal(t, http.StatusConflict, a.Status, "deleted once")
	require.Len(t, e.call(http.MethodGet, "/api/mp/requests", token, nil).
		JSON(t)["requests"], 1, "a deleted request leaves the list")
}
