package importer

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/imut/xuewu/models"
)

// batchSize is how many rows one INSERT carries.
const batchSize = 500

// write stores the batch in the transaction, table by table in Tables
// order (classes before the students that reference them), and reports
// what changed.
func write(tx *gorm.DB, b *batch, old *existing) (*Report, error) {
	rep := &Report{}
	for _, t := range Tables {
		src, ok := b.sources[t]
		if !ok {
			continue
		}
		tr, err := writeTable(tx, t, b, old)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", t, err)
		}
		tr.Table, tr.Source = t, src
		rep.Tables = append(rep.Tables, tr)
	}
	return rep, nil
}

func writeTable(tx *gorm.DB, t Table, b *batch, old *existing) (TableReport, error) {
	switch t {
	case TableColleges:
		return collegeWriter.run(tx, b.colleges, old.colleges)
	case TableClasses:
		return classWriter.run(tx, b.classes, old.classes)
	case TableStaff:
		return staffWriter.run(tx, b.staff, old.staff)
	case TableStudents:
		return studentWriter.run(tx, mergeStudents(b.students, old.students), old.students)
	case TableCourses:
		return courseWriter.run(tx, b.courses, old.courses)
	case TablePlans:
		return writePlans(tx, b.plans, old.plans)
	}
	return TableReport{}, fmt.Errorf("unknown table %q", t)
}

// upsert writes one table's rows: it inserts new keys, updates changed
// rows in the listed columns only, and leaves unchanged rows alone.
type upsert[T any] struct {
	key   string
	keyOf func(T) string
	same  func(a, b T) bool
	// columns are those a re-import may change; the others keep what the
	// workflow or the binding stored.
	columns []string
}

func (u upsert[T]) run(tx *gorm.DB, items []item[T], old map[string]T) (TableReport, error) {
	tr := TableReport{Rows: len(items)}
	var rows []T
	for _, it := range items {
		prev, found := old[u.keyOf(it.v)]
		switch {
		case !found:
			tr.New++
			rows = append(rows, it.v)
		case u.same(prev, it.v):
			tr.Unchanged++
		default:
			tr.Changed++
			rows = append(rows, it.v)
		}
	}
	if len(rows) == 0 {
		return tr, nil
	}

	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: u.key}},
		DoUpdates: clause.AssignmentColumns(u.columns),
	}).CreateInBatches(rows, batchSize).Error
	return tr, err
}

func equal[T comparable](a, b T) bool { return a == b }

var collegeWriter = upsert[models.College]{
	key: "code", keyOf: collegeKey, same: equal[models.College],
	columns: []string{"name"},
}

var classWriter = upsert[models.Class]{
	key: "code", keyOf: classKey, same: equal[models.Class],
	columns: []string{"name", "college_code", "major", "grade", "level", "advisor_no"},
}

// staffWriter leaves open_id and bound_at to the binding.
var staffWriter = upsert[models.Staff]{
	key: "no", keyOf: staffKey, same: sameStaff,
	columns: []string{"name", "college_code", "roles", "activation_hash", "updated_at"},
}

// studentWriter leaves open_id and bound_at to the binding, and the
// suspension columns to the workflow.
var studentWriter = upsert[models.Student]{
	key: "no", keyOf: studentKey, same: sameStudent,
	columns: []string{
		"name", "gender", "class_code", "enrolled_on", "status", "id_hash", "updated_at",
		"imported_status", "imported_class",
	},
}

// mergeStudents keeps the status and class the workflow gave a student
// where the file repeats what the previous import said, and takes the
// file's where it says something new. It records what the file said.
func mergeStudents(items []item[models.Student], old map[string]models.Student) []item[models.Student] {
	out := make([]item[models.Student], len(items))
	for i, it := range items {
		fileStatus, fileClass := it.v.Status, it.v.ClassCode
		if prev, ok := old[studentKey(it.v)]; ok {
			if fileStatus == prev.ImportedStatus {
				it.v.Status = prev.Status
			}
			if fileClass == prev.ImportedClass {
				it.v.ClassCode = prev.ClassCode
			}
		}
		it.v.ImportedStatus, it.v.ImportedClass = fileStatus, fileClass
		out[i] = it
	}
	return out
}

var courseWriter = upsert[models.Course]{
	key: "code", keyOf: courseKey, same: equal[models.Course],
	columns: []string{"name", "credits", "college_code", "teacher_no"},
}

func sameStaff(a, b models.Staff) bool {
	return a.Name == b.Name && a.CollegeCode == b.CollegeCode && a.Roles == b.Roles &&
		a.ActivationHash == b.ActivationHash
}

func sameStudent(a, b models.Student) bool {
	return a.Name == b.Name && a.Gender == b.Gender && a.ClassCode == b.ClassCode &&
		a.Status == b.Status && a.IDHash == b.IDHash &&
		a.ImportedStatus == b.ImportedStatus && a.ImportedClass == b.ImportedClass &&
		a.EnrolledOn.Format(time.DateOnly) == b.EnrolledOn.Format(time.DateOnly)
}

// writePlans makes the plan of every class the entries name equal to the
// entries: it adds the missing courses and removes the others. Plans of
// other classes stay as they are.
func writePlans(tx *gorm.DB, items []item[models.PlanEntry],
	old map[string]map[string]bool) (TableReport, error) {
	tr := TableReport{Rows: len(items)}
	want := map[string]map[string]bool{}
	var add []models.PlanEntry
	for _, it := range items {
		e := it.v
		if want[e.ClassCode] == nil {
			want[e.ClassCode] = map[string]bool{}
		}
		want[e.ClassCode][e.CourseCode] = true
		if old[e.ClassCode][e.CourseCode] {
			tr.Unchanged++
			continue
		}
		tr.New++
		add = append(add, e)
	}

	for _, class := range slices.Sorted(maps.Keys(want)) {
		var drop []string
		for course := range old[class] {
			if !want[class][course] {
				drop = append(drop, course)
			}
		}
		if len(drop) == 0 {
			continue
		}
		err := tx.Where("class_code = ? AND course_code IN ?", class, drop).
			Delete(&models.PlanEntry{}).Error
		if err != nil {
			return tr, fmt.Errorf("remove courses from the plan of class %s: %w", class, err)
		}
		tr.Removed += len(drop)
	}

	if len(add) == 0 {
		return tr, nil
	}
	return tr, tx.CreateInBatches(add, batchSize).Error
}
