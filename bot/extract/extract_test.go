package extract_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/imut/xuewu/bot/extract"
	"github.com/imut/xuewu/models"
)

// plan is a student's training plan for the tests.
func plan() []models.Course {
	return []models.Course{
		course("000208", "高等数学"),
		course("150165", "材料力学"),
		course("150169", "电路原理（一）"),
		course("150171", "电路原理（二）"),
		course("000196", "体育"),
	}
}

// course builds a plan course with the given code and name.
func course(code, name string) models.Course {
	return models.Course{Code: code, Name: name, Credits: 3, CollegeCode: "15"}
}

// codes returns the codes of courses, for comparing candidates.
func codes(cs []models.Course) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Code)
	}
	return out
}

// extractCases are whole sentences with everything they should yield. They
// also seed FuzzExtract.
var extractCases = []struct {
	name       string
	text       string
	kind       models.Kind
	reason     string
	course     string
	candidates []string
	phones     []string
}{
	{
		name: "sentence fills kind reason course and phone",
		text: "老师好，我生病了想申请缓考高等数学，电话13904712233",
		kind: models.KindDeferral, reason: "生病", course: "000208",
		phones: []string{"13904712233"},
	},
	{
		name: "full-width code and phone",
		text: "我要缓考１５０１６５，电话１３９０４７１２２３３",
		kind: models.KindDeferral, course: "150165", phones: []string{"13904712233"},
	},
	{
		name: "name inside the sentence",
		text: "想缓考材料力学这门课，因为要参加数学竞赛",
		kind: models.KindDeferral, reason: "事假-参赛", course: "150165",
	},
	{
		name: "full-width brackets match the plan name",
		text: "缓考电路原理(一)",
		kind: models.KindDeferral, course: "150169",
	},
	{
		name: "base name of two courses is ambiguous",
		text: "我想缓考电路原理",
		kind: models.KindDeferral, candidates: []string{"150169", "150171"},
	},
	{
		name: "two reasons leave the reason open",
		text: "我生病了，又要去比赛，想缓考",
		kind: models.KindDeferral,
	},
	{
		name: "student number and ID number are not phones",
		text: "学号2023150101，身份证150102199901011234，想休学，电话0471-6576286",
		kind: models.KindSuspension, phones: []string{"0471-6576286"},
	},
	{
		name: "three phones for a status change",
		text: "因病休学 139-0471-2233 (0471)6576286 +86 138 0471 1122",
		kind: models.KindSuspension, reason: "因病",
		phones: []string{"13904712233", "0471-6576286", "13804711122"},
	},
	{
		name: "negated kind gives way to the asked one",
		text: "我不想退学，想休学去创业",
		kind: models.KindSuspension, reason: "创业",
	},
	{
		name: "state of suspension gives way to resumption",
		text: "休学期满了想复学",
		kind: models.KindResumption, reason: "休学期满",
	},
	{
		name: "veteran exempt from sport",
		text: "我是退役士兵，申请免考体育",
		kind: models.KindExemption, reason: "退役士兵", course: "000196",
	},
	{
		name: "demotion for failed courses",
		text: "挂科太多，我想申请降级，电话：139 0471 2233，0471-6576286，13804711122",
		kind: models.KindDemotion, reason: "未过课程过多降级",
		phones: []string{"13904712233", "0471-6576286", "13804711122"},
	},
	{
		name: "prep repeat",
		text: "预科没结业，要重读预科",
		kind: models.KindPrepRepeat, reason: "预科未达结业要求",
	},
	{
		name: "invalid UTF-8 is read around",
		text: "\xff身体不适\xfe缓考体育",
		kind: models.KindDeferral, reason: "生病", course: "000196",
	},
	{
		name: "nothing named",
		text: "老师好",
	},
}

