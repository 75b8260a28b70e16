package modelstest

import (
	"fmt"
	"testing"

	"github.com/imut/xuewu/models"
)

// Main runs a package's tests and then drops the template database the
// package's tests were cloned from. Call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if templateName != "" {
		if admin, err := models.Open(ServerURL(), "", quietLogger()); err == nil {
			admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", templateName))
			closeDB(admin)
		}
	}
	return code
}
