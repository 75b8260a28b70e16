package importer

import (
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
)

// existing is what the database holds of the tables a run checks against
// or changes, by primary key.
type existing struct {
	colleges map[string]models.College
	classes  map[string]models.Class
	staff    map[string]models.Staff
	courses  map[string]models.Course
	// students is loaded only when the run brings students.
	students map[string]models.Student
	// plans maps each class the run's plans name to its course codes.
	plans map[string]map[string]bool
}

// loadExisting reads, inside the run's transaction, the rows the run is
// checked against and compared with.
func loadExisting(tx *gorm.DB, b *batch) (*existing, error) {
	old := &existing{students: map[string]models.Student{}}
	var err error
	if old.colleges, err = loadAll(tx, TableColleges, collegeKey); err != nil {
		return nil, err
	}
	if old.classes, err = loadAll(tx, TableClasses, classKey); err != nil {
		return nil, err
	}
	if old.staff, err = loadAll(tx, TableStaff, staffKey); err != nil {
		return nil, err
	}
	if old.courses, err = loadAll(tx, TableCourses, courseKey); err != nil {
		return nil, err
	}
	if len(b.students) > 0 {
		if old.students, err = loadAll(tx, TableStudents, studentKey); err != nil {
			return nil, err
		}
	}
	if old.plans, err = loadPlans(tx, b.plans); err != nil {
		return nil, err
	}
	return old, nil
}

func collegeKey(v models.College) string { return v.Code }
func classKey(v models.Class) string     { return v.Code }
func staffKey(v models.Staff) string     { return v.No }
func studentKey(v models.Student) string { return v.No }
func courseKey(v models.Course) string   { return v.Code }

func loadAll[T any](tx *gorm.DB, t Table, key func(T) string) (map[string]T, error) {
	var all []T
	if err := tx.Find(&all).Error; err != nil {
		return nil, fmt.Errorf("load existing %s: %w", t, err)
	}
	m := make(map[string]T, len(all))
	for _, v := range all {
		m[key(v)] = v
	}
	return m, nil
}

// planChunk bounds the class codes of one query, well under the bind
// parameter limits of PostgreSQL and SQLite.
const planChunk = 1000

// loadPlans returns the stored plans of the classes the entries name.
func loadPlans(tx *gorm.DB, entries []item[models.PlanEntry]) (map[string]map[string]bool, error) {
	seen := map[string]bool{}
	var classes []string
	for _, it := range entries {
		if !seen[it.v.ClassCode] {
			seen[it.v.ClassCode] = true
			classes = append(classes, it.v.ClassCode)
		}
	}

	plans := map[string]map[string]bool{}
	for chunk := range slices.Chunk(classes, planChunk) {
		var rows []models.PlanEntry
		if err := tx.Where("class_code IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("load existing plans: %w", err)
		}
		for _, e := range rows {
			if plans[e.ClassCode] == nil {
				plans[e.ClassCode] = map[string]bool{}
			}
			plans[e.ClassCode][e.CourseCode] = true
		}
	}
	return plans, nil
}
