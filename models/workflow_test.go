package models_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
)

func TestChainOfEveryKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		student string
		draft   models.Draft
		target  string
		// approvers holds the one staff member who may decide each step,
		// and others someone of the same role who may not.
		approvers []string
		others    []string
		roles     []models.Role
	}{
		{"deferral goes to the student's dean then office", "2023150101", deferral("150165"), "",
			[]string{"T1579", "T1586"}, []string{"T1554", "T1556"},
			[]models.Role{models.RoleDean, models.RoleOffice}},
		{"exemption goes to the course college", "2023150101",
			models.Draft{Kind: models.KindExemption, Reason: "退役士兵", CourseCode: "000196",
				Phones: []string{"13904712233"}}, "",
			[]string{"T1662", "T1671"}, []string{"T1579", "T1586"},
			[]models.Role{models.RoleDean, models.RoleOffice}},
		{"suspension needs advisor, dean and registrar", "2023150101",
			statusDraft(models.KindSuspension, "因病"), "",
			[]string{"T1593", "T1579", "T1558"}, []string{"T1599", "T1554", "T1586"},
			[]models.Role{models.RoleAdvisor, models.RoleDean, models.RoleRegistrar}},
		{"resumption skips the advisor", "2023150104",
			statusDraft(models.KindResumption, "病愈"), "",
			[]string{"T1579", "T1558"}, []string{"T1554", "T1593"},
			[]models.Role{models.RoleDean, models.RoleRegistrar}},
		{"withdrawal", "2023150101", statusDraft(models.KindWithdrawal, "个人原因"), "",
			[]string{"T1593", "T1579", "T1558"}, []string{"T1574", "T1662", "T1579"},
			[]models.Role{models.RoleAdvisor, models.RoleDean, models.RoleRegistrar}},
		{"demotion ends with the registrar's class", "2023150101",
			statusDraft(models.KindDemotion, "未过课程过多降级"), "152401",
			[]string{"T1593", "T1579", "T1558"}, []string{"T1599", "T1554", "T1579"},
			[]models.Role{models.RoleAdvisor, models.RoleDean, models.RoleRegistrar}},
		{"preparatory repeat", "2025140101", statusDraft(models.KindPrepRepeat, "预科未达结业要求"), "",
			[]string{"T1574", "T1554", "T1558"}, []string{"T1593", "T1579", "T1554"},
			[]models.Role{models.RoleAdvisor, models.RoleDean, models.RoleRegistrar}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := setup(t)
			req := submit(t, s, tc.student, tc.draft)
			require.Equal(t, models.RequestPending, req.Status)
			require.Len(t, req.Steps, len(tc.roles))

			for i, staff := range tc.approvers {
				cur := req.Current()
				require.NotNil(t, cur)
				require.Equal(t, i, cur.Seq)
				require.Equal(t, tc.roles[i], cur.Role)

				approvers, err := s.Approvers(ctx, cur)
				require.NoError(t, err)
				require.Contains(t, staffNos(approvers), staff)
				require.NotContains(t, staffNos(approvers), tc.others[i])

				_, err = s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: tc.others[i],
					Action: models.ActionApprove})
				requireRefused(t, err, models.ErrNotApprover, models.RoleLabel(tc.roles[i]))

				req, err = s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: staff,
					Action: models.ActionApprove, TargetClass: tc.target})
				require.NoError(t, err)
				require.Equal(t, models.StepApproved, req.Steps[i].Status)
				require.Equal(t, staff, req.Steps[i].DecidedBy)
			}
			require.Equal(t, models.RequestApproved, req.Status)
			require.Nil(t, req.Current())

			_, err := s.Decide(ctx, models.Decision{RequestID: req.ID,
				StaffNo: tc.approvers[len(tc.approvers)-1], Action: models.ActionApprove})
			requireRefused(t, err, models.ErrNotPending, "已通过")
		})
	}
}

func staffNos(st []models.Staff) []string {
	out := make([]string, len(st))
	for i := range st {
		out[i] = st[i].No
	}
	return out
}

