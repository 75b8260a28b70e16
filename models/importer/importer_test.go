package importer_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/importer"
)

func TestImportLoadsTheFixtureSchool(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()

	rep := mustImport(t, s, school)

	require.Equal(t, schoolRows, rowsOf(rep))
	for _, tr := range rep.Tables {
		require.Equal(t, tr.Rows, tr.New, tr.String())
	}
	require.Equal(t, schoolRows, tableCounts(t, s))

	st, err := s.StudentByNo(ctx, "2025140101")
	require.NoError(t, err)
	require.Equal(t, "胡敏娟", st.Name)
	require.Equal(t, s.SecretHash("2025140101", "220269"), st.IDHash)
	require.Equal(t, "2025-09-01", st.EnrolledOn.Format(time.DateOnly))
	require.Equal(t, models.StatusEnrolled, st.Status)
	require.Equal(t, models.LevelPrep, st.Class.Level)

	suspended, err := s.StudentByNo(ctx, "2024150104")
	require.NoError(t, err)
	require.Equal(t, models.StatusSuspended, suspended.Status)
	require.Equal(t, s.SecretHash("2024150104", "95206x"), suspended.IDHash)

	staff, err := s.StaffByNo(ctx, "T1558")
	require.NoError(t, err)
	require.Equal(t, "registrar;admin", staff.Roles)
	require.Equal(t, s.SecretHash("T1558", "VMGNZGED"), staff.ActivationHash)

	plan, err := s.PlanCourses(ctx, "142501")
	require.NoError(t, err)
	require.Equal(t, []string{"140152", "140159", "140164"}, courseCodes(plan))
	require.Equal(t, "预科英语（一）", plan[1].Name)
	require.InDelta(t, 3.0, plan[1].Credits, 0)
}

func TestImportStoresNoSecret(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	mustImport(t, s, school)

	require.Zero(t, rowsHolding(t, s, &models.Student{}, "220269"),
		"a students column holds the ID digits")
	require.Zero(t, rowsHolding(t, s, &models.Staff{}, "VMGNZGED"),
		"a staff column holds the activation code")
}

// rowsHolding counts the rows of a model's table with any column that
// contains text, whatever the case.
func rowsHolding(t *testing.T, s *models.Store, model any, text string) int64 {
	t.Helper()
	db := s.DB().WithContext(t.Context())
	stmt := &gorm.Statement{DB: db}
	require.NoError(t, stmt.Parse(model))
	var n int64
	q := fmt.Sprintf("SELECT count(*) FROM %[1]s WHERE %[1]s::text ILIKE ?", stmt.Table)
	require.NoError(t, db.Raw(q, "%"+text+"%").Scan(&n).Error)
	return n
}

func TestReimportOfTheSameFolderChangesNothing(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	first := mustImport(t, s, school)
	before, err := s.StaffByNo(t.Context(), "T1558")
	require.NoError(t, err)

	again := mustImport(t, s, school)

	require.Equal(t, rowsOf(first), rowsOf(again))
	for _, tr := range again.Tables {
		require.Equal(t, tr.Rows, tr.Unchanged, tr.String())
		require.Zero(t, tr.New+tr.Changed+tr.Removed, tr.String())
	}
	require.Equal(t, schoolRows, tableCounts(t, s))
	after, err := s.StaffByNo(t.Context(), "T1558")
	require.NoError(t, err)
	require.True(t, before.UpdatedAt.Equal(after.UpdatedAt), "unchanged row was rewritten")
}

func TestReimportUpdatesAChangedName(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	dir := copySchool(t)
	mustImport(t, s, dir)

	replaceIn(t, filepath.Join(dir, "students.csv"), "2025140101,胡敏娟,", "2025140101,胡敏,")
	replaceIn(t, filepath.Join(dir, "courses.csv"), "140152,预科数学,4,", "140152,预科数学,5,")
	rep := mustImport(t, s, dir)

	students, _ := rep.Table(importer.TableStudents)
	require.Equal(t, 1, students.Changed)
	require.Equal(t, 71, students.Unchanged)
	courses, _ := rep.Table(importer.TableCourses)
	require.Equal(t, 1, courses.Changed)
	st, err := s.StudentByNo(t.Context(), "2025140101")
	require.NoError(t, err)
	require.Equal(t, "胡敏", st.Name)
	plan, err := s.PlanCourses(t.Context(), "142501")
	require.NoError(t, err)
	require.InDelta(t, 5.0, plan[0].Credits, 0)
}