func TestExtract(t *testing.T) {
	t.Parallel()
	for _, tc := range extractCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := extract.Extract(tc.text, plan())
			if f.Kind != tc.kind || f.Reason != tc.reason {
				t.Errorf("kind, reason = %q, %q; want %q, %q",
					f.Kind, f.Reason, tc.kind, tc.reason)
			}
			got := ""
			if f.Course != nil {
				got = f.Course.Code
			}
			if got != tc.course || !slices.Equal(codes(f.CourseCandidates), tc.candidates) {
				t.Errorf("course = %q %v; want %q %v",
					got, codes(f.CourseCandidates), tc.course, tc.candidates)
			}
			if !slices.Equal(f.Phones, tc.phones) {
				t.Errorf("phones = %v; want %v", f.Phones, tc.phones)
			}
		})
	}
}

func TestExtractWithoutPlanMatchesNoCourse(t *testing.T) {
	t.Parallel()
	f := extract.Extract("我要缓考150165高等数学", nil)
	if f.Course != nil || f.CourseCandidates != nil {
		t.Errorf("course = %v %v; want none", f.Course, f.CourseCandidates)
	}
	if f.Kind != models.KindDeferral {
		t.Errorf("kind = %q; want deferral", f.Kind)
	}
}

func TestKindOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want models.Kind
	}{
		{"plain keyword", "缓考", models.KindDeferral},
		{"full-width spaces around", "\u3000免考\u3000", models.KindExemption},
		{"sentence", "我要休学", models.KindSuspension},
		{"second keyword of a kind", "我想留级", models.KindDemotion},
		{"longest keyword", "申请预科重读", models.KindPrepRepeat},
		{"reversed keyword", "我想重读预科", models.KindPrepRepeat},
		{"intent beats state", "休学期满了想复学", models.KindResumption},
		{"state alone still names its kind", "休学期满", models.KindSuspension},
		{"intent beats mention", "我休学期间能申请缓考吗", models.KindDeferral},
		{"negation 不想", "我不想退学", ""},
		{"negation 不要", "不要休学", ""},
		{"negation 不是", "不是缓考，是免考", models.KindExemption},
		{"negation with fillers", "并不打算申请退学，想降级", models.KindDemotion},
		{"negation 没", "我没有休学，要复学", models.KindResumption},
		{"negation covers the keyword inside", "我不想预科重读", ""},
		{"cancelling is no request", "我想取消缓考", ""},
		{"two kinds equally", "缓考和免考有什么区别", ""},
		{"none", "你好", ""},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := extract.KindOf(tc.text)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("KindOf(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
			}
		})
	}
}

func TestReasonOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		kind models.Kind
		text string
		want string
	}{
		{"number", models.KindDeferral, "2", "事假-请假"},
		{"full-width number", models.KindDeferral, "１", "生病"},
		{"number with a full stop", models.KindDeferral, "3。", "事假-参赛"},
		{"number out of range", models.KindDeferral, "7", ""},
		{"zero", models.KindDeferral, "0", ""},
		{"exact label", models.KindDeferral, "事假-与校外考试、应聘时间冲突", "事假-与校外考试、应聘时间冲突"},
		{"exact catch-all label", models.KindSuspension, "其他", "其他"},
		{"catch-all not guessed from a sentence", models.KindWithdrawal, "其他同学都走了", ""},
		{"keyword", models.KindDeferral, "我发烧了", "生病"},
		{"label in a sentence", models.KindSuspension, "我想去创业", "创业"},
		{"two reasons", models.KindDeferral, "生病了还有面试", ""},
		{"negated keyword", models.KindDeferral, "不是生病，是去比赛", "事假-参赛"},
		{"longer keyword covers shorter", models.KindResumption, "创业结束了", "创业结束"},
		{"keyword of another kind", models.KindDemotion, "生病", ""},
		{"nothing", models.KindDeferral, "嗯", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rule, _ := models.RuleFor(tc.kind)
			got, ok := extract.ReasonOf(rule, tc.text)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("ReasonOf(%s, %q) = %q, %v; want %q",
					tc.kind, tc.text, got, ok, tc.want)
			}
		})
	}
}

