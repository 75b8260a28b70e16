package bot

// The bot's sentences, kept together. Placeholders are filled with
// fmt.Sprintf; every reply is cut to WeChat's 2,048 bytes by fit.
const (
	txtWelcome = "欢迎使用学务助手！这里可以办理缓考、免考、休学、复学、退学、降级和预科重读。\n" +
		"第一次使用请先回复“绑定”，用学号和身份证后六位（教职工用工号和激活码）绑定微信。"
	txtNeedBind     = "请先绑定身份：回复“绑定”，再按提示输入学号和身份证后六位（教职工为工号和激活码）。"
	txtAskNo        = "请输入你的学号（教职工请输入工号）。回复“取消”退出绑定。"
	txtAskID        = "请输入身份证号码的后六位（末位是 X 的照写 X）。"
	txtAskCode      = "请输入你的激活码（8 位字母和数字，由学院发放）。"
	txtBadNo        = "“%s”不像学号或工号。学号为 10 位数字，如 2023150101；工号如 T1593。"
	txtBadID        = "身份证后六位应为 6 位数字，或 5 位数字加 X，如 31377X。"
	txtBoundStudent = "绑定成功！%s 同学（%s，%s）。\n回复“缓考”“休学”等即可开始办理，回复“帮助”查看全部功能。"
	txtBoundStaff   = "绑定成功！%s 老师（%s）。审批通知会通过本公众号推送给你，点开卡片即可审批。"
	txtBindLocked   = "尝试次数过多，为保护账号安全，请 %d 分钟后再试。"
	txtBindCancel   = "已退出绑定。"
	txtUnbound      = "已解除绑定。需要时回复“绑定”可重新绑定。"
	txtNotBound     = "你还没有绑定身份。"
	txtAlreadyBound = "你已绑定为 %s（%s）。如需换绑，请先回复“解绑”。"
	txtStaffHelp    = "你已绑定为教职工 %s。待审批的申请会以通知卡片推送给你，点开卡片即可审批。\n回复“解绑”可解除绑定。"
	txtHelp         = "可以这样使用：\n" +
		"· 回复“缓考”“免考”“休学”“复学”“退学”“降级”或“预科重读”开始办理，" +
		"也可以直接说：“我生病了想缓考高等数学，电话13904712233”\n" +
		"· 填写中：“上一步”返回，“取消”放弃，“帮助”查看说明\n" +
		"· “我的申请”查看进度；“修改 N”“删除 N”“打印 N”处理第 N 号申请\n" +
		"· 申请审批中时直接发送照片，作为证明材料附到申请上\n" +
		"· 申请须在提交后 10 日内审批完毕，否则自动撤销。"
	txtUnknown         = "没有听懂“%s”。回复“帮助”查看可以做什么。"
	txtUnsupported     = "暂时只能识别文字和图片消息。回复“帮助”查看可以做什么。"
	txtCanceled        = "已取消，本次填写的内容没有提交。"
	txtNothingToCancel = "当前没有正在填写的申请。"
	txtNoDraft         = "没有可以继续的申请。回复“缓考”“休学”等开始新的申请。"
	txtPausedDraft     = "你有一份未填完的%s申请。回复“继续”接着填写，回复“取消”放弃。"
	txtDropped         = "（之前未填完的%s申请已放弃。）\n"
	txtLost            = "抱歉，刚才的对话记录已失效，没有提交任何内容。请重新开始，回复“帮助”查看用法。"
	txtFirstStep       = "已经是第一步了。"
	txtNotAtSummary    = "请先填完所有问题，再确认提交。"
	txtIneligible      = "无法办理%s：%s"
	txtStarted         = "开始办理%s申请（回复“取消”可随时放弃）。\n"

	txtAskReason  = "请选择申请原因（回复序号或文字）：\n%s"
	txtAskCourse  = "请输入%s的课程代码或课程名称（须与个人培养方案一致）。"
	txtAskPhone   = "请输入你的联系电话（手机号或带区号的座机）。"
	txtAskPhoneN  = "请输入第 %d 个联系电话（共需 %d 个不同的电话：本人及家属，手机号或带区号的座机）。"
	txtAskDetails = "请简要说明详细情况（最多 %d 字，没有可回复“无”）。"
	txtBadChoice  = "“%s”不在选项中，请回复序号（如 1）或选项文字。\n%s"
	txtCourseMany = "有多门课程与“%s”相符，请回复序号选择：\n%s"
	txtCourseNone = "你的培养方案中没有“%s”。"
	txtCourseNear = "是不是下面的课程？回复序号选择，或重新输入课程代码：\n%s"
	txtCourseAsk  = "请重新输入课程代码（6 位数字）或课程全名。"
	txtSummary    = "请核对%s申请：\n%s\n回复“确认”提交；回复“修改”加序号更改某项（如“修改 2”）；回复“取消”放弃。"
	txtFixWhich   = "要修改哪一项？请回复“修改”加序号，例如“修改 1”：\n%s"
	txtEditing    = "正在修改第 %d 号申请。\n"

	txtSubmitted = "已提交！申请编号：第 %d 号（%s）。\n" +
		"截止时间：%s，须在此前由%s确认，否则自动撤销。\n" +
		"下一步：请持打印的申请表和证明材料找%s签字。\n%s" +
		"打印申请表：%s"
	txtResubmitted = "第 %d 号申请已修改并重新提交，继续由%s审批。截止时间仍为 %s。\n打印申请表：%s"
	txtEdited      = "第 %d 号申请已修改。截止时间 %s。\n打印申请表：%s"
	txtEvidence    = "需要的证明材料：%s\n"
	txtNoEvidence  = "本申请无需附加证明材料。\n"

	txtMineEmpty = "你还没有提交过申请。回复“缓考”“休学”等开始办理。"
	txtMineHead  = "你的申请（最近 %d 份）："
	txtMineLine  = "\n第 %d 号 %s%s：%s"
	txtMineWait  = "，等待%s，截止 %s"
	txtMineTail  = "\n回复“打印 N”打印、“修改 N”修改、“删除 N”删除。"
	txtDeleted   = "第 %d 号申请已删除。"
	txtPrint     = "第 %d 号%s申请的打印页面：%s\n请用 A4 纸打印%s。"
	txtCopies    = "，共需 %d 份"
	txtNoNumber  = "请在“%s”后加上申请编号，例如“%s 12”。回复“我的申请”可查看编号。"

	txtPhotoSaved = "照片已作为证明材料附到第 %d 号%s申请上，审批老师可以看到。"
	txtPhotoNone  = "你目前没有审批中的申请，照片没有保存。请先提交申请，再发送证明材料的照片。"
	txtPhotoStaff = "教职工账号发送的照片不会被保存。"

	txtHelpReason  = "申请原因决定需要的证明材料：\n%s"
	txtHelpCourse  = "课程代码和名称必须与个人培养方案一致，否则成绩无法录入。可以输入 6 位课程代码（如 150165），也可以输入课程全名。"
	txtHelpPhone   = "手机号为 11 位数字（如 13904712233）；座机请带区号（如 0471-6576286）。"
	txtHelpPhones  = "学籍异动须留 3 个不同的联系电话（本人及家属），可以一次输入，用空格或逗号隔开。"
	txtHelpDetails = "可对申请原因做具体说明，方便老师审批；没有可回复“无”。"
	txtHelpSummary = "核对无误回复“确认”提交；需要更改某项，回复“修改”加序号。"
	txtInternal    = "系统暂时无法处理，请稍后再试。"
)

// Field names shown in summaries and accepted after 修改.
const (
	lblReason  = "申请原因"
	lblCourse  = "课程"
	lblPhones  = "联系电话"
	lblDetails = "详细情况"
)
