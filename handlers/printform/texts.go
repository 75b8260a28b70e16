package printform

import "github.com/imut/xuewu/models"

// User-facing text of the printed forms and the verification page, kept
// together. Placeholders are filled with fmt.Sprintf.
const (
	schoolName   = "内蒙古工业大学"
	titleExamFmt = schoolName + "%s申请表" // the kind's label: 缓考, 免考
	titleStatus  = schoolName + "学籍异动申请表"

	numberFmt    = "申请编号：%d"
	printedFmt   = "打印时间：%s"
	copyFmt      = "第%d联 · 共%d联"
	copyLabelFmt = "（%s）"
	qrCaption    = "扫码核验申请状态"

	dateLayout = "2006年1月2日"
	timeLayout = "2006年1月2日 15:04"
)

// Field labels of the form's table.
const (
	labelName         = "姓名"
	labelStudentNo    = "学号"
	labelGender       = "性别"
	labelPhone        = "联系电话"
	labelClass        = "班级"
	labelCollege      = "学院"
	labelCourseCode   = "课程代码"
	labelCourseName   = "课程名称"
	labelType         = "类型"
	labelReason       = "申请原因"
	labelSubmitted    = "申请日期"
	labelDeadline     = "截止日期"
	labelGrade        = "记载成绩"
	labelCourseOffice = "开课学院"
	labelChangeType   = "异动类型"
	labelChangeReason = "异动原因"
	labelDetails      = "详细情况"
	labelTargetClass  = "异动后班级"
	labelEvidence     = "证明材料"
)

// examParts are the parts of an exam form, one page each: the deferral
// form has the office's copy and the teacher's copy, and so does ours for
// exemptions.
var examParts = []string{"教学科研服务中心留存", "任课教师留存"}

// Evidence lines.
const (
	evidenceNone    = "本申请原因无须附证明材料。"
	evidenceItemFmt = "%d. %s"
	photosFmt       = "已上传证明照片：%d 张（照片未与上列材料逐项对应，请携带原件备查）"
	photosNone      = "已上传证明照片：0 张"
)

// Signature boxes.
const (
	phoneFmt          = "%d. %s"
	phoneSep          = "　　"
	signOpinionSuffix = "意见"
	signStampSuffix   = "（加盖教学科研服务中心公章）"
	signCourseCollege = "开课"
	signDeciderFmt    = "审批人：%s"
	signDecisionFmt   = "审批意见：%s"
	signDateFmt       = "审批日期：%s"
	signBlankOpinion  = "意见："
	signBlankName     = "签字：____________"
	signBlankDate     = "日期：______年____月____日"
	signGap           = "　　" // ideographic spaces, which HTML keeps
)

// decisionLabels name a decided step's outcome; a waiting step has none.
var decisionLabels = map[models.StepStatus]string{
	models.StepApproved: "同意",
	models.StepRejected: "不同意",
	models.StepReturned: "退回修改",
}

// Notes printed under the signature boxes.
const (
	noteCourse   = "特别提示：课程代码和名称必须与个人培养方案一致，否则造成成绩无法录入责任自负！"
	noteDeadline = "★须在提交后%d日内审批完毕，否则自动撤销（本申请截止：%s）。"
	noteRouteFmt = "持本表及证明材料，依次请%s签署意见。"
	noteRouteSep = "、"
	noteTeacher  = "审批通过并加盖公章后，将“任课教师留存”联送交任课教师。"
	detailsMore  = "……（以下从略，全文见系统记录）"
)

// Text of the HTML pages.
const (
	printButton     = "打印"
	printHint       = "请用 A4 纸打印；每联一页。"
	verifyChecked   = "核验时间：%s"
	verifyFooter    = "本页仅显示核验申请真伪所需的信息。"
	decisionWaiting = "待审批"
	decisionNotYet  = "—"
)