func TestFinalApprovalEffects(t *testing.T) {
	t.Parallel()

	t.Run("suspension for enlistment lasts two years", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		req := submit(t, s, "2023150101", statusDraft(models.KindSuspension, "入伍"))
		for _, staff := range []string{"T1593", "T1579", "T1558"} {
			decide(t, s, req.ID, staff, models.ActionApprove, "")
		}
		st, err := s.StudentByNo(ctx, "2023150101")
		require.NoError(t, err)
		require.Equal(t, models.StatusSuspended, st.Status)
		require.NotNil(t, st.SuspendedUntil)
		require.Equal(t, "2028-12-03", models.ChinaTime(*st.SuspendedUntil).Format(time.DateOnly))
		require.Equal(t, 4, st.SuspendStudyYear)
	})

	t.Run("resumption returns the student to 在读", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		req := submit(t, s, "2023150104", statusDraft(models.KindResumption, "休学期满"))
		decide(t, s, req.ID, "T1579", models.ActionApprove, "")
		decide(t, s, req.ID, "T1558", models.ActionApprove, "同意")
		st, err := s.StudentByNo(ctx, "2023150104")
		require.NoError(t, err)
		require.Equal(t, models.StatusEnrolled, st.Status)
		require.Nil(t, st.SuspendedUntil)
	})

	t.Run("withdrawal after a year tells of the 肄业证书", func(t *testing.T) {
		t.Parallel()
		s, c := setup(t)
		req := submit(t, s, "2023150101", statusDraft(models.KindWithdrawal, "个人原因"))
		before, err := s.StudentByNo(ctx, "2023150101")
		require.NoError(t, err)
		for _, staff := range []string{"T1593", "T1579", "T1558"} {
			req = decide(t, s, req.ID, staff, models.ActionApprove, "")
		}
		after, err := s.StudentByNo(ctx, "2023150101")
		require.NoError(t, err)
		require.Equal(t, models.StatusWithdrawn, after.Status)
		require.Equal(t, "肄业证书", models.OutcomeOf(req, before, c.Now()).Certificate)

		young, err := s.StudentByNo(ctx, "2025140101")
		require.NoError(t, err)
		require.Equal(t, "学习证明", models.OutcomeOf(req, young, cst(2026, 8, 31, 12, 0)).Certificate)
	})

	t.Run("demotion moves the student to the chosen class", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		req := submit(t, s, "2023150101", statusDraft(models.KindDemotion, "未过课程过多降级"))
		decide(t, s, req.ID, "T1593", models.ActionApprove, "")
		decide(t, s, req.ID, "T1579", models.ActionApprove, "")

		_, err := s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1558",
			Action: models.ActionApprove})
		requireRefused(t, err, models.ErrInvalid, "降级后的班级")
		_, err = s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1558",
			Action: models.ActionApprove, TargetClass: "152301"})
		requireRefused(t, err, models.ErrInvalid, "152301")

		req, err = s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1558",
			Action: models.ActionApprove, TargetClass: "152401"})
		require.NoError(t, err)
		require.Equal(t, "152401", req.TargetClass)
		st, err := s.StudentByNo(ctx, "2023150101")
		require.NoError(t, err)
		require.Equal(t, "152401", st.ClassCode)
	})

	t.Run("preparatory repeat adds a year", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		req := submit(t, s, "2025140101", statusDraft(models.KindPrepRepeat, "预科未达结业要求"))
		for _, staff := range []string{"T1574", "T1554", "T1558"} {
			decide(t, s, req.ID, staff, models.ActionApprove, "")
		}
		st, err := s.StudentByNo(ctx, "2025140101")
		require.NoError(t, err)
		require.Equal(t, 1, st.PrepRepeats)
	})

	t.Run("exemption carries the grade to record", func(t *testing.T) {
		t.Parallel()
		s, c := setup(t)
		req := submit(t, s, "2023150101", models.Draft{Kind: models.KindExemption,
			Reason: "退役士兵", CourseCode: "000202", Phones: []string{"13904712233"}})
		decide(t, s, req.ID, "T1662", models.ActionApprove, "")
		req = decide(t, s, req.ID, "T1671", models.ActionApprove, "")
		st, err := s.StudentByNo(ctx, "2023150101")
		require.NoError(t, err)
		require.Equal(t, "95（优秀）", models.OutcomeOf(req, st, c.Now()).Grade)
	})
}

