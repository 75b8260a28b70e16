// Package modelstest gives tests their own database on the real
// PostgreSQL, and factories for the people and courses a test needs.
package modelstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
)

// DefaultURL is the PostgreSQL server tests use unless TEST_DATABASE_URL
// names another.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// ServerURL returns the URL of the test server's maintenance database.
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// DatabaseURL returns the URL of the named database on the test server.
func DatabaseURL(name string) string {
	u, err := url.Parse(ServerURL())
	if err != nil {
		panic(fmt.Sprintf("TEST_DATABASE_URL: %v", err))
	}
	u.Path = "/" + name
	return u.String()
}

// NewDatabase creates an empty database with the schema in place, cloned
// from a template made once per test binary, drops it when the test ends,
// and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	templateOnce.Do(func() { templateName, templateErr = makeTemplate() })
	if templateErr != nil {
		t.Fatalf("make template database: %v", templateErr)
	}

	name := "xuewu_t_" + randomSuffix()
	admin := openURL(t, ServerURL())
	if err := admin.Exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, templateName)).Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
		closeDB(admin)
	})
	return DatabaseURL(name)
}

// NewDB returns a connection to a fresh database of the test's own.
func NewDB(t testing.TB) *gorm.DB {
	t.Helper()
	db := openURL(t, NewDatabase(t))
	t.Cleanup(func() { closeDB(db) })
	return db
}

// NewStore returns a store over a fresh database, with the options given.
func NewStore(t testing.TB, opts ...models.Option) *models.Store {
	t.Helper()
	s, err := models.NewStore(context.Background(), NewDB(t), opts...)
	if err != nil {
		t.Fatalf("new store: %v", err)
	}
	return s
}

func makeTemplate() (string, error) {
	name := "xuewu_tmpl_" + randomSuffix()
	admin, err := models.Open(ServerURL(), "", quietLogger())
	if err != nil {
		return "", err
	}
	defer closeDB(admin)
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		return "", fmt.Errorf("create %s: %w", name, err)
	}

	db, err := models.Open(DatabaseURL(name), "", quietLogger())
	if err != nil {
		return "", err
	}
	defer closeDB(db)
	if err := models.Migrate(context.Background(), db); err != nil {
		return "", err
	}
	return name, nil
}

func openURL(t testing.TB, u string) *gorm.DB {
	t.Helper()
	db, err := models.Open(u, "", quietLogger())
	if err != nil {
		t.Fatalf("open %s: %v", redact(u), err)
	}
	return db
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func redact(u string) string {
	if i := strings.Index(u, "@"); i >= 0 {
		return "postgres://…" + u[i:]
	}
	return u
}