func TestReimportKeepsBindingAndSuspension(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	dir := copySchool(t)
	mustImport(t, s, dir)

	bound := time.Date(2025, 10, 8, 9, 30, 0, 0, time.UTC)
	until := time.Date(2026, 10, 8, 0, 0, 0, 0, time.UTC)
	db := s.DB().WithContext(ctx)
	require.NoError(t, db.Model(&models.Student{}).Where("no = ?", "2024150104").
		Updates(map[string]any{
			"open_id": "o-student", "bound_at": bound, "suspended_until": until,
			"suspend_reason": "因病", "suspend_study_year": 2, "prep_repeats": 1,
		}).Error)
	require.NoError(t, db.Model(&models.Staff{}).Where("no = ?", "T1558").
		Updates(map[string]any{"open_id": "o-staff", "bound_at": bound}).Error)

	replaceIn(t, filepath.Join(dir, "students.csv"), "2024150104,朱红,", "2024150104,朱虹,")
	replaceIn(t, filepath.Join(dir, "staff.csv"), "T1558,侯燕,", "T1558,侯艳,")
	mustImport(t, s, dir)

	st, err := s.StudentByNo(ctx, "2024150104")
	require.NoError(t, err)
	require.Equal(t, "朱虹", st.Name)
	require.Equal(t, "o-student", *st.OpenID)
	require.True(t, bound.Equal(*st.BoundAt))
	require.True(t, until.Equal(*st.SuspendedUntil))
	require.Equal(t, "因病", st.SuspendReason)
	require.Equal(t, 2, st.SuspendStudyYear)
	require.Equal(t, 1, st.PrepRepeats)

	staff, err := s.StaffByNo(ctx, "T1558")
	require.NoError(t, err)
	require.Equal(t, "侯艳", staff.Name)
	require.Equal(t, "o-staff", *staff.OpenID)
	require.True(t, bound.Equal(*staff.BoundAt))
}

func TestReimportReplacesThePlansOfTheClassesInTheFile(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	mustImport(t, s, school)

	dir := writeFiles(t, map[string]string{
		"plans.csv": "班级代码,课程代码\n142501,140152\n142501,000196\n",
	})
	rep := mustImport(t, s, dir)

	plans, _ := rep.Table(importer.TablePlans)
	require.Equal(t, importer.TableReport{
		Table: importer.TablePlans, Source: "plans.csv",
		Rows: 2, New: 1, Unchanged: 1, Removed: 2,
	}, plans)
	plan, err := s.PlanCourses(ctx, "142501")
	require.NoError(t, err)
	require.Equal(t, []string{"000196", "140152"}, courseCodes(plan))
	other, err := s.PlanCourses(ctx, "152301")
	require.NoError(t, err)
	require.Len(t, other, 9, "the plan of a class not in the file changed")
}

func TestImportOfSomeTablesChecksTheDatabase(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	mustImport(t, s, school)
	header := "学号,姓名,性别,班级代码,入学日期,学籍状态,身份证后六位\n"

	bad := writeFiles(t, map[string]string{
		"students.csv": header + "2025140199,新同学,女,142599,2025-09-01,在读,123456\n",
	})
	require.Equal(t, []string{`students.csv:2: unknown class code "142599"`},
		rowErrors(t, s, bad))

	good := writeFiles(t, map[string]string{
		"students.csv": header + "2025140199,新同学,女,142501,2025/9/1,在读,123456\n",
	})
	rep := mustImport(t, s, good)

	require.Len(t, rep.Tables, 1)
	require.Equal(t, 1, rep.Tables[0].New)
	st, err := s.StudentByNo(t.Context(), "2025140199")
	require.NoError(t, err)
	require.Equal(t, "2025-09-01", st.EnrolledOn.Format(time.DateOnly))
}

func TestImportOfAWorkbookLoadsTheSameAsCSV(t *testing.T) {
	t.Parallel()
	fromCSV, fromXLSX := newStore(t), newStore(t)
	mustImport(t, fromCSV, school)

	f := excelize.NewFile()
	for i, table := range importer.Tables {
		name := string(table)
		if i == 0 {
			require.NoError(t, f.SetSheetName("Sheet1", name))
		} else {
			_, err := f.NewSheet(name)
			require.NoError(t, err)
		}
		setRecords(t, f, name, readCSV(t, filepath.Join(school, name+".csv")))
	}
	path := filepath.Join(t.TempDir(), "school.xlsx")
	require.NoError(t, f.SaveAs(path))
	require.NoError(t, f.Close())

	rep := mustImport(t, fromXLSX, path)

	require.Equal(t, schoolRows, rowsOf(rep))
	students, _ := rep.Table(importer.TableStudents)
	require.Equal(t, "school.xlsx[students]", students.Source)
	require.Equal(t, dump(t, fromCSV), dump(t, fromXLSX))
}

