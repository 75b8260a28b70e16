package importer

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/imut/xuewu/models"
)

// cells reads the values of one row by column name, and records what is
// wrong with them as problems of the row.
type cells struct {
	sh   *sheet
	r    row
	cols map[string]int
	at   pos
	p    *problems
}

func (c *cells) fail(format string, args ...any) { c.p.add(c.at, format, args...) }

// text returns the trimmed cell of the column; "" when the row is short.
func (c *cells) text(col string) string {
	return cellAt(c.r.cells, c.cols[col])
}

func cellAt(cells []string, i int) string {
	if i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// name returns a free-text cell such as a name, as written.
func (c *cells) name(col string, maxLen int, required bool) string {
	v := c.text(col)
	switch {
	case v == "" && required:
		c.fail("empty %s", col)
	case utf8.RuneCountInString(v) > maxLen:
		c.fail("%s %q is longer than %d characters", col, v, maxLen)
	}
	return v
}

// code returns an identifier cell (学号, 工号, a class or course code) with
// full-width characters folded to ASCII.
func (c *cells) code(col string, maxLen int, required bool) string {
	v := models.Normalize(c.text(col))
	switch {
	case v == "":
		if required {
			c.fail("empty %s", col)
		}
	case strings.Contains(v, " "):
		c.fail("%s %q contains a space", col, v)
	case utf8.RuneCountInString(v) > maxLen:
		c.fail("%s %q is longer than %d characters", col, v, maxLen)
	}
	return v
}

// year returns a 年级 such as 2025.
func (c *cells) year(col string) int {
	v := models.Normalize(c.text(col))
	if v == "" {
		c.fail("empty %s", col)
		return 0
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1900 || y > 2100 {
		c.fail("malformed %s %q (want a year such as 2025)", col, v)
		return 0
	}
	return y
}

// credits returns a 学分 such as 3 or 1.5.
func (c *cells) credits(col string) float64 {
	v := models.Normalize(c.text(col))
	if v == "" {
		c.fail("empty %s", col)
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 100 {
		c.fail("malformed %s %q (want a number such as 3 or 1.5)", col, v)
		return 0
	}
	return f
}

// dateLayouts are the written forms of a date; the single-digit month and
// day layouts also accept two digits.
var dateLayouts = []string{"2006-1-2", "2006/1/2"}

// date returns a date written as YYYY-MM-DD or YYYY/MM/DD, or held in a
// workbook's date cell, as midnight UTC.
func (c *cells) date(col string) time.Time {
	v := models.Normalize(c.text(col))
	if v == "" {
		c.fail("empty %s", col)
		return time.Time{}
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, v); err == nil && plausible(t) {
			return t
		}
	}
	if t, ok := c.serialDate(col); ok {
		return t
	}
	c.fail("malformed %s %q (want YYYY-MM-DD)", col, v)
	return time.Time{}
}

// serialDate reads a workbook date cell, which holds a day count.
func (c *cells) serialDate(col string) (time.Time, bool) {
	if !c.sh.xlsx {
		return time.Time{}, false
	}
	n, err := strconv.ParseFloat(cellAt(c.r.raw, c.cols[col]), 64)
	if err != nil {
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(n, c.sh.date1904)
	if err != nil || !plausible(t) {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
}

func plausible(t time.Time) bool { return t.Year() >= 1900 && t.Year() <= 2100 }

// level returns a 层次.
func (c *cells) level(col string) models.Level {
	v := c.text(col)
	l, ok := models.ParseLevel(v)
	if !ok {
		c.fail("unknown %s %q (want %s or %s)", col, v,
			models.LevelUndergraduate.Label(), models.LevelPrep.Label())
	}
	return l
}

// status returns a 学籍状态.
func (c *cells) status(col string) models.StudentStatus {
	v := c.text(col)
	st, ok := models.ParseStudentStatus(v)
	if !ok {
		c.fail("unknown %s %q (want %s, %s or %s)", col, v, models.StatusEnrolled.Label(),
			models.StatusSuspended.Label(), models.StatusWithdrawn.Label())
	}
	return st
}

// roles returns the 角色 cell in its stored form.
func (c *cells) roles(col string) string {
	parts := strings.FieldsFunc(c.text(col), func(r rune) bool {
		return strings.ContainsRune(roleSeparators, r)
	})
	var roles []models.Role
	given := 0
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		given++
		r, ok := models.ParseRole(part)
		if !ok {
			c.fail("unknown role %q (want %s)", part, roleNames)
			continue
		}
		roles = append(roles, r)
	}
	if given == 0 {
		c.fail("empty %s", col)
	}
	return models.JoinRoles(roles)
}

// secret returns a secret cell (an activation code) normalised, reporting
// problems without its value.
func (c *cells) secret(col string) string {
	v := models.Normalize(c.text(col))
	if v == "" {
		c.fail("empty %s", col)
	}
	return v
}

var idLastSixRe = regexp.MustCompile(`^[0-9]{5}[0-9X]$`)

// idLastSix returns the last six characters of an ID number, reporting
// problems without its value.
func (c *cells) idLastSix(col string) string {
	v := strings.ToUpper(models.Normalize(c.text(col)))
	switch {
	case v == "":
		c.fail("empty %s", col)
	case !idLastSixRe.MatchString(v):
		c.fail("%s is not 6 characters of digits with an optional final X (has %d characters)",
			col, utf8.RuneCountInString(v))
	}
	return v
}
