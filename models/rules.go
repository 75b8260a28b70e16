package models

import "strings"

// Kind names one of the seven request kinds. The value is the stable code
// used in storage, the admin API and URLs.
type Kind string

// The seven request kinds of the spec.
const (
	KindDeferral   Kind = "deferral"
	KindExemption  Kind = "exemption"
	KindSuspension Kind = "suspension"
	KindResumption Kind = "resumption"
	KindWithdrawal Kind = "withdrawal"
	KindDemotion   Kind = "demotion"
	KindPrepRepeat Kind = "prep_repeat"
)

// Family groups kinds that share a paper form: exam requests name one
// course, status changes name none.
type Family string

// The two families of the guide.
const (
	FamilyExam   Family = "exam"
	FamilyStatus Family = "status"
)

// Role is a duty a staff member holds; a staff member may hold several.
type Role string

// Staff roles, in the order of the import table's 角色 column.
const (
	RoleAdvisor   Role = "advisor"   // 班主任
	RoleDean      Role = "dean"      // 主管院长
	RoleOffice    Role = "office"    // 教学科研服务中心
	RoleRegistrar Role = "registrar" // 学籍管理科
	RoleTeacher   Role = "teacher"   // 任课教师
	RoleAdmin     Role = "admin"     // 管理员
)

// Scope says whose staff member of a role must decide a step.
type Scope string

// Scopes of approval steps.
const (
	ScopeClass         Scope = "class"          // the advisor of the student's class
	ScopeCollege       Scope = "college"        // the student's college
	ScopeCourseCollege Scope = "course_college" // the college that offers the course
	ScopeSchool        Scope = "school"         // anyone of the role in the school
)

// Effect is what final approval changes beyond the request itself.
type Effect string

// Effects of final approval (rule 6).
const (
	EffectNotifyTeacher Effect = "notify_teacher"
	EffectSuspend       Effect = "suspend"
	EffectResume        Effect = "resume"
	EffectWithdraw      Effect = "withdraw"
	EffectDemote        Effect = "demote"
	EffectPrepRepeat    Effect = "prep_repeat"
)

// StepRule is one step of an approval chain: who decides it.
type StepRule struct {
	Role  Role
	Scope Scope
}

// Reason is one reason a student may give for a kind, with the evidence the
// guide asks for and the rules that depend on it.
type Reason struct {
	// Label is the reason as the guide writes it; it is also the stored value.
	Label string
	// Evidence lists the documents to bring; empty when none is needed.
	Evidence []string
	// Note is extra advice for the student, shown with the evidence.
	Note string
	// Courses, when set, limits an exemption to courses of these names.
	Courses []string
	// Grade is the grade the teacher records for a granted exemption.
	Grade string
	// SuspendYears is how long a granted suspension lasts; 0 means 1 year.
	SuspendYears int
	// Keywords are words in a free sentence that point to this reason.
	Keywords []string
}

// KindRule is the whole description of one request kind. Rules is the only
// place these facts are written down; the bot, pages, forms and APIs read it.
type KindRule struct {
	Kind   Kind
	Label  string // 中文 name, e.g. 缓考
	Family Family
	// ChangeType is the 异动类型 printed on status-change forms.
	ChangeType string
	// Keywords start the kind's form when a message contains one; the
	// first is the label itself.
	Keywords []string
	Reasons  []Reason
	// NeedsCourse is true for exam requests, which name one course.
	NeedsCourse bool
	// Phones is how many distinct phone numbers the form asks for.
	Phones int
	// Details is true when the form has a free-text 详细情况 field.
	Details bool
	Chain   []StepRule
	// Copies is how many copies of the printed form the student needs.
	Copies int
	Effect Effect
	// ForSuspended is true when only a suspended student may file it.
	ForSuspended bool
	// ForPrep is true when only a preparatory (预科) student may file it.
	ForPrep bool
	// NotForSuspended is true when a suspended student may not file it.
	NotForSuspended bool
}

var (
	hospitalNote = "二级乙等及以上医院或校医院证明"
	leaveForms   = "经学工部门批准的《请假申请审批表》或《在校学生外出审批表》"
)

