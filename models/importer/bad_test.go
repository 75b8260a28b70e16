package importer_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/importer"
)

func TestImportWithBadRowsWritesNothingAndListsEveryRow(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	mustImport(t, s, school)
	dir := writeFiles(t, map[string]string{
		"colleges.csv": "学院代码,学院名称\n18,文法学院\n19,\n",
		"classes.csv": "班级代码,班级名称,学院代码,专业,年级,层次,班主任工号\n" +
			"182501,法学25-1班,99,法学,2025,本科,T1574\n" +
			"182502,法学25-2班,18,法学,二〇二五,专科,T9999\n" +
			"182503,法学25-3班,18,法学,2025,本科,T1554\n",
		"staff.csv": "工号,姓名,学院代码,角色,激活码\n" +
			"T1800,王五,18,校长,ABCD1234\n" +
			"T1801,赵六,18,任课教师,\n" +
			"T1593,史帆,15,任课教师,VFSZLYQX\n",
		"students.csv": "学号,姓名,性别,班级代码,入学日期,学籍状态,身份证后六位\n" +
			"2025180101,甲,男,142501,2025-13-01,在读,123456\n" +
			"2025180101,乙,女,142501,2025-09-01,在读,654321\n" +
			"2025180102,丙,女,000000,2025-09-01,毕业,98765\n",
		"courses.csv": "课程代码,课程名称,学分,开课学院代码,任课教师工号\n" +
			"180001,法理学,三,18,T9999\n",
		"plans.csv": "班级代码,课程代码\n142501,999999\n",
	})

	got := rowErrors(t, s, dir)

	require.Equal(t, []string{
		`classes.csv:2: unknown college code "99"`,
		`classes.csv:3: malformed 年级 "二〇二五" (want a year such as 2025)`,
		`classes.csv:3: unknown 层次 "专科" (want 本科 or 预科)`,
		`classes.csv:3: unknown advisor 工号 "T9999"`,
		`classes.csv:4: advisor "T1554" does not hold the role 班主任`,
		`colleges.csv:3: empty 学院名称`,
		`courses.csv:2: malformed 学分 "三" (want a number such as 3 or 1.5)`,
		`courses.csv:2: unknown teacher 工号 "T9999"`,
		`plans.csv:2: unknown course code "999999"`,
		`staff.csv:2: unknown role "校长" (want 班主任, 主管院长, 教学科研服务中心, 学籍管理科, 任课教师, 管理员)`,
		`staff.csv:3: empty 激活码`,
		`staff.csv:4: 角色 lacks 班主任, but "T1593" advises class 152301`,
		`students.csv:2: malformed 入学日期 "2025-13-01" (want YYYY-MM-DD)`,
		`students.csv:3: duplicate 学号 "2025180101" (also at line 2)`,
		`students.csv:4: unknown 学籍状态 "毕业" (want 在读, 休学 or 退学)`,
		`students.csv:4: 身份证后六位 is not 6 characters of digits with an optional final X ` +
			`(has 5 characters)`,
		`students.csv:4: unknown class code "000000"`,
	}, got)
	all := strings.Join(got, "\n")
	require.NotContains(t, all, "98765", "an error shows ID digits")
	require.NotContains(t, all, "ABCD1234", "an error shows an activation code")

	require.Equal(t, schoolRows, tableCounts(t, s))
	var n int64
	require.NoError(t, s.DB().Model(&models.College{}).Where("code = ?", "18").Count(&n).Error)
	require.Zero(t, n, "the good college of a bad run was written")
	staff, err := s.StaffByNo(t.Context(), "T1593")
	require.NoError(t, err)
	require.Equal(t, "advisor", staff.Roles)
}

func TestImportOfUnreadableFilesNamesFileAndColumn(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	dir := writeFiles(t, map[string]string{
		"colleges.csv": "学院代码,学院名称\n18,文法学院\n",
		"students.csv": "学号,姓名,性别,班级代码,入学日期,学籍状态\n2025180101,甲,男,142501,2025-09-01,在读\n",
		"student.csv":  "学号\n",
		"courses.csv":  "课程代码,课程名称,学分,开课学院代码,任课教师工号\n\"180001,法理学\n",
		"plans.csv":    "班级代码,课程代码\n\xb0\xe0,1\n",
		"staff.xls":    "",
	})

	got := rowErrors(t, s, dir)

	require.Equal(t, []string{
		`courses.csv:2: malformed CSV: extraneous or missing " in quoted-field`,
		`plans.csv:2: not UTF-8 text; save the file as CSV UTF-8`,
		`staff.xls: old Excel format; save it as .xlsx or CSV UTF-8`,
		`student.csv: not a table name; want one of ` +
			`colleges, classes, staff, students, courses, plans`,
		`students.csv:1: missing column 身份证后六位`,
	}, got)
	require.Zero(t, tableCounts(t, s)[importer.TableColleges])
}

func TestImportNormalisesCells(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	dir := writeFiles(t, map[string]string{
		"colleges.csv": "\uFEFF学院名称,学院代码,备注\n\u3000文法学院 ,１８,new\n",
		"staff.csv": "工号,姓名,学院代码,角色,激活码\n" +
			"Ｔ１８００, 王五 ,18,任课教师；班主任、管理员, abcd1234 \n",
	})

	mustImport(t, s, dir)

	var c models.College
	require.NoError(t, s.DB().First(&c, "code = ?", "18").Error)
	require.Equal(t, "文法学院", c.Name)
	staff, err := s.StaffByNo(t.Context(), "T1800")
	require.NoError(t, err)
	require.Equal(t, "王五", staff.Name)
	require.Equal(t, "advisor;teacher;admin", staff.Roles)
	require.Equal(t, s.SecretHash("T1800", "ABCD1234"), staff.ActivationHash)
}

func TestImportIntoTheEmbeddedSQLite(t *testing.T) {
	t.Parallel()
	db, err := models.Open("", t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	s, err := models.NewStore(t.Context(), db)
	require.NoError(t, err)
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})

	first := mustImport(t, s, school)
	again := mustImport(t, s, school)

	require.Equal(t, schoolRows, rowsOf(first))
	require.Equal(t, schoolRows, tableCounts(t, s))
	for _, tr := range again.Tables {
		require.Equal(t, tr.Rows, tr.Unchanged, tr.String())
	}
}
