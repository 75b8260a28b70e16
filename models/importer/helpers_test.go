package importer_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/importer"
	"github.com/imut/xuewu/models/modelstest"
)

func TestMain(m *testing.M) { os.Exit(modelstest.Main(m)) }

// school is the fixture school of the spec, in CSV.
const school = "testdata/school"

// schoolRows are the data rows of the fixture's files (wc -l less the header).
var schoolRows = map[importer.Table]int{
	importer.TableColleges: 4, importer.TableClasses: 13, importer.TableStaff: 30,
	importer.TableStudents: 72, importer.TableCourses: 18, importer.TablePlans: 111,
}

// testHashKey makes hashes the same in every test database, so that two
// stores' rows compare equal and a test that passes once always passes.
var testHashKey = []byte("importer test hash key")

func newStore(t *testing.T) *models.Store {
	t.Helper()
	return modelstest.NewStore(t, models.WithHashKey(testHashKey))
}

func mustImport(t *testing.T, s *models.Store, path string) *importer.Report {
	t.Helper()
	rep, err := importer.Import(t.Context(), s, path)
	require.NoError(t, err)
	return rep
}

// rowErrors imports path, expects it to fail on bad rows, and returns the
// rows as the operator reads them.
func rowErrors(t *testing.T, s *models.Store, path string) []string {
	t.Helper()
	rep, err := importer.Import(t.Context(), s, path)
	require.Nil(t, rep)
	require.ErrorIs(t, err, models.ErrInvalid)
	var re *importer.RowErrors
	require.ErrorAs(t, err, &re)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, len(re.Rows))
	return lines
}

func rowsOf(rep *importer.Report) map[importer.Table]int {
	out := map[importer.Table]int{}
	for _, tr := range rep.Tables {
		out[tr.Table] = tr.Rows
	}
	return out
}

// tableCounts counts the stored rows of each table.
func tableCounts(t *testing.T, s *models.Store) map[importer.Table]int {
	t.Helper()
	tables := map[importer.Table]any{
		importer.TableColleges: &models.College{}, importer.TableClasses: &models.Class{},
		importer.TableStaff: &models.Staff{}, importer.TableStudents: &models.Student{},
		importer.TableCourses: &models.Course{}, importer.TablePlans: &models.PlanEntry{},
	}
	out := map[importer.Table]int{}
	for table, m := range tables {
		var n int64
		require.NoError(t, s.DB().WithContext(t.Context()).Model(m).Count(&n).Error)
		out[table] = int(n)
	}
	return out
}

// copySchool copies the fixture school into a folder of the test's own.
func copySchool(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(school, "*.csv"))
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o600))
	}
	return dir
}

// writeFiles writes files of the given names and contents into a new folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
	}
	return dir
}

// replaceIn replaces text in a file, failing when the text is not there.
func replaceIn(t *testing.T, path, old, replacement string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(data), old)
	data = []byte(strings.Replace(string(data), old, replacement, 1))
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return recs
}

// setRecords writes CSV records into a sheet as an operator's spreadsheet
// would hold them: dates as date cells, years and credits as numbers.
func setRecords(t *testing.T, f *excelize.File, sheet string, recs [][]string) {
	t.Helper()
	for r, rec := range recs {
		for c, v := range rec {
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			require.NoError(t, err)
			require.NoError(t, f.SetCellValue(sheet, cell, typed(t, recs[0][c], v, r)))
		}
	}
}

func typed(t *testing.T, header, v string, r int) any {
	t.Helper()
	if r == 0 {
		return v
	}
	switch header {
	case "入学日期":
		d, err := time.Parse(time.DateOnly, v)
		require.NoError(t, err)
		return d
	case "年级", "学分":
		n, err := strconv.ParseFloat(v, 64)
		require.NoError(t, err)
		return n
	}
	return v
}
