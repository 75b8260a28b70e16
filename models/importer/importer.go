// Package importer loads a school's colleges, classes, staff, students,
// courses and training plans from CSV or XLSX tables into the store.
//
// An import is all or nothing: every file is read and every row checked
// before anything is written, and the writes happen in one transaction.
// Re-importing the same tables changes nothing; changed rows are updated in
// place, keeping the WeChat binding of people and the suspension facts the
// workflow maintains.
package importer

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
)

// Table names one of the six import tables. The value is the file name
// (without extension) or sheet name the table is read from.
type Table string

// The six tables of the spec's "Import tables".
const (
	TableColleges Table = "colleges"
	TableClasses  Table = "classes"
	TableStaff    Table = "staff"
	TableStudents Table = "students"
	TableCourses  Table = "courses"
	TablePlans    Table = "plans"
)

// Tables lists the tables in the order they are checked, written and
// reported.
var Tables = []Table{
	TableColleges, TableClasses, TableStaff, TableStudents, TableCourses, TablePlans,
}

// Import loads a folder (or one file) of CSV or XLSX tables into the store.
// A folder may hold any of the six tables; references are checked against
// the database and the tables of this run together. When any row is bad it
// writes nothing and returns a *RowErrors listing every bad row.
func Import(ctx context.Context, s *models.Store, path string) (*Report, error) {
	sheets, probs, err := readPath(path)
	if err != nil {
		return nil, err
	}

	b := parse(sheets, s.SecretHash, probs)
	if probs.fileLevel {
		return nil, probs.err()
	}

	var rep *Report
	err = s.DB().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := loadExisting(tx, b)
		if err != nil {
			return err
		}

		check(b, old, probs)
		if probs.any() {
			return probs.err()
		}

		rep, err = write(tx, b, old)
		return err
	})
	var rows *RowErrors
	if errors.As(err, &rows) {
		return nil, rows
	}
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	return rep, nil
}
