package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// sheet is one table as read from a file, before its values are checked.
type sheet struct {
	table  Table
	source string
	// xlsx is set for workbook sheets, whose date cells may hold serials.
	xlsx     bool
	date1904 bool
	header   *row
	rows     []row
}

// row is one non-blank line of a sheet.
type row struct {
	line  int
	cells []string
	// raw holds the unformatted cell values of a workbook row (a date cell
	// as its serial number); for CSV it is cells.
	raw []string
}

// add appends a row, taking the first non-blank one as the header.
func (sh *sheet) add(r row) {
	if blank(r.cells) {
		return
	}
	if sh.header == nil {
		sh.header = &r
		return
	}
	sh.rows = append(sh.rows, r)
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// reader gathers the sheets of an import path and the problems found.
type reader struct {
	sheets []*sheet
	probs  *problems
}

// readPath reads the tables of a folder or of one file. It returns an error
// only when the path itself cannot be read; problems with files are
// collected instead.
func readPath(path string) ([]*sheet, *problems, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("import: %w", err)
	}

	rd := &reader{probs: &problems{}}
	files := []string{path}
	if info.IsDir() {
		if files, err = rd.tableFiles(path); err != nil {
			return nil, nil, err
		}
	}
	for _, f := range files {
		rd.readFile(f)
	}

	rd.checkOnePerTable()
	if len(rd.sheets) == 0 && !rd.probs.any() {
		return nil, nil, fmt.Errorf("import %s: no tables found (want %s as .csv or .xlsx)",
			path, tableList())
	}
	slices.SortStableFunc(rd.sheets, func(a, b *sheet) int {
		return slices.Index(Tables, a.table) - slices.Index(Tables, b.table)
	})
	return rd.sheets, rd.probs, nil
}

// tableFiles lists the CSV and XLSX files of a folder, by name. Hidden files
// and Excel's lock files are skipped; an old-style .xls is a problem.
func (rd *reader) tableFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
			continue
		}
		switch strings.ToLower(filepath.Ext(name)) {
		case ".csv", ".xlsx":
			files = append(files, filepath.Join(dir, name))
		case ".xls":
			rd.probs.addFile(name, 0, "old Excel format; save it as .xlsx or CSV UTF-8")
		}
	}
	return files, nil
}

// readFile reads one file: a CSV table, a workbook named after a table, or
// a workbook whose sheets are named after tables.
func (rd *reader) readFile(path string) {
	src := filepath.Base(path)
	ext := strings.ToLower(filepath.Ext(path))
	t, named := tableNamed(strings.TrimSuffix(src, filepath.Ext(src)))

	switch {
	case ext == ".xlsx":
		rd.readWorkbook(path, t, named)
	case ext != ".csv":
		rd.probs.addFile(src, 0, "unsupported file type; want .csv or .xlsx")
	case !named:
		rd.probs.addFile(src, 0, "not a table name; want one of %s", tableList())
	default:
		rd.readCSV(path, t)
	}
}

// tableNamed returns the table a file or sheet name stands for.
func tableNamed(name string) (Table, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, t := range Tables {
		if string(t) == name {
			return t, true
		}
	}
	return "", false
}

func tableList() string {
	names := make([]string, len(Tables))
	for i, t := range Tables {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// checkOnePerTable reports a table given by more than one file or sheet.
func (rd *reader) checkOnePerTable() {
	first := map[Table]string{}
	kept := rd.sheets[:0]
	for _, sh := range rd.sheets {
		if src, ok := first[sh.table]; ok {
			rd.probs.addFile(sh.source, 0, "table %s given twice; also in %s", sh.table, src)
			continue
		}
		first[sh.table] = sh.source
		kept = append(kept, sh)
	}
	rd.sheets = kept
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV reads a UTF-8 CSV file, with or without a byte-order mark.
func (rd *reader) readCSV(path string, t Table) {
	src := filepath.Base(path)
	f, err := os.Open(filepath.Clean(path))
	if err != nil {
		rd.probs.addFile(src, 0, "cannot open: %v", err)
		return
	}
	defer f.Close()

	br := bufio.NewReader(f)
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1

	sh := &sheet{table: t, source: src}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rd.probs.addFile(src, pe.StartLine, "malformed CSV: %v", pe.Err)
			return
		}
		if err != nil {
			rd.probs.addFile(src, 0, "cannot read: %v", err)
			return
		}

		line, _ := cr.FieldPos(0)
		if !utf8.ValidString(strings.Join(rec, "")) {
			rd.probs.addFile(src, line, "not UTF-8 text; save the file as CSV UTF-8")
			return
		}
		sh.add(row{line: line, cells: rec, raw: rec})
	}
	rd.sheets = append(rd.sheets, sh)
}

// readWorkbook reads an XLSX file. A workbook named after a table holds it
// in the sheet of that name or else in its first sheet; any other workbook
// holds one table per sheet named after it.
func (rd *reader) readWorkbook(path string, t Table, named bool) {
	src := filepath.Base(path)
	f, err := excelize.OpenFile(path)
	if err != nil {
		rd.probs.addFile(src, 0, "cannot read as an XLSX workbook: %v", err)
		return
	}
	defer f.Close()

	names := f.GetSheetList()
	if named {
		name := names[0]
		for _, n := range names {
			if nt, ok := tableNamed(n); ok && nt == t {
				name = n
			}
		}
		rd.readSheet(f, src, name, t)
		return
	}

	found := false
	for _, n := range names {
		if nt, ok := tableNamed(n); ok {
			rd.readSheet(f, src, n, nt)
			found = true
		}
	}
	if !found {
		rd.probs.addFile(src, 0, "no sheet named %s", tableList())
	}
}

// readSheet reads one sheet of a workbook, both as displayed and raw.
func (rd *reader) readSheet(f *excelize.File, file, name string, t Table) {
	src := fmt.Sprintf("%s[%s]", file, name)
	text, err := sheetRows(f, name, excelize.Options{})
	if err != nil {
		rd.probs.addFile(src, 0, "cannot read sheet: %v", err)
		return
	}
	raw, err := sheetRows(f, name, excelize.Options{RawCellValue: true})
	if err != nil {
		rd.probs.addFile(src, 0, "cannot read sheet: %v", err)
		return
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		rd.probs.addFile(src, 0, "cannot read workbook properties: %v", err)
		return
	}

	sh := &sheet{table: t, source: src, xlsx: true}
	sh.date1904 = props.Date1904 != nil && *props.Date1904
	for i, cells := range text {
		r := row{line: i + 1, cells: cells}
		if i < len(raw) {
			r.raw = raw[i]
		}
		sh.add(r)
	}
	rd.sheets = append(rd.sheets, sh)
}

// sheetRows returns the rows of a sheet, row n at index n-1, blank rows
// included.
func sheetRows(f *excelize.File, name string, opts excelize.Options) ([][]string, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var out [][]string
	for rows.Next() {
		cols, err := rows.Columns(opts)
		if err != nil {
			return nil, err
		}
		out = append(out, cols)
	}
	return out, rows.Error()
}
