package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/imut/xuewu/models"
)

// RowError is one thing wrong with an import file: where, and what.
type RowError struct {
	// Source names the file, and for a workbook the sheet:
	// "students.csv" or "school.xlsx[students]".
	Source string
	// Line is the line of a CSV file or the row of a sheet, the header
	// being 1; 0 when the problem concerns the whole file.
	Line int
	// Reason says what is wrong, in English, without secret values.
	Reason string
}

// Error returns the problem as "file:line: reason".
func (e RowError) Error() string {
	if e.Line == 0 {
		return e.Source + ": " + e.Reason
	}
	return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Reason)
}

// RowErrors is the error of an import that found bad rows and therefore
// wrote nothing. It wraps models.ErrInvalid.
type RowErrors struct {
	// Rows lists every problem, by file and then line.
	Rows []RowError
}

// Error returns the problems one per line.
func (e *RowErrors) Error() string {
	lines := make([]string, len(e.Rows))
	for i, r := range e.Rows {
		lines[i] = r.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns models.ErrInvalid, the cause of every row error.
func (e *RowErrors) Unwrap() error { return models.ErrInvalid }

// pos is where a row was read.
type pos struct {
	source string
	line   int
}

// problems collects what is wrong with a run.
type problems struct {
	rows []RowError
	// fileLevel is set when a whole file could not be read as a table, so
	// that checking references against the tables would mislead.
	fileLevel bool
}

// add records a problem of one row.
func (p *problems) add(at pos, format string, args ...any) {
	p.rows = append(p.rows, RowError{
		Source: at.source, Line: at.line, Reason: fmt.Sprintf(format, args...),
	})
}

// addFile records a problem that keeps a whole file from being read; line
// is 0 or the line where reading stopped.
func (p *problems) addFile(source string, line int, format string, args ...any) {
	p.add(pos{source, line}, format, args...)
	p.fileLevel = true
}

func (p *problems) any() bool { return len(p.rows) > 0 }

// err returns the problems as a *RowErrors sorted by file and line.
func (p *problems) err() error {
	rows := slices.Clone(p.rows)
	slices.SortStableFunc(rows, func(a, b RowError) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Line, b.Line))
	})
	return &RowErrors{Rows: rows}
}
