package h5

// The SQL of the pages that the store has no method for. Each query is a
// plain function over the store's database handle, so that it can move
// into models as a Store method unchanged.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
)

// maxPending caps the pending list.
const maxPending = 200

// pendingFor returns the pending requests whose current step (the first
// waiting one) has a role the staff member holds and a scope that may be
// theirs, soonest deadline first, with their steps. It narrows the search
// in SQL; callers confirm each request with Store.CanDecide.
func pendingFor(ctx context.Context, db *gorm.DB, staff *models.Staff) ([]models.Request, error) {
	roles := strings.Split(staff.Roles, ";")
	var out []models.Request
	err := db.WithContext(ctx).
		Preload("Steps", func(db *gorm.DB) *gorm.DB { return db.Order("seq, id") }).
		Joins("JOIN steps cur ON cur.request_id = requests.id AND cur.status = ?",
			models.StepWaiting).
		Where("requests.status = ?", models.RequestPending).
		Where("NOT EXISTS (SELECT 1 FROM steps e WHERE e.request_id = requests.id "+
			"AND e.status = ? AND e.seq < cur.seq)", models.StepWaiting).
		Where("cur.role IN ?", roles).
		Where("(cur.scope = ? AND cur.scope_code IN "+
			"(SELECT code FROM classes WHERE advisor_no = ?))"+
			" OR (cur.scope IN ? AND cur.scope_code = ?) OR cur.scope = ?",
			models.ScopeClass, staff.No,
			[]models.Scope{models.ScopeCollege, models.ScopeCourseCollege}, staff.CollegeCode,
			models.ScopeSchool).
		Order("requests.deadline, requests.id").Limit(maxPending).
		Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list pending requests of %s: %w", staff.No, err)
	}
	return out, nil
}

// studentsByNo returns the students with the given 学号, with classes.
func studentsByNo(ctx context.Context, db *gorm.DB,
	nos []string) (map[string]models.Student, error) {
	var sts []models.Student
	if len(nos) > 0 {
		err := db.WithContext(ctx).Preload("Class").Where("no IN ?", nos).Find(&sts).Error
		if err != nil {
			return nil, fmt.Errorf("load students: %w", err)
		}
	}
	out := make(map[string]models.Student, len(sts))
	for _, st := range sts {
		out[st.No] = st
	}
	return out, nil
}

// staffNames returns the names of the staff members with the given 工号.
func staffNames(ctx context.Context, db *gorm.DB, nos []string) (map[string]string, error) {
	var sf []models.Staff
	if len(nos) > 0 {
		err := db.WithContext(ctx).Select("no", "name").Where("no IN ?", nos).Find(&sf).Error
		if err != nil {
			return nil, fmt.Errorf("load staff names: %w", err)
		}
	}
	out := make(map[string]string, len(sf))
	for _, s := range sf {
		out[s.No] = s.Name
	}
	return out, nil
}

// collegeByCode returns a college, or ErrNotFound.
func collegeByCode(ctx context.Context, db *gorm.DB, code string) (*models.College, error) {
	return first[models.College](ctx, db, "college "+code, "code = ?", code)
}

// classByCode returns a class, or ErrNotFound.
func classByCode(ctx context.Context, db *gorm.DB, code string) (*models.Class, error) {
	return first[models.Class](ctx, db, "class "+code, "code = ?", code)
}

// courseCollege returns the college that offers a course, or ErrNotFound.
func courseCollege(ctx context.Context, db *gorm.DB, courseCode string) (*models.College, error) {
	return first[models.College](ctx, db, "college of course "+courseCode,
		"code = (SELECT college_code FROM courses WHERE code = ?)", courseCode)
}

// first returns the one row of T that the condition selects, or
// models.ErrNotFound.
func first[T any](ctx context.Context, db *gorm.DB, what, cond string, args ...any) (*T, error) {
	var rows []T
	if err := db.WithContext(ctx).Where(cond, args...).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load %s: %w", what, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: %w", what, models.ErrNotFound)
	}
	return &rows[0], nil
}

// missingOK lets a not-found pass: for values a page can do without.
func missingOK(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	return err
}

// schoolClasses returns every class of the school with its college's
// name, by college and code: the choices of a demotion's new class.
func schoolClasses(ctx context.Context, db *gorm.DB) ([]classRow, error) {
	var rows []classRow
	err := db.WithContext(ctx).Model(&models.Class{}).
		Select("classes.code, classes.name, classes.college_code, colleges.name AS college_name").
		Joins("LEFT JOIN colleges ON colleges.code = classes.college_code").
		Order("classes.college_code, classes.code").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load classes: %w", err)
	}
	return rows, nil
}

// classRow is a class with the name of its college.
type classRow struct {
	Code        string
	Name        string
	CollegeCode string
	CollegeName string
}