func TestEligibility(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		student string
		draft   models.Draft
		cause   error
		want    string
	}{
		{"withdrawn student files nothing", "2023150199", deferral("150165"),
			models.ErrIneligible, "退学"},
		{"resumption only when suspended", "2023150101",
			statusDraft(models.KindResumption, "病愈"), models.ErrIneligible, "休学"},
		{"no second suspension", "2023150104",
			statusDraft(models.KindSuspension, "因病"), models.ErrIneligible, "复学"},
		{"preparatory repeat only for 预科", "2023150101",
			statusDraft(models.KindPrepRepeat, "预科未达结业要求"), models.ErrIneligible, "预科"},
		{"veterans only for sport and military courses", "2023150101",
			models.Draft{Kind: models.KindExemption, Reason: "退役士兵", CourseCode: "150165",
				Phones: []string{"13904712233"}}, models.ErrIneligible, "材料力学"},
		{"course outside the plan", "2023150101", deferral("140152"),
			models.ErrInvalid, "不在你的培养方案"},
		{"course name must match its code", "2023150101",
			models.Draft{Kind: models.KindDeferral, Reason: "生病", CourseCode: "150165",
				CourseName: "高等数学", Phones: []string{"13904712233"}},
			models.ErrInvalid, "材料力学"},
		{"unknown reason", "2023150101",
			models.Draft{Kind: models.KindDeferral, Reason: "睡过头", CourseCode: "150165",
				Phones: []string{"13904712233"}}, models.ErrInvalid, "生病"},
		{"bad phone", "2023150101",
			models.Draft{Kind: models.KindDeferral, Reason: "生病", CourseCode: "150165",
				Phones: []string{"1390471"}}, models.ErrInvalid, "1390471"},
		{"three phones for a status change", "2023150101",
			models.Draft{Kind: models.KindWithdrawal, Reason: "个人原因",
				Phones: []string{"13904712233"}}, models.ErrInvalid, "3 个"},
		{"three distinct phones", "2023150101",
			models.Draft{Kind: models.KindWithdrawal, Reason: "个人原因",
				Phones: []string{"13904712233", "139 0471 2233", "0471-6576286"}},
			models.ErrInvalid, "不能重复"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := setup(t)
			_, err := s.Submit(ctx, tc.student, tc.draft)
			requireRefused(t, err, tc.cause, tc.want)

			got, err := s.Requests(ctx, models.RequestFilter{})
			require.NoError(t, err)
			require.Empty(t, got, "a refused submission stores nothing")
		})
	}
}

func TestCourseSuggestions(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	_, err := s.Submit(ctx, "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseName: "电路原理", Phones: []string{"13904712233"}})
	var r *models.Refusal
	require.ErrorAs(t, err, &r)
	require.NotEmpty(t, r.Courses)
	require.Equal(t, "150169", r.Courses[0].Code)

	req := submit(t, s, "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseName: "电路原理(一)", Phones: []string{"１３９０４７１２２３３"}})
	require.Equal(t, "150169", req.CourseCode)
	require.Equal(t, "13904712233", req.Phones)
}

func TestOneOpenRequestPerKindAndCourse(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	first := submit(t, s, "2023150101", deferral("150165"))

	_, err := s.Submit(ctx, "2023150101", deferral("150165"))
	requireRefused(t, err, models.ErrDuplicate, "材料力学")
	require.ErrorIs(t, s.CheckEligible(ctx, "2023150101", models.KindDeferral), nil)

	submit(t, s, "2023150101", deferral("150169"))

	submit(t, s, "2023150101", statusDraft(models.KindWithdrawal, "个人原因"))
	err = s.CheckEligible(ctx, "2023150101", models.KindWithdrawal)
	requireRefused(t, err, models.ErrDuplicate, "退学")

	require.NoError(t, s.Delete(ctx, "2023150101", first.ID))
	submit(t, s, "2023150101", deferral("150165"))
}

func TestConcurrentSubmissionsLeaveOne(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := s.Submit(ctx, "2023150101", deferral("150165"))
			errs <- err
		}()
	}
	ok := 0
	for range 8 {
		if err := <-errs; err == nil {
			ok++
		} else {
			require.ErrorIs(t, err, models.ErrDuplicate)
		}
	}
	require.Equal(t, 1, ok)
}

