package notify

import "github.com/imut/xuewu/models"

// Sentences of the notices, kept together.
const (
	txtCardApproval     = "待审批：%s的%s申请（第 %d 号）"
	txtRemarkApprove    = "请在截止时间前点开审批；逾期申请将自动撤销。"
	txtStepApproved     = "你的第 %d 号%s申请已由%s%s审批通过"
	txtNextStep         = "下一步请找%s签字。"
	txtReturned         = "你的第 %d 号%s申请被%s%s退回修改"
	txtReturnedHint     = "请回复“修改 %d”按意见修改后重新提交；截止时间不变：%s。"
	txtApproved         = "你的第 %d 号%s申请已审批通过"
	txtRejected         = "你的第 %d 号%s申请未通过（%s%s）"
	txtExpired          = "第 %d 号%s申请已过期自动撤销"
	txtExpiredStudent   = "提交后 10 日内未完成审批，申请已自动撤销。如仍需办理，请重新提交。"
	txtExpiredStaff     = "该申请超过截止时间未审批完毕，已自动撤销。"
	txtDeadlineSoon     = "第 %d 号%s申请还剩 %s 到期"
	txtDeadlineHint     = "截止 %s，逾期自动撤销，请尽快完成审批。"
	txtTeacherDeferral  = "学生%s（%s）的《%s》缓考申请已批准"
	txtTeacherExemption = "学生%s（%s）的《%s》免考申请已批准"
	txtTeacherGrade     = "请以 %s 记载该课程成绩。"
	txtTeacherDefer     = "请为该生安排缓考，学生会将申请表下联送交给你。"
	txtSuspensionSoon   = "你的休学将于 %s 到期"
	txtSuspensionHint   = "如需返校，请在到期前回复“复学”申请复学；逾期未申请复学者予以退学。"
	txtOverdue          = "学生%s（%s）休学已于 %s 期满，未申请复学"
	txtOverdueStudent   = "你的休学已于 %s 期满，尚未申请复学。请尽快回复“复学”办理，逾期未申请复学者予以退学。"
	txtOverdueHint      = "请按学籍管理规定跟进。"

	lblStudent   = "学生"
	lblKind      = "类型"
	lblReason    = "原因"
	lblCourse    = "课程"
	lblSubmitted = "提交时间"
	lblDeadline  = "截止时间"
	lblComment   = "意见"
	lblResult    = "结果"

	effectSuspend         = "休学至 %s。%s"
	effectEnlisted        = "入伍休学期限为两年，学籍保留至退役后两年。"
	effectResume          = "已恢复在读。"
	effectMajor           = "你在一、二年级入伍，复学后一周内可申请转专业：经双方学院签字的《特殊学生校内转专业申请表》须在复学后一周内提交教务处，逾期不再受理。"
	effectWithdrawDiploma = "已办理退学。你已学满一年，可同时申办肄业证书，需提供 2 寸蓝底照片一张。"
	effectWithdrawCert    = "已办理退学。学业未满一年，可向学校申请出具学习证明。"
	effectDemote          = "已转入 %s。请按要求及时申办学分认定、重修报名等事宜。"
	effectPrep            = "预科重读一学年，需重新修读预科阶段教学计划规定的所有课程；重读期满仍未达到结业要求者，退回生源地。"
	effectDeferral        = "已通知任课教师。请将学院审批通过并加盖公章的申请表下联送交任课教师。"
	effectExemption       = "免考课程以 %s 记载成绩，已通知任课教师。请将申请表下联送交任课教师。"
)

// Words of subscribe messages to the mini-program (phrase2: at most five
// Chinese characters), by notice type or reminder kind.
var miniStatuses = map[string]string{
	string(models.NoticeStepReady):   "待审批",
	string(models.NoticeStepDecided): "本步通过",
	string(models.NoticeReturned):    "退回修改",
	string(models.NoticeApproved):    "已通过",
	string(models.NoticeRejected):    "未通过",
	string(models.NoticeExpired):     "已撤销",
	models.ReminderDeadline3d:        "即将到期",
	models.ReminderDeadline1d:        "即将到期",
	models.ReminderSuspension30d:     "休学将满",
	models.ReminderSuspension7d:      "休学将满",
	models.ReminderSuspensionDue:     "休学期满",
}

// Fallbacks of subscribe messages: a status word for any other notice,
// and a value where a message has none to give.
const (
	miniStatusOther = "新通知"
	miniFallback    = "学务助手通知"
)
