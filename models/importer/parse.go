package importer

import (
	"fmt"
	"strings"

	"github.com/imut/xuewu/models"
)

// item is a value read from a table, with where it was read.
type item[T any] struct {
	at pos
	v  T
}

// batch is everything a run brings, parsed into domain values.
type batch struct {
	colleges []item[models.College]
	classes  []item[models.Class]
	staff    []item[models.Staff]
	students []item[models.Student]
	courses  []item[models.Course]
	plans    []item[models.PlanEntry]
	// sources names where each table of the run was read from.
	sources map[Table]string
}

// hasher returns the stored hash of an owner's secret (models.Store.SecretHash).
type hasher func(owner, secret string) string

// parse turns the sheets into a batch, recording every bad value and every
// duplicate key as a problem.
func parse(sheets []*sheet, hash hasher, p *problems) *batch {
	b := &batch{sources: map[Table]string{}}
	for _, sh := range sheets {
		cols, ok := columnsOf(sh, p)
		if !ok {
			continue
		}
		b.sources[sh.table] = sh.source
		for _, r := range sh.rows {
			c := &cells{sh: sh, r: r, cols: cols, at: pos{sh.source, r.line}, p: p}
			b.add(sh.table, c, hash)
		}
	}
	b.dedupe(p)
	return b
}

// add parses one row of a table into the batch.
func (b *batch) add(t Table, c *cells, hash hasher) {
	switch t {
	case TableColleges:
		b.colleges = append(b.colleges, item[models.College]{c.at, parseCollege(c)})
	case TableClasses:
		b.classes = append(b.classes, item[models.Class]{c.at, parseClass(c)})
	case TableStaff:
		b.staff = append(b.staff, item[models.Staff]{c.at, parseStaff(c, hash)})
	case TableStudents:
		b.students = append(b.students, item[models.Student]{c.at, parseStudent(c, hash)})
	case TableCourses:
		b.courses = append(b.courses, item[models.Course]{c.at, parseCourse(c)})
	case TablePlans:
		b.plans = append(b.plans, item[models.PlanEntry]{c.at, parsePlanEntry(c)})
	}
}

// columnsOf maps each column of the table to its place in the header,
// reporting missing and repeated columns. Other columns are ignored.
func columnsOf(sh *sheet, p *problems) (map[string]int, bool) {
	want := columns[sh.table]
	if sh.header == nil {
		p.addFile(sh.source, 0, "no header row; want %s", strings.Join(want, ", "))
		return nil, false
	}

	at := map[string]int{}
	ok := true
	for i, h := range sh.header.cells {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if _, seen := at[h]; seen && contains(want, h) {
			p.addFile(sh.source, sh.header.line, "column %s appears twice", h)
			ok = false
		}
		at[h] = i
	}
	for _, col := range want {
		if _, found := at[col]; !found {
			p.addFile(sh.source, sh.header.line, "missing column %s", col)
			ok = false
		}
	}
	return at, ok
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseCollege(c *cells) models.College {
	return models.College{
		Code: c.code(colCollegeCode, 16, true),
		Name: c.name(colCollegeName, 64, true),
	}
}

func parseClass(c *cells) models.Class {
	return models.Class{
		Code:        c.code(colClassCode, 16, true),
		Name:        c.name(colClassName, 64, true),
		CollegeCode: c.code(colCollegeCode, 16, true),
		Major:       c.name(colMajor, 64, false),
		Grade:       c.year(colGrade),
		Level:       c.level(colLevel),
		AdvisorNo:   c.code(colAdvisorNo, 32, false),
	}
}

func parseStaff(c *cells, hash hasher) models.Staff {
	st := models.Staff{
		No:          c.code(colStaffNo, 32, true),
		Name:        c.name(colName, 64, true),
		CollegeCode: c.code(colCollegeCode, 16, false),
		Roles:       c.roles(colRoles),
	}
	if code := c.secret(colActivation); code != "" && st.No != "" {
		st.ActivationHash = hash(st.No, code)
	}
	return st
}

func parseStudent(c *cells, hash hasher) models.Student {
	st := models.Student{
		No:         c.code(colStudentNo, 32, true),
		Name:       c.name(colName, 64, true),
		Gender:     c.name(colGender, 8, false),
		ClassCode:  c.code(colClassCode, 16, true),
		EnrolledOn: c.date(colEnrolledOn),
		Status:     c.status(colStatus),
	}
	if id := c.idLastSix(colIDLastSix); id != "" && st.No != "" {
		st.IDHash = hash(st.No, id)
	}
	return st
}

func parseCourse(c *cells) models.Course {
	return models.Course{
		Code:        c.code(colCourseCode, 32, true),
		Name:        c.name(colCourseName, 128, true),
		Credits:     c.credits(colCredits),
		CollegeCode: c.code(colCourseCollege, 16, true),
		TeacherNo:   c.code(colTeacherNo, 32, false),
	}
}

func parsePlanEntry(c *cells) models.PlanEntry {
	return models.PlanEntry{
		ClassCode:  c.code(colClassCode, 16, true),
		CourseCode: c.code(colCourseCode, 32, true),
	}
}

// dedupe drops rows without a key and reports keys given twice, keeping
// the first row of each key.
func (b *batch) dedupe(p *problems) {
	b.colleges = dedupe(b.colleges, p, func(v models.College) string {
		return keyOf(colCollegeCode, v.Code)
	})
	b.classes = dedupe(b.classes, p, func(v models.Class) string {
		return keyOf(colClassCode, v.Code)
	})
	b.staff = dedupe(b.staff, p, func(v models.Staff) string {
		return keyOf(colStaffNo, v.No)
	})
	b.students = dedupe(b.students, p, func(v models.Student) string {
		return keyOf(colStudentNo, v.No)
	})
	b.courses = dedupe(b.courses, p, func(v models.Course) string {
		return keyOf(colCourseCode, v.Code)
	})
	b.plans = dedupe(b.plans, p, func(v models.PlanEntry) string {
		if v.ClassCode == "" || v.CourseCode == "" {
			return ""
		}
		return fmt.Sprintf("plan entry %s %q, %s %q",
			colClassCode, v.ClassCode, colCourseCode, v.CourseCode)
	})
}

// keyOf describes a key for messages, or returns "" for a missing one.
func keyOf(col, v string) string {
	if v == "" {
		return ""
	}
	return fmt.Sprintf("%s %q", col, v)
}

func dedupe[T any](items []item[T], p *problems, key func(T) string) []item[T] {
	first := map[string]int{}
	kept := items[:0]
	for _, it := range items {
		k := key(it.v)
		if k == "" {
			continue
		}
		if line, seen := first[k]; seen {
			p.add(it.at, "duplicate %s (also at line %d)", k, line)
			continue
		}
		first[k] = it.at.line
		kept = append(kept, it)
	}
	return kept
}
