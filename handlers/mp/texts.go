package mp

import "github.com/imut/xuewu/models"

// Sentences of the API's answers, in Chinese for the mini-program to show
// as they are, kept together. Placeholders are filled with fmt.Sprintf.
const (
	msgNoLogin      = "请先登录小程序。"
	msgLoginExpired = "登录已过期，请重新进入小程序。"
	msgNoCode       = "缺少登录凭证 code。"
	msgCodeRefused  = "登录凭证无效或已过期，请重新进入小程序。"
	msgLoginDown    = "微信登录暂时不可用，请稍后再试。"
	msgNotBound     = "请先绑定身份：学生输入学号和身份证后六位，教职工输入工号和激活码。"
	msgStudentsOnly = "小程序目前只为学生办理申请；审批老师请从公众号的通知进入审批页面。"
	msgBadNo        = "请输入正确的学号（6 到 12 位数字）或工号（字母加数字，如 T1579）。"
	msgBadID        = "请输入身份证号码的后六位（最后一位可以是 X）。"
	msgBadCode      = "请输入教职工激活码（4 到 16 位字母或数字）。"
	msgBindLocked   = "尝试次数过多，为保护账号安全，请 %d 分钟后再试。"
	msgBadJSON      = "请求内容无法识别：请以 JSON 格式提交，字段见接口说明。"
	msgBadField     = "请求中有不认识的字段 %s。"
	msgBadText      = "填写的内容含有无法识别的字符，请删除后重试。"
	msgTooLarge     = "请求内容过大。"
	msgKindChange   = "不能修改申请类型；如需办理其他类型，请删除后重新提交。"
	msgNoRequest    = "没有找到这份申请。"
	msgNoAPI        = "没有这个接口。"
	msgNoMethod     = "这个接口不支持该请求方法。"
	msgInternal     = "系统暂时无法处理，请稍后再试。"
	teacherSuffix   = "老师"
)

// stepStatusLabels name where a step stands.
var stepStatusLabels = map[models.StepStatus]string{
	models.StepWaiting:  "待审批",
	models.StepApproved: "同意",
	models.StepRejected: "不同意",
	models.StepReturned: "退回修改",
}