func TestImportOfATableNamedWorkbookReportsSheetRows(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	mustImport(t, s, school)
	header := []string{"学号", "姓名", "性别", "班级代码", "入学日期", "学籍状态", "身份证后六位"}
	write := func(status string) string {
		f := excelize.NewFile()
		setRecords(t, f, "Sheet1", [][]string{
			header,
			{"2025140198", "甲", "男", "142501", "2025-09-01", "在读", "123456"},
			{"2025140199", "乙", "女", "142501", "2025-09-01", status, "65432X"},
		})
		path := filepath.Join(t.TempDir(), "students.xlsx")
		require.NoError(t, f.SaveAs(path))
		require.NoError(t, f.Close())
		return path
	}

	require.Equal(t, []string{
		`students.xlsx[Sheet1]:3: unknown 学籍状态 "毕业" (want 在读, 休学 or 退学)`,
	}, rowErrors(t, s, write("毕业")))
	require.Equal(t, schoolRows, tableCounts(t, s))

	rep := mustImport(t, s, write("休学"))
	require.Equal(t, 2, rep.Tables[0].New)
	st, err := s.StudentByNo(t.Context(), "2025140199")
	require.NoError(t, err)
	require.Equal(t, models.StatusSuspended, st.Status)
	require.Equal(t, "2025-09-01", st.EnrolledOn.Format(time.DateOnly))
}

func courseCodes(cs []models.Course) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

// schoolDump is what a store holds of a school, without timestamps.
type schoolDump struct {
	Colleges []models.College
	Classes  []models.Class
	Staff    []models.Staff
	Students []models.Student
	Courses  []models.Course
	Plans    []models.PlanEntry
}

func dump(t *testing.T, s *models.Store) schoolDump {
	t.Helper()
	db := s.DB().WithContext(t.Context())
	var d schoolDump
	require.NoError(t, db.Order("code").Find(&d.Colleges).Error)
	require.NoError(t, db.Order("code").Find(&d.Classes).Error)
	require.NoError(t, db.Order("no").Find(&d.Staff).Error)
	require.NoError(t, db.Order("no").Find(&d.Students).Error)
	require.NoError(t, db.Order("code").Find(&d.Courses).Error)
	require.NoError(t, db.Order("class_code, course_code").Find(&d.Plans).Error)
	for i := range d.Staff {
		d.Staff[i].UpdatedAt = time.Time{}
	}
	for i := range d.Students {
		d.Students[i].UpdatedAt = time.Time{}
	}
	return d
}

func TestReimportKeepsWhatTheWorkflowChanged(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	dir := copySchool(t)
	mustImport(t, s, dir)

	// The workflow grants a suspension and a demotion after the import.
	db := s.DB().WithContext(ctx)
	require.NoError(t, db.Model(&models.Student{}).Where("no = ?", "2023150101").
		Update("status", models.StatusSuspended).Error)
	require.NoError(t, db.Model(&models.Student{}).Where("no = ?", "2023150102").
		Update("class_code", "152401").Error)

	rep := mustImport(t, s, dir)
	students, _ := rep.Table(importer.TableStudents)
	require.Equal(t, 72, students.Unchanged, "the same file changes nothing")
	st, err := s.StudentByNo(ctx, "2023150101")
	require.NoError(t, err)
	require.Equal(t, models.StatusSuspended, st.Status)
	st, err = s.StudentByNo(ctx, "2023150102")
	require.NoError(t, err)
	require.Equal(t, "152401", st.ClassCode)

	// A file that says something new wins.
	replaceIn(t, filepath.Join(dir, "students.csv"),
		"2023150101,武杰,女,152301,2023-09-01,在读,", "2023150101,武杰,女,152301,2023-09-01,退学,")
	mustImport(t, s, dir)
	st, err = s.StudentByNo(ctx, "2023150101")
	require.NoError(t, err)
	require.Equal(t, models.StatusWithdrawn, st.Status)
}
