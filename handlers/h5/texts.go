package h5

import "github.com/imut/xuewu/models"

// Sentences the handlers choose between, kept together; the rest of the
// pages' text is in the templates. Placeholders are filled with
// fmt.Sprintf.
const (
	titleError = "无法完成"
	titleLogin = "登录"

	msgNotBound      = "你的微信尚未绑定学号或工号。请回到公众号，回复“绑定”并按提示完成绑定，然后重新打开此页面。"
	msgForbidden     = "你无权查看这份申请：只有申请人本人、这份申请的审批老师和管理员可以查看。"
	msgNotFound      = "没有找到这份申请，请核对链接。"
	msgNoPage        = "没有这个页面，请核对链接。"
	msgNoPhoto       = "没有找到这张照片，或照片尚未获取。"
	msgBadVerify     = "核验码无效：这不是本系统打印的申请表，或链接不完整。"
	msgStaffOnly     = "此页面仅供审批老师使用。"
	msgRegistrarOnly = "此页面仅供教务处学籍管理科使用。"
	overdueDaysFmt   = "%d 天"
	msgBadCSRF       = "页面已过期或来源不明，本次操作没有执行。请刷新页面后重试。"
	msgSessionGone   = "登录已过期，本次操作没有执行。请重新打开页面后再操作。"
	msgLoginStale    = "登录链接已失效，请点击下方链接重新打开页面。"
	msgLoginFailed   = "微信登录失败，请稍后重新打开链接。"
	msgBadInput      = "提交的内容无法识别，本次操作没有执行。请刷新页面后重试。"
	msgInternal      = "系统暂时无法处理，请稍后再试。"
	msgStepTaken     = "该步骤已被他人处理：%s于%s%s。本次操作没有执行。"
	msgStepTakenYou  = "你已于%s%s该步骤，本次操作没有执行。"
	msgStepGone      = "该步骤已不是当前审批步骤（已被他人处理或申请已变化），本次操作没有执行。"
	msgNoSelection   = "请至少勾选一份申请。"
	msgTooMany       = "一次最多批量处理 %d 份申请，请分批操作。"
	msgBulkClass     = "降级申请终审需要选择降级后的班级，请打开详情页单独审批。"
	msgBulkDone      = "已同意"

	daysLeftFmt  = "还剩 %d 天"
	dueToday     = "今天截止"
	pastDeadline = "已过截止时间"
	actorSystem  = "系统"
	actorStudent = "学生 %s（%s）"
	actorStaff   = "%s（%s）"

	timeLayout = "2006年1月2日 15:04"
)

// stepStatusLabels name where a step stands, as the page shows it.
var stepStatusLabels = map[models.StepStatus]string{
	models.StepWaiting:  "待审批",
	models.StepApproved: "同意",
	models.StepRejected: "不同意",
	models.StepReturned: "退回修改",
}

// eventActionLabels name the actions of the audit trail.
var eventActionLabels = map[string]string{
	"submit":   "提交申请",
	"edit":     "修改申请",
	"resubmit": "修改后重新提交",
	"delete":   "删除申请",
	"evidence": "发送证明照片",
	"approve":  "同意",
	"reject":   "不同意",
	"return":   "退回修改",
	"expire":   "超过期限，自动撤销",
}

// stepStatusLabel is the label of a step status, or the code itself.
func stepStatusLabel(s models.StepStatus) string {
	if l, ok := stepStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// eventActionLabel is the label of an audit action, or the code itself.
func eventActionLabel(a string) string {
	if l, ok := eventActionLabels[a]; ok {
		return l
	}
	return a
}
