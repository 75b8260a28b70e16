package bot_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

func TestFilingEveryKind(t *testing.T) {
	t.Parallel()
	three := []string{"13904712233", "13804712233", "0471-6576286"}
	tests := []struct {
		kind    models.Kind
		student string
		answers []string
		want    models.Request
		signer  string
	}{
		{models.KindDeferral, "2023150101", []string{"缓考", "1", "材料力学", "13904712233"},
			models.Request{Reason: "生病", CourseCode: "150165", Phones: "13904712233"}, "范玉玉"},
		{models.KindExemption, "2023150101", []string{"免考", "退役士兵", "000196", "13904712233"},
			models.Request{Reason: "退役士兵", CourseCode: "000196", Phones: "13904712233"}, "戴英军"},
		{models.KindSuspension, "2023150101",
			append([]string{"休学", "2"}, append(three, "应征入伍")...),
			models.Request{Reason: "入伍", Phones: strings.Join(three, ","), Details: "应征入伍"},
			"史帆"},
		{models.KindResumption, "2023150104", append(append([]string{"复学", "4"}, three...), "无"),
			models.Request{Reason: "休学期满", Phones: strings.Join(three, ",")}, "范玉玉"},
		{models.KindWithdrawal, "2023150101",
			[]string{"退学", "个人原因", strings.Join(three, " "), "家庭原因"},
			models.Request{Reason: "个人原因", Phones: strings.Join(three, ","), Details: "家庭原因"},
			"史帆"},
		{models.KindDemotion, "2023150101", append(append([]string{"降级", "1"}, three...), "无"),
			models.Request{Reason: "未过课程过多降级", Phones: strings.Join(three, ",")}, "史帆"},
		{models.KindPrepRepeat, "2025140101",
			append(append([]string{"预科重读", "1"}, three...), "无"),
			models.Request{Reason: "预科未达结业要求", Phones: strings.Join(three, ",")}, "顾芳玲"},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			t.Parallel()
			for _, b := range backends {
				t.Run(b.name, func(t *testing.T) {
					t.Parallel()
					e := setup(t, b)
					e.bindStudent("o1", tc.student)
					var reply string
					for _, a := range tc.answers {
						reply = e.say("o1", a)
						require.NotContains(t, reply, "不是有效", "answer %q", a)
					}
					require.Contains(t, reply, "请核对")
					reply = e.say("o1", "确认")

					reqs := e.requests(tc.student)
					require.Len(t, reqs, 1)
					got := reqs[0]
					require.Equal(t, tc.kind, got.Kind)
					require.Equal(t, tc.want.Reason, got.Reason)
					require.Equal(t, tc.want.CourseCode, got.CourseCode)
					require.Equal(t, tc.want.Phones, got.Phones)
					require.Equal(t, tc.want.Details, got.Details)

					require.Contains(t, reply, fmt.Sprintf("第 %d 号", got.ID))
					deadline := models.ChinaTime(got.Deadline).Format("2006年1月2日 15:04")
					require.Contains(t, reply, deadline)
					require.Contains(t, reply, tc.signer)
					require.Contains(t, reply,
						fmt.Sprintf("https://xuewu.example.edu/h5/print/%d", got.ID))
				})
			}
		})
	}
}

func TestFreeSentenceFillsWhatItSays(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			reply := e.say("o1", "老师好，我生病了想申请缓考高等数学，电话13904712233")
			require.Contains(t, reply, "请核对", "nothing is missing, so the summary comes at once")
			require.Contains(t, reply, "生病")
			require.Contains(t, reply, "000208 高等数学")
			require.Contains(t, reply, "13904712233")
			require.Contains(t, e.say("o1", "确认"), "已提交")

			reply = e.say("o1", "我想休学，因为要去当兵")
			require.Contains(t, reply, "休学")
			require.Contains(t, reply, "第 1 个联系电话", "reason known, phones asked next")
		})
	}
}

func TestSummaryCorrectionBackAndCancel(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			e.say("o1", "缓考")
			e.say("o1", "1")
			require.Contains(t, e.say("o1", "上一步"), "请选择申请原因")
			e.say("o1", "事假-请假")
			e.say("o1", "150165")
			reply := e.say("o1", "13904712233")
			require.Contains(t, reply, "150165 材料力学")

			reply = e.say("o1", "修改 2")
			require.Contains(t, reply, "课程代码或课程名称")
			reply = e.say("o1", "电路原理（一）")
			require.Contains(t, reply, "150169 电路原理（一）")
			require.Contains(t, reply, "事假-请假", "other answers are kept")
			reply = e.say("o1", "修改 电话")
			require.Contains(t, reply, "联系电话")
			reply = e.say("o1", "0471-6576286")
			require.Contains(t, reply, "0471-6576286")

			require.Contains(t, e.say("o1", "取消"), "已取消")
			require.Empty(t, e.requests("2023150101"))
			require.Contains(t, e.say("o1", "确认"), "没有可以继续")
			require.Empty(t, e.requests("2023150101"))
		})
	}
}