// Rules describes the seven kinds, in the order the guide presents them.
var Rules = []KindRule{
	{
		Kind: KindDeferral, Label: "缓考", Family: FamilyExam,
		Keywords: []string{"缓考"},
		Reasons: []Reason{
			{Label: "生病", Keywords: []string{"生病", "病了", "发烧", "住院", "感冒", "身体不适", "看病"},
				Evidence: []string{hospitalNote}},
			{Label: "事假-请假", Keywords: []string{"请假", "事假"},
				Evidence: []string{leaveForms}},
			{Label: "事假-参赛", Keywords: []string{"参赛", "比赛", "竞赛"},
				Evidence: []string{
					"赛事主办方文件", "指导教师（教练）签字的参赛人员名单"}},
			{Label: "事假-与校外考试、应聘时间冲突",
				Keywords: []string{"应聘", "面试", "校外考试", "招聘"},
				Evidence: []string{
					"班主任签字的情况说明，或《请假申请审批表》、《在校学生外出审批表》"}},
			{Label: "冲突-校内考试时间冲突", Keywords: []string{"考试冲突", "时间冲突", "撞了"},
				Evidence: []string{"考试安排通知"}},
			{Label: "无法网考", Keywords: []string{"网考", "线上考试"},
				Evidence: []string{"班主任签字的情况说明"}},
		},
		NeedsCourse: true, Phones: 1,
		Chain: []StepRule{
			{Role: RoleDean, Scope: ScopeCollege},
			{Role: RoleOffice, Scope: ScopeCollege},
		},
		Copies: 1, Effect: EffectNotifyTeacher,
	},
	{
		Kind: KindExemption, Label: "免考", Family: FamilyExam,
		Keywords: []string{"免考"},
		Reasons: []Reason{
			{Label: "退役士兵", Keywords: []string{"退役士兵", "退伍", "退役"},
				Evidence: []string{"退伍证复印件"},
				Courses:  []string{"体育", "军事训练", "军事理论"}, Grade: "95（优秀）"},
			{Label: "辅修/双学位", Keywords: []string{"辅修", "双学位"},
				Evidence: []string{"对应已修课程成绩单"},
				Grade:    "65（及格）"},
			{Label: "中断学业重新考入", Keywords: []string{"重新考入", "中断学业"},
				Evidence: []string{"中断学业前已修课程成绩单"},
				Grade:    "65（及格）"},
		},
		NeedsCourse: true, Phones: 1,
		Chain: []StepRule{
			{Role: RoleDean, Scope: ScopeCourseCollege},
			{Role: RoleOffice, Scope: ScopeCourseCollege},
		},
		Copies: 1, Effect: EffectNotifyTeacher,
	},
	{
		Kind: KindSuspension, Label: "休学", Family: FamilyStatus, ChangeType: "休学",
		Keywords: []string{"休学"},
		Reasons: []Reason{
			{Label: "因病", Keywords: []string{"生病", "因病", "病了", "住院", "治疗"},
				Evidence: []string{"二级乙等以上医院出具的诊断证明"},
				Note:     "复学时须出具康复证明。"},
			{Label: "入伍", Keywords: []string{"入伍", "参军", "当兵", "服役"},
				Evidence: []string{"《入伍通知书》复印件"}, SuspendYears: 2,
				Note: "暂无法提供的，可用全国征兵网下载的“大学生预征对象登记表”暂代，" +
					"《入伍通知书》下发后补交复印件。"},
			{Label: "创业", Keywords: []string{"创业"},
				Note: "复学时须提供工商营业执照复印件，否则按普通休学认定。"},
			{Label: "其他"},
		},
		Phones: 3, Details: true,
		Chain:  statusChain,
		Copies: 1, Effect: EffectSuspend, NotForSuspended: true,
	},
	{
		Kind: KindResumption, Label: "复学", Family: FamilyStatus, ChangeType: "复学",
		Keywords: []string{"复学"},
		Reasons: []Reason{
			{Label: "病愈", Keywords: []string{"病愈", "康复", "病好"},
				Evidence: []string{"二级乙等以上医院出具的康复证明"}},
			{Label: "退役", Keywords: []string{"退役", "退伍"},
				Evidence: []string{"《退役证》复印件"},
				Note:     "延期退役的还需附部队出具的延期退役证明材料。"},
			{Label: "创业结束", Keywords: []string{"创业结束"},
				Evidence: []string{"工商营业执照复印件"},
				Note:     "不能提供的按普通休学认定。"},
			{Label: "休学期满", Keywords: []string{"期满", "到期"}},
		},
		Phones: 3, Details: true,
		Chain: []StepRule{
			{Role: RoleDean, Scope: ScopeCollege},
			{Role: RoleRegistrar, Scope: ScopeSchool},
		},
		Copies: 1, Effect: EffectResume, ForSuspended: true,
	},
	{
		Kind: KindWithdrawal, Label: "退学", Family: FamilyStatus, ChangeType: "退学",
		Keywords: []string{"退学"},
		Reasons: []Reason{
			{Label: "个人原因", Keywords: []string{"个人原因"}},
			{Label: "其他"},
		},
		Phones: 3, Details: true,
		Chain:  statusChain,
		Copies: 1, Effect: EffectWithdraw,
	},
	{
		Kind: KindDemotion, Label: "降级", Family: FamilyStatus, ChangeType: "学籍异动",
		Keywords: []string{"降级", "留级"},
		Reasons: []Reason{
			{Label: "未过课程过多降级", Keywords: []string{"挂科", "未过课程", "不及格"}},
		},
		Phones: 3, Details: true,
		Chain:  statusChain,
		Copies: 3, Effect: EffectDemote,
	},
	{
		Kind: KindPrepRepeat, Label: "预科重读", Family: FamilyStatus, ChangeType: "学籍异动",
		Keywords: []string{"预科重读", "重读预科", "重读"},
		Reasons: []Reason{
			{Label: "预科未达结业要求", Keywords: []string{"未达结业", "没结业", "未结业"}},
		},
		Phones: 3, Details: true,
		Chain:  statusChain,
		Copies: 3, Effect: EffectPrepRepeat, ForPrep: true,
	},
}

