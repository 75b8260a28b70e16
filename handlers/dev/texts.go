package dev

import "github.com/imut/xuewu/models"

// Sentences the handlers choose between, kept together; the rest of the
// page's text is in templates/sim.html and static/sim.js.
const (
	textNotFound         = "没有这个页面。"
	textInternal         = "模拟器出错了，请刷新页面重试。"
	textBadCSRF          = "页面已过期或来源不明，本次操作没有执行。请刷新页面后重试。"
	textNoPerson         = "请先在左侧选择一个人。"
	textUnknownPerson    = "没有这个人：请从列表中选择。"
	textEmptyText        = "请输入要发送的文字。"
	textTooLong          = "消息太长了：微信文字消息最多 2048 字节。"
	textNoPhoto          = "请选择一张照片。"
	textBadPhoto         = "只能发送 JPEG、PNG、GIF 或 WebP 格式、10 MB 以内的照片。"
	textUnknownButton    = "菜单中没有这个按钮。"
	textNoExample        = "示例数据中没有此人的绑定信息，请在聊天中手动绑定。"
	textCallbackFailed   = "消息没有送达公众号（/wechat 回调出错），请查看服务日志。"
	textUnshownType      = "［模拟器不显示的消息类型］"
	textNoCollege        = "未设学院"
	textSubscribed       = "关注了公众号"
	textClicked          = "点击菜单“%s”"
	textOAuthBadApp      = "微信授权失败：appid 不是演示公众号的。"
	textOAuthBadRequest  = "微信授权失败：请求参数不完整（response_type 或 scope）。"
	textOAuthBadRedirect = "微信授权失败：redirect_uri 不在公众号的网页授权域名（PUBLIC_URL）下。"
	textOAuthNoPerson    = "模拟器中还没有选择身份：请先打开模拟器，选择一个人，再从聊天中的卡片打开页面。"
	textBackToSimulator  = "返回模拟器"
	textNoticeTitle      = "微信模拟器"
)

// statusLabels name the student statuses the person list points out.
var statusLabels = map[models.StudentStatus]string{
	models.StatusSuspended: "休学",
	models.StatusWithdrawn: "退学",
}

// roleLabels are the short role names of the person list, as the staff
// table writes them.
var roleLabels = map[models.Role]string{
	models.RoleAdvisor:   "班主任",
	models.RoleDean:      "主管院长",
	models.RoleOffice:    "教学科研服务中心",
	models.RoleRegistrar: "学籍管理科",
	models.RoleTeacher:   "任课教师",
	models.RoleAdmin:     "管理员",
}