func TestEditAndDelete(t *testing.T) {
	t.Parallel()

	t.Run("open before the first decision", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		req := submit(t, s, "2023150101", deferral("150165"))
		d := deferral("150169")
		d.Reason = "事假-参赛"
		edited, err := s.Edit(ctx, "2023150101", req.ID, d)
		require.NoError(t, err)
		require.Equal(t, "150169", edited.CourseCode)
		require.Equal(t, "事假-参赛", edited.Reason)
		require.Equal(t, req.Deadline.Unix(), edited.Deadline.Unix())

		require.NoError(t, s.Delete(ctx, "2023150101", req.ID))
		got, err := s.RequestByID(ctx, req.ID)
		require.NoError(t, err)
		require.Equal(t, models.RequestDeleted, got.Status)
	})

	t.Run("only the owner", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		req := submit(t, s, "2023150101", deferral("150165"))
		_, err := s.Edit(ctx, "2023150102", req.ID, deferral("150169"))
		requireRefused(t, err, models.ErrNotOwner, "不是你的申请")
		requireRefused(t, s.Delete(ctx, "2023150102", req.ID), models.ErrNotOwner, "不是你的申请")
	})

	t.Run("locked after the first decision", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		req := submit(t, s, "2023150101", deferral("150165"))
		decide(t, s, req.ID, "T1579", models.ActionApprove, "")

		_, err := s.Edit(ctx, "2023150101", req.ID, deferral("150169"))
		requireRefused(t, err, models.ErrLocked, "已经开始审批")
		requireRefused(t, s.Delete(ctx, "2023150101", req.ID), models.ErrLocked, "已经开始审批")
		got, err := s.RequestByID(ctx, req.ID)
		require.NoError(t, err)
		require.Equal(t, "150165", got.CourseCode)
		require.Equal(t, models.RequestPending, got.Status)
	})

	t.Run("an edit that breaks a rule changes nothing", func(t *testing.T) {
		t.Parallel()
		s, _ := setup(t)
		req := submit(t, s, "2023150101", deferral("150165"))
		_, err := s.Edit(ctx, "2023150101", req.ID, deferral("140152"))
		requireRefused(t, err, models.ErrInvalid, "培养方案")
		got, err := s.RequestByID(ctx, req.ID)
		require.NoError(t, err)
		require.Equal(t, "150165", got.CourseCode)
	})
}

func TestReturnReopensAndResumesAtTheSameStep(t *testing.T) {
	t.Parallel()
	s, c := setup(t)
	req := submit(t, s, "2023150101", statusDraft(models.KindSuspension, "因病"))
	decide(t, s, req.ID, "T1593", models.ActionApprove, "")

	_, err := s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1579",
		Action: models.ActionReturn})
	requireRefused(t, err, models.ErrInvalid, "理由")

	c.Set(c.Now().Add(2 * 24 * time.Hour))
	req = decide(t, s, req.ID, "T1579", models.ActionReturn, "请补充诊断证明")
	require.Equal(t, models.RequestReturned, req.Status)

	_, err = s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1579",
		Action: models.ActionApprove})
	requireRefused(t, err, models.ErrNotPending, "退回修改")

	d := statusDraft(models.KindSuspension, "因病")
	d.Details = "已补充诊断证明"
	edited, err := s.Edit(ctx, "2023150101", req.ID, d)
	require.NoError(t, err)
	require.Equal(t, models.RequestPending, edited.Status)
	require.Equal(t, "已补充诊断证明", edited.Details)
	require.Equal(t, req.Deadline.Unix(), edited.Deadline.Unix(), "the clock keeps running")

	cur := edited.Current()
	require.NotNil(t, cur)
	require.Equal(t, 1, cur.Seq)
	require.Equal(t, models.RoleDean, cur.Role)

	_, err = s.Edit(ctx, "2023150101", req.ID, d)
	requireRefused(t, err, models.ErrLocked, "已经开始审批")

	decide(t, s, req.ID, "T1579", models.ActionApprove, "")
	final := decide(t, s, req.ID, "T1558", models.ActionApprove, "")
	require.Equal(t, models.RequestApproved, final.Status)

	var statuses []models.StepStatus
	for _, st := range final.Steps {
		statuses = append(statuses, st.Status)
	}
	require.Equal(t, []models.StepStatus{models.StepApproved, models.StepReturned,
		models.StepApproved, models.StepApproved}, statuses)
	require.Equal(t, "请补充诊断证明", final.Steps[1].Comment)

	evs, err := s.Events(ctx, req.ID)
	require.NoError(t, err)
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	require.Equal(t, []string{"submit", "approve", "return", "resubmit", "approve", "approve"},
		actions)
}