func TestPhones(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"mobile", "13904712233", []string{"13904712233"}},
		{"mobile with hyphens", "139-0471-2233", []string{"13904712233"}},
		{"mobile with spaces", "139 0471 2233", []string{"13904712233"}},
		{"mobile with +86", "+8613904712233", []string{"13904712233"}},
		{"mobile with +86 apart", "+86 139-0471-2233", []string{"13904712233"}},
		{"full-width mobile", "１３９０４７１２２３３", []string{"13904712233"}},
		{"landline with hyphen", "0471-6576286", []string{"0471-6576286"}},
		{"landline in brackets", "(0471)6576286", []string{"0471-6576286"}},
		{"landline with full-width brackets", "（０４７１）６５７６２８６", []string{"0471-6576286"}},
		{"landline with space", "010 12345678", []string{"010-12345678"}},
		{"landline of three parts", "0471 657 6286", []string{"0471-6576286"}},
		{"landline run together", "04716576286", []string{"0471-6576286"}},
		{"several, distinct, in order",
			"13904712233，0471-6576286，13904712233 13804711122",
			[]string{"13904712233", "0471-6576286", "13804711122"}},
		{"student number is no phone", "学号2023150101", nil},
		{"ID number is no phone", "150102199901011234", nil},
		{"ID number with X is no phone", "15010219990101123X", nil},
		{"digits inside a longer run", "213904712233", nil},
		{"student number beside a phone", "2023150101 13904712233", []string{"13904712233"}},
		{"course code beside a phone", "150165 13904712233", []string{"13904712233"}},
		{"course code after an area code", "0471 150165", nil},
		{"date", "2024-06-18", nil},
		{"mobile of a bad prefix", "12904712233", nil},
		{"+86 before a landline is dropped", "+86 0471 6576286", []string{"0471-6576286"}},
		{"too short", "1390471223", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := extract.Phones(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("Phones(%q) = %v; want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestCourseOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		text       string
		want       string
		candidates []string
	}{
		{"code", "150165", "150165", nil},
		{"code in a sentence", "课程代码是000208吧", "000208", nil},
		{"code inside a longer run is no code", "1501650", "", nil},
		{"code inside a phone is no code", "13904712233", "", nil},
		{"exact name", "高等数学", "000208", nil},
		{"name with spaces and full width", "电路原理 （二）", "150171", nil},
		{"name without brackets", "电路原理二", "150171", nil},
		{"name inside a sentence", "想缓考材料力学这门课", "150165", nil},
		{"base name of two courses", "电路原理", "", []string{"150169", "150171"}},
		{"two names equally long", "高等数学和材料力学", "", []string{"000208", "150165"}},
		{"longest name wins", "体育和高等数学", "000208", nil},
		{"code beats name", "150165高等数学", "150165", nil},
		{"unknown", "线性代数", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, cands := extract.CourseOf(tc.text, plan())
			got := ""
			if c != nil {
				got = c.Code
			}
			if got != tc.want || !slices.Equal(codes(cands), tc.candidates) {
				t.Errorf("CourseOf(%q) = %q %v; want %q %v",
					tc.text, got, codes(cands), tc.want, tc.candidates)
			}
		})
	}
}

func TestCourseOfNamesWithSuffixes(t *testing.T) {
	t.Parallel()
	p := []models.Course{course("1", "大学英语A"), course("2", "大学英语B"), course("3", "线性代数")}
	c, cands := extract.CourseOf("大学英语", p)
	if c != nil || !slices.Equal(codes(cands), []string{"1", "2"}) {
		t.Errorf("CourseOf = %v %v; want candidates 1 2", c, codes(cands))
	}
	if c, _ := extract.CourseOf("大学英语b", p); c == nil || c.Code != "2" {
		t.Errorf("CourseOf(大学英语b) = %v; want 2", c)
	}
}

func TestExtractReadsOnlyTheStartOfHugeText(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("啊", 5000) + "缓考13904712233"
	f := extract.Extract(huge, plan())
	if f.Kind != "" || f.Phones != nil {
		t.Errorf("Extract(huge) = %+v; want nothing past the cap", f)
	}
}