// statusChain is the chain most status changes share: advisor, dean, registrar.
var statusChain = []StepRule{
	{Role: RoleAdvisor, Scope: ScopeClass},
	{Role: RoleDean, Scope: ScopeCollege},
	{Role: RoleRegistrar, Scope: ScopeSchool},
}

// RuleFor returns the rule of a kind, and false for an unknown kind.
func RuleFor(k Kind) (KindRule, bool) {
	for _, r := range Rules {
		if r.Kind == k {
			return r, true
		}
	}
	return KindRule{}, false
}

// Reason returns the reason of the rule with the given label.
func (r KindRule) Reason(label string) (Reason, bool) {
	for _, rs := range r.Reasons {
		if rs.Label == label {
			return rs, true
		}
	}
	return Reason{}, false
}

// RoleLabel is the Chinese name of a role as staff know it.
func RoleLabel(r Role) string {
	return roleLabels[r]
}

var roleLabels = map[Role]string{
	RoleAdvisor:   "班主任",
	RoleDean:      "学院主管院长",
	RoleOffice:    "学院教学科研服务中心",
	RoleRegistrar: "教务处学籍管理科",
	RoleTeacher:   "任课教师",
	RoleAdmin:     "管理员",
}

// importRoles maps the 角色 column of the staff table to roles.
var importRoles = map[string]Role{
	"班主任":      RoleAdvisor,
	"主管院长":     RoleDean,
	"教学科研服务中心": RoleOffice,
	"学籍管理科":    RoleRegistrar,
	"任课教师":     RoleTeacher,
	"管理员":      RoleAdmin,
}

// ParseRole reads a role as written in the staff import table.
func ParseRole(s string) (Role, bool) {
	r, ok := importRoles[s]
	return r, ok
}

// roleOrder is the fixed order in which roles are stored.
var roleOrder = []Role{RoleAdvisor, RoleDean, RoleOffice, RoleRegistrar, RoleTeacher, RoleAdmin}

// JoinRoles returns the roles in their stored form: the fixed order,
// without repeats, joined by ";".
func JoinRoles(roles []Role) string {
	var out []string
	for _, r := range roleOrder {
		for _, x := range roles {
			if x == r {
				out = append(out, string(r))
				break
			}
		}
	}
	return strings.Join(out, ";")
}