func TestRejectEndsTheRequest(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	req := submit(t, s, "2023150101", deferral("150165"))
	req = decide(t, s, req.ID, "T1579", models.ActionReject, "证明材料不全")
	require.Equal(t, models.RequestRejected, req.Status)
	require.NotNil(t, req.ClosedAt)

	_, err := s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: "T1586",
		Action: models.ActionApprove})
	requireRefused(t, err, models.ErrNotPending, "未通过")

	// A rejected request no longer blocks a new one of the same course.
	submit(t, s, "2023150101", deferral("150165"))
}

func TestDeadlineInChinaTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		submitted time.Time
		want      string
	}{
		{"across a month end", cst(2026, 1, 25, 9, 30), "2026-02-04T23:59:59+08:00"},
		{"late at night China time is already the next day in UTC",
			time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC), "2026-04-11T23:59:59+08:00"},
		{"February of a common year", cst(2027, 2, 20, 0, 0), "2027-03-02T23:59:59+08:00"},
		{"across the year end", cst(2026, 12, 25, 23, 59), "2027-01-04T23:59:59+08:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, models.Deadline(tc.submitted).Format(time.RFC3339))
		})
	}

	s, c := setup(t)
	c.Set(time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)) // 12-01 00:30 China time
	req := submit(t, s, "2023150101", deferral("150165"))
	require.Equal(t, "2026-12-11T23:59:59+08:00", models.ChinaTime(req.Deadline).Format(time.RFC3339))
}

func TestTwoApproversRaceOneWins(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	// T1558 is the registrar; a second registrar races for the same step.
	require.NoError(t, s.DB().Create(&models.Staff{No: "T9001", Name: "王registrar",
		CollegeCode: "15", Roles: "registrar", ActivationHash: "x"}).Error)

	for round := range 5 {
		req := submit(t, s, "2023150101", statusDraft(models.KindWithdrawal, "个人原因"))
		decide(t, s, req.ID, "T1593", models.ActionApprove, "")
		decide(t, s, req.ID, "T1579", models.ActionApprove, "")

		start := make(chan struct{})
		results := make(chan error, 2)
		for _, who := range []string{"T1558", "T9001"} {
			action := models.ActionApprove
			if who == "T9001" {
				action = models.ActionReject
			}
			go func() {
				<-start
				_, err := s.Decide(ctx, models.Decision{RequestID: req.ID, StaffNo: who,
					Action: action, Comment: "并发"})
				results <- err
			}()
		}
		close(start)
		var wins int
		for range 2 {
			err := <-results
			if err == nil {
				wins++
				continue
			}
			require.True(t, isAny(err, models.ErrConflict, models.ErrNotPending),
				"round %d: loser got %v", round, err)
		}
		require.Equal(t, 1, wins, "round %d", round)

		got, err := s.RequestByID(ctx, req.ID)
		require.NoError(t, err)
		decided := 0
		for _, st := range got.Steps {
			if st.Seq == 2 && st.Status != models.StepWaiting {
				decided++
			}
		}
		require.Equal(t, 1, decided, "exactly one decision on the last step")
		evs, err := s.Events(ctx, req.ID)
		require.NoError(t, err)
		require.Len(t, evs, 4, "submit, two approvals and one final decision")

		// Leave the student enrolled for the next round.
		require.NoError(t, s.DB().Model(&models.Student{}).Where("no = ?", "2023150101").
			Update("status", models.StatusEnrolled).Error)
	}
}

func isAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errorsIs(err, t) {
			return true
		}
	}
	return false
}
