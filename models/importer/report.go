package importer

import "fmt"

// Report says what an import did, table by table.
type Report struct {
	// Tables holds one entry per table the import brought, in Tables order.
	Tables []TableReport
}

// Table returns the report of one table, and false when the import did
// not bring it.
func (r *Report) Table(t Table) (TableReport, bool) {
	for _, tr := range r.Tables {
		if tr.Table == t {
			return tr, true
		}
	}
	return TableReport{}, false
}

// TableReport counts the rows of one table.
type TableReport struct {
	Table Table
	// Source is the file, or workbook and sheet, the table was read from.
	Source string
	// Rows is the number of data rows read.
	Rows int
	// New, Changed and Unchanged split Rows: rows whose key was not yet
	// stored, rows that updated a stored one, and rows equal to it.
	New, Changed, Unchanged int
	// Removed counts plan entries dropped because their class's plan in the
	// file no longer has them; it is 0 for the other tables.
	Removed int
}

// String sums the table up in one line, e.g.
// "students: 72 rows (3 new, 1 changed, 68 unchanged) from students.csv".
func (t TableReport) String() string {
	s := fmt.Sprintf("%s: %d rows (%d new, %d changed, %d unchanged", t.Table, t.Rows,
		t.New, t.Changed, t.Unchanged)
	if t.Table == TablePlans {
		s += fmt.Sprintf(", %d removed", t.Removed)
	}
	return s + ") from " + t.Source
}
