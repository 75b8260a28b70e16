package models

// User-facing sentences of the domain, kept together. Placeholders are
// filled with fmt.Sprintf.
const (
	msgInternal           = "系统暂时无法处理，请稍后再试。"
	msgNotFound           = "没有找到这份申请。"
	msgUnknownKind        = "不支持的申请类型。"
	msgUnknownStudent     = "没有找到学号为 %s 的学生。"
	msgUnknownStaff       = "没有找到工号为 %s 的教职工。"
	msgWithdrawn          = "你的学籍状态为退学，不能再提交申请。"
	msgOnlySuspended      = "只有处于休学状态的同学才能申请复学。"
	msgAlreadySuspended   = "你目前已是休学状态；如需返校，请申请复学。"
	msgOnlyPrep           = "预科重读只适用于预科学生。"
	msgBadReason          = "“%s”不是%s的申请原因，可选：%s。"
	msgVeteranCourses     = "退役士兵只能申请免考体育、军事训练、军事理论课程，“%s”不在其中。"
	msgDuplicateExam      = "你已有一份未办结的%s申请（第 %d 号，课程 %s），请勿重复提交。"
	msgDuplicateStatus    = "你已有一份未办结的%s申请（第 %d 号），请勿重复提交。"
	msgNoCourse           = "请填写课程代码或课程名称。"
	msgCourseNotInPlan    = "课程“%s”不在你的培养方案中。"
	msgCourseNameMismatch = "课程代码 %s 对应的课程是“%s”，与填写的“%s”不一致。"
	msgPhoneCount         = "需要填写 %d 个联系电话，现在有 %d 个。"
	msgPhoneBad           = "“%s”不是有效的电话号码。手机号为 11 位（如 13904712233），座机请带区号（如 0471-6576286）。"
	msgPhoneRepeat        = "三个联系电话不能重复，“%s”填了两次。"
	msgDetailsTooLong     = "详细情况最多 %d 个字，现在有 %d 个字。"
	msgNotOwner           = "这不是你的申请，不能操作。"
	msgLocked             = "第 %d 号申请已经开始审批，不能再修改或删除。"
	msgNotOpen            = "第 %d 号申请当前状态为“%s”，不能再操作。"
	msgNotPending         = "第 %d 号申请当前状态为“%s”，不能审批。"
	msgNotApprover        = "第 %d 号申请当前等待%s审批，你没有权限处理。"
	msgNeedComment        = "驳回或退回修改时请填写理由。"
	msgBadDecision        = "无法识别的审批操作“%s”。"
	msgNeedTargetClass    = "降级申请终审时请选择降级后的班级。"
	msgBadTargetClass     = "班级“%s”不存在或与学生当前班级相同。"
	msgConflict           = "第 %d 号申请刚刚被其他人处理过，请刷新后再看。"
	msgCommentTooLong     = "审批意见最多 %d 个字。"
	msgBindMismatch       = "学号（工号）与验证信息不匹配，请核对后重新输入。"
)

// requestStatusLabels are the Chinese names of request statuses.
var requestStatusLabels = map[RequestStatus]string{
	RequestPending:  "审批中",
	RequestReturned: "退回修改",
	RequestApproved: "已通过",
	RequestRejected: "未通过",
	RequestExpired:  "已过期撤销",
	RequestDeleted:  "已删除",
}

// Label is the Chinese name of the status.
func (s RequestStatus) Label() string { return requestStatusLabels[s] }

// studentStatusLabels are the 学籍状态 values of the import table.
var studentStatusLabels = map[StudentStatus]string{
	StatusEnrolled:  "在读",
	StatusSuspended: "休学",
	StatusWithdrawn: "退学",
}

// Label is the Chinese name of the student status.
func (s StudentStatus) Label() string { return studentStatusLabels[s] }

// ParseStudentStatus reads a 学籍状态 as written in the import table.
func ParseStudentStatus(s string) (StudentStatus, bool) {
	for k, v := range studentStatusLabels {
		if v == s {
			return k, true
		}
	}
	return "", false
}

// levelLabels are the 层次 values of the classes table.
var levelLabels = map[Level]string{
	LevelUndergraduate: "本科",
	LevelPrep:          "预科",
}

// Label is the Chinese name of the level.
func (l Level) Label() string { return levelLabels[l] }

// ParseLevel reads a 层次 as written in the import table.
func ParseLevel(s string) (Level, bool) {
	for k, v := range levelLabels {
		if v == s {
			return k, true
		}
	}
	return "", false
}
