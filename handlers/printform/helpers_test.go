package printform_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/printform"
	"github.com/imut/xuewu/models"
)

var (
	cst       = time.FixedZone("CST", 8*60*60)
	submitted = time.Date(2025, 3, 22, 9, 30, 0, 0, cst)
	printed   = time.Date(2025, 3, 23, 14, 5, 0, 0, cst)
	verifyKey = []byte("test verify key, 32 bytes long!!")
)

// The sample school: one undergraduate and one preparatory student.
var (
	college = &models.College{Code: "15", Name: "机械工程学院"}
	sports  = &models.College{Code: "20", Name: "体育教学部"}
	class   = &models.Class{Code: "152301", Name: "机械设计制造及其自动化23-1班",
		CollegeCode: "15", Level: models.LevelUndergraduate}
	lowerClass = &models.Class{Code: "152401", Name: "机械设计制造及其自动化24-1班",
		CollegeCode: "15", Level: models.LevelUndergraduate}
	prepCollege = &models.College{Code: "14", Name: "预科教育学院"}
	prepClass   = &models.Class{Code: "142501", Name: "预科25-1班",
		CollegeCode: "14", Level: models.LevelPrep}
)

// sample is one request of each kind, with what its form must show.
type sample struct {
	kind  models.Kind
	form  printform.Form
	pages int
	want  []string
}

func student(no, name, gender string, c *models.Class) *models.Student {
	return &models.Student{No: no, Name: name, Gender: gender, ClassCode: c.Code,
		Class: c, Status: models.StatusEnrolled}
}

// request builds a submitted request of the kind whose first step the
// named approver has decided (none when decider is empty).
func request(id uint64, kind models.Kind, reason string, decider string) *models.Request {
	rule, _ := models.RuleFor(kind)
	r := &models.Request{ID: id, Kind: kind, Status: models.RequestPending, Reason: reason,
		SubmittedAt: submitted, Deadline: models.Deadline(submitted)}
	for i, sr := range rule.Chain {
		r.Steps = append(r.Steps, models.Step{ID: id*10 + uint64(i), RequestID: id, Seq: i,
			Role: sr.Role, Scope: sr.Scope, Status: models.StepWaiting})
	}
	if decider != "" {
		decided := submitted.Add(26 * time.Hour)
		s := &r.Steps[0]
		s.Status, s.DecidedBy, s.DeciderName, s.DecidedAt = models.StepApproved, "T1", decider, &decided
	}
	return r
}

func examSample(kind models.Kind, reason, code, name string) sample {
	st := student("2023150117", "武明轩", "男", class)
	r := request(101, kind, reason, "孙敏琪")
	r.CourseCode, r.CourseName, r.Phones = code, name, "13904712233"
	f := printform.Form{Request: r, Student: st, Class: class, College: college,
		Evidence:  []models.Evidence{{ID: 1, Status: models.EvidenceStored}},
		VerifyURL: "https://xuewu.example.edu.cn/h5/verify/" + printform.VerifyToken(verifyKey, r.ID),
		PrintedAt: printed}
	want := []string{"武明轩", "2023150117", "机械工程学院", "机械设计制造及其自动化23-1班",
		reason, code, name, "13904712233", "孙敏琪", "同意", "教学科研服务中心留存", "任课教师留存",
		"扫码核验申请状态", "申请编号：101", "已上传证明照片：1 张", "2025年4月1日 23:59",
		"须在提交后10日内审批完毕，否则自动撤销", "特别提示：课程代码和名称必须与个人培养方案一致"}
	return sample{kind: kind, form: f, pages: 2, want: want}
}

func statusSample(kind models.Kind, reason string, pages int) sample {
	st, c, col := student("2023150122", "阿拉坦·巴根", "男", class), class, college
	if kind == models.KindPrepRepeat {
		st, c, col = student("2025140103", "汪浩秀", "男", prepClass), prepClass, prepCollege
	}
	r := request(202, kind, reason, "侯燕")
	r.Phones = "13904712233,13704710011,0471-6576286"
	r.Details = "本人因家庭原因需要办理，情况属实。" + strings.Repeat("说明文字", 20)
	f := printform.Form{Request: r, Student: st, Class: c, College: col,
		VerifyURL: "https://xuewu.example.edu.cn/h5/verify/" + printform.VerifyToken(verifyKey, r.ID),
		PrintedAt: printed}
	rule, _ := models.RuleFor(kind)
	want := []string{st.Name, st.No, col.Name, c.Name, reason, rule.ChangeType,
		"13904712233", "13704710011", "0471-6576286", "本人因家庭原因需要办理", "侯燕",
		"内蒙古工业大学学籍异动申请表", "扫码核验申请状态", "须在提交后10日内审批完毕"}
	return sample{kind: kind, form: f, pages: pages, want: want}
}

// samples returns one sample of each of the seven kinds.
func samples() []sample {
	exemption := examSample(models.KindExemption, "退役士兵", "200101", "军事理论")
	exemption.form.CourseCollege = sports
	exemption.want = append(exemption.want, "95（优秀）", "体育教学部", "免考申请表")

	demotion := statusSample(models.KindDemotion, "未过课程过多降级", 3)
	demotion.form.Request.TargetClass = lowerClass.Code
	demotion.form.TargetClass = lowerClass
	demotion.want = append(demotion.want, "异动后班级", lowerClass.Name, "第3联")

	prep := statusSample(models.KindPrepRepeat, "预科未达结业要求", 3)
	prep.want = append(prep.want, "第1联 · 共3联")

	return []sample{
		examSample(models.KindDeferral, "事假-参赛", "150231", "机械原理"),
		exemption,
		statusSample(models.KindSuspension, "入伍", 1),
		statusSample(models.KindResumption, "退役", 1),
		statusSample(models.KindWithdrawal, "个人原因", 1),
		demotion,
		prep,
	}
}

// requireTool fails the test when a command the test needs is missing:
// CI installs it, so a missing one must not pass as a skipped test.
func requireTool(t *testing.T, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install Debian's %s (apt-get install %s; .ci/run does)",
			name, pkg, pkg)
	}
}

// writePDF renders the form into a file in a temporary folder.
func writePDF(t *testing.T, f printform.Form) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, printform.PDF(&buf, f))
	path := filepath.Join(t.TempDir(), "form.pdf")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), name, args...).CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
	return string(out)
}

// pageCount reads the page count pdfinfo reports.
func pageCount(t *testing.T, path string) int {
	t.Helper()
	for line := range strings.Lines(run(t, "pdfinfo", path)) {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			require.NoError(t, err)
			return n
		}
	}
	t.Fatalf("pdfinfo printed no page count for %s", path)
	return 0
}
