package modelstest

import (
	"testing"

	"github.com/imut/xuewu/models"
)

// Main runs a package's tests and then drops the database they used. Call
// it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if dbName == "" {
		return code
	}
	closeDB(admin)
	if server, err := models.Open(ServerURL(), "", quietLogger()); err == nil {
		server.Exec("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)")
		closeDB(server)
	}
	return code
}