func TestBadAnswersAreAskedAgain(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			e.say("o1", "缓考")
			require.Contains(t, e.say("o1", "7"), "不在选项中")
			e.say("o1", "１")
			reply := e.say("o1", "预科数学")
			require.Contains(t, reply, "培养方案中没有")
			reply = e.say("o1", "电路")
			require.Contains(t, reply, "1. 150169 电路原理（一）", "the nearest names are offered")
			reply = e.say("o1", "1")
			require.Contains(t, reply, "联系电话")
			reply = e.say("o1", "1390471")
			require.Contains(t, reply, "不是有效的电话号码")
			require.Contains(t, reply, "13904712233", "the example is given")
			reply = e.say("o1", "１３９ ０４７１ ２２３３")
			require.Contains(t, reply, "请核对")
			require.Contains(t, reply, "13904712233")
			require.Contains(t, reply, "150169 电路原理（一）")
		})
	}
}

func TestThreeDistinctPhones(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			e.say("o1", "退学")
			e.say("o1", "1")
			require.Contains(t, e.say("o1", "13904712233"), "第 2 个")
			reply := e.say("o1", "13904712233")
			require.Contains(t, reply, "不能重复")
			require.Contains(t, reply, "第 2 个")
			e.say("o1", "13804712233")
			require.Contains(t, e.say("o1", "(0471)6576286"), "详细情况")
		})
	}
}

func TestInterruptedDraftIsOffered(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			e.say("o1", "休学")
			e.say("o1", "因病")
			e.clock.Add(3 * time.Hour)
			reply := e.say("o1", "13904712233")
			require.Contains(t, reply, "未填完的休学申请")
			require.Contains(t, reply, "继续")
			reply = e.say("o1", "我的申请")
			require.Contains(t, reply, "还没有提交过申请")
			require.Contains(t, reply, "未填完的休学申请")
			reply = e.say("o1", "继续")
			require.Contains(t, reply, "第 1 个联系电话", "the answered reason is kept")
		})
	}
}

func TestRequestCommands(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			e.bindStudent("o2", "2023150102")
			e.say("o1", "我生病了，缓考材料力学，电话 13904712233")
			e.say("o1", "确认")
			id := e.requests("2023150101")[0].ID
			n := fmt.Sprint(id)

			reply := e.say("o1", "我的申请")
			require.Contains(t, reply, "第 "+n+" 号 缓考·材料力学：审批中，等待学院主管院长")
			require.Contains(t, e.say("o1", "打印 "+n), "/h5/print/"+n)
			require.Contains(t, e.say("o2", "删除 "+n), "不是你的申请")

			reply = e.say("o1", "修改 "+n)
			require.Contains(t, reply, "正在修改第 "+n+" 号申请")
			e.say("o1", "修改 1")
			e.say("o1", "事假-参赛")
			require.Contains(t, e.say("o1", "确认"), "已修改")
			require.Equal(t, "事假-参赛", e.requests("2023150101")[0].Reason)

			_, err := e.store.Decide(ctx, models.Decision{RequestID: id, StaffNo: "T1579",
				Action: models.ActionApprove})
			require.NoError(t, err)
			require.Contains(t, e.say("o1", "删除 "+n), "已经开始审批")
			require.Contains(t, e.say("o1", "修改 "+n), "已经开始审批")
			require.Equal(t, models.RequestPending, e.requests("2023150101")[0].Status)
			require.Contains(t, e.say("o1", "删除"), "没有听懂")
		})
	}
}

func TestEligibilityRefusedAtTheStart(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			require.Contains(t, e.say("o1", "复学"), "只有处于休学状态")
			require.Contains(t, e.say("o1", "预科重读"), "只适用于预科学生")
			e.say("o1", "退学")
			require.Contains(t, e.say("o1", "帮助"), "无需附加材料", "help at the reason lists evidence")
		})
	}
}

func TestResentMessageTakesEffectOnce(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			e.say("o1", "我生病了，缓考材料力学，电话 13904712233")
			m := bot.Message{OpenID: "o1", Type: bot.MsgText, Content: "确认", MsgID: 99001,
				CreateTime: e.clock.Now().Unix()}

			var wg sync.WaitGroup
			replies := make([]string, 3)
			for i := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					replies[i] = e.send(m)
				}()
			}
			wg.Wait()
			require.Len(t, e.requests("2023150101"), 1)
			for _, r := range replies {
				require.Contains(t, r, "已提交", "every copy gets the one reply")
			}
			require.Equal(t, replies[0], e.send(m))
		})
	}
}

