package modelstest

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
)

// NewEmbeddedDB returns a connection to a fresh embedded SQLite file in
// the test's temporary directory: the database `xuewu serve` uses when
// DATABASE_URL is unset. Its tables are not created yet.
func NewEmbeddedDB(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := models.Open("", t.TempDir(), quietLogger())
	if err != nil {
		t.Fatalf("open embedded test database: %v", err)
	}
	t.Cleanup(func() { closeDB(db) })
	return db
}

// NewEmbeddedStore returns a store over a fresh embedded SQLite file, with
// the options given: NewStore's counterpart for tests that must also pass
// on the embedded default.
func NewEmbeddedStore(t testing.TB, opts ...models.Option) *models.Store {
	t.Helper()
	s, err := models.NewStore(context.Background(), NewEmbeddedDB(t), opts...)
	if err != nil {
		t.Fatalf("new embedded store: %v", err)
	}
	return s
}