func TestTwoMessagesOfOneAccountAreBothApplied(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			e.say("o1", "退学")
			e.say("o1", "1")
			var wg sync.WaitGroup
			for _, p := range []string{"13904712233", "13804712233"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					e.say("o1", p)
				}()
			}
			wg.Wait()
			reply := e.say("o1", "0471-6576286")
			require.Contains(t, reply, "详细情况", "both phones were kept, so the third completes them")
			reply = e.say("o1", "无")
			require.Contains(t, reply, "13904712233")
			require.Contains(t, reply, "13804712233")
		})
	}
}

func TestBindingLockOut(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			for i := range 5 {
				e.say("o1", "绑定")
				e.say("o1", "2023150101")
				require.Contains(t, e.say("o1", fmt.Sprintf("00000%d", i)), "不匹配")
			}
			e.say("o1", "绑定")
			e.say("o1", "2023150101")
			reply := e.say("o1", modelstest.StudentIDs["2023150101"])
			require.Contains(t, reply, "15 分钟后再试", "even the right secret waits")
			id, err := e.store.IdentityByOpenID(ctx, "o1")
			require.NoError(t, err)
			require.False(t, id.Bound())

			// The number is locked for other accounts too.
			e.say("o2", "绑定")
			e.say("o2", "2023150101")
			require.Contains(t, e.say("o2", modelstest.StudentIDs["2023150101"]), "分钟后再试")

			e.clock.Add(16 * time.Minute) // Redis keeps real time: expire the keys by hand
			keys, err := e.rdb.Keys(ctx, e.prefix+"bindfail*").Result()
			require.NoError(t, err)
			require.NotEmpty(t, keys)
			require.NoError(t, e.rdb.Del(ctx, keys...).Err())
			e.bindStudent("o1", "2023150101")
		})
	}
}

func TestStaffBindingAndUnbind(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			require.Contains(t, e.say("s1", "你好"), "请先绑定")
			e.say("s1", "绑定")
			e.say("s1", "t1579")
			require.Contains(t, e.say("s1", "uak4zwjd"), "范玉玉 老师")
			require.Contains(t, e.say("s1", "缓考"), "教职工")
			require.Contains(t, e.say("s1", "解绑"), "已解除绑定")
			require.Contains(t, e.say("s1", "缓考"), "请先绑定")
		})
	}
}

func TestPhotosAttachToTheOpenRequest(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			photo := bot.Message{OpenID: "o1", Type: bot.MsgImage, MediaID: "media-1", MsgID: 5001}
			require.Contains(t, e.send(photo), "没有审批中的申请")

			e.say("o1", "我生病了，缓考材料力学，电话 13904712233")
			e.say("o1", "确认")
			photo.MsgID = 5002
			reply := e.send(photo)
			id := e.requests("2023150101")[0].ID
			require.Contains(t, reply, fmt.Sprintf("第 %d 号缓考申请", id))
			ev, err := e.store.EvidenceOf(ctx, id)
			require.NoError(t, err)
			require.Len(t, ev, 1)
			require.Equal(t, "media-1", ev[0].MediaID)
			require.Equal(t, models.EvidencePending, ev[0].Status)
		})
	}
}

func TestEventsAndOtherMessages(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			sub := bot.Message{OpenID: "o1", Type: bot.MsgEvent, Event: "subscribe", CreateTime: 1}
			require.Contains(t, e.send(sub), "绑定")
			require.Contains(t, e.send(bot.Message{OpenID: "o1", Type: bot.MsgVoice, MsgID: 7}),
				"只能识别文字和图片")
			e.bindStudent("o1", "2023150101")
			click := bot.Message{OpenID: "o1", Type: bot.MsgEvent, Event: "CLICK",
				EventKey: bot.MenuMine, CreateTime: 2}
			require.Contains(t, e.send(click), "还没有提交过申请")
			require.Contains(t, e.say("o1", "随便说点什么"), "没有听懂")
		})
	}
}

func TestLostDialogIsToldPlainly(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, b)
			e.bindStudent("o1", "2023150101")
			e.say("o1", "缓考")
			keys, err := e.rdb.Keys(ctx, e.prefix+"*:dlg").Result()
			require.NoError(t, err)
			require.Len(t, keys, 1)
			require.NoError(t, e.rdb.Set(ctx, keys[0], "{broken", time.Hour).Err())
			reply := e.say("o1", "1")
			require.Contains(t, reply, "对话记录已失效")
			require.Empty(t, e.requests("2023150101"))
		})
	}
}
