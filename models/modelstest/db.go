// Package modelstest gives tests their own database state on the real
// PostgreSQL, and factories for the people and courses a test needs.
package modelstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
)

// DefaultURL is the PostgreSQL server tests use unless TEST_DATABASE_URL
// names another.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// The test binary's own database, made on first use and dropped by Main;
// each test gets a schema of its own inside it.
var (
	dbOnce sync.Once
	dbName string
	dbErr  error
	admin  *gorm.DB
)

// ServerURL returns the URL of the test server's maintenance database.
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// databaseURL returns the URL of the named database on the test server,
// with the given search path when it is set.
func databaseURL(name, schema string) string {
	u, err := url.Parse(ServerURL())
	if err != nil {
		panic(fmt.Sprintf("TEST_DATABASE_URL: %v", err))
	}
	u.Path = "/" + name
	if schema != "" {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// NewDatabase makes an empty schema of the test's own in the test binary's
// database, drops it when the test ends, and returns a URL whose
// connections use it. The schema's tables are not created yet.
func NewDatabase(t testing.TB) string {
	t.Helper()
	dbOnce.Do(func() { dbName, dbErr = makeDatabase() })
	if dbErr != nil {
		t.Fatalf("make test database: %v", dbErr)
	}

	schema := "t_" + randomSuffix()
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE") })
	return databaseURL(dbName, schema)
}

// NewDB returns a connection to a fresh schema of the test's own.
func NewDB(t testing.TB) *gorm.DB {
	t.Helper()
	u := NewDatabase(t)
	db, err := models.Open(u, "", quietLogger())
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { closeDB(db) })
	return db
}

// NewStore returns a store over a fresh schema, with the options given.
func NewStore(t testing.TB, opts ...models.Option) *models.Store {
	t.Helper()
	s, err := models.NewStore(context.Background(), NewDB(t), opts...)
	if err != nil {
		t.Fatalf("new store: %v", err)
	}
	return s
}

func makeDatabase() (string, error) {
	name := "xuewu_test_" + randomSuffix()
	server, err := models.Open(ServerURL(), "", quietLogger())
	if err != nil {
		return "", err
	}
	defer closeDB(server)
	if err := server.Exec("CREATE DATABASE " + name).Error; err != nil {
		return "", fmt.Errorf("create %s: %w", name, err)
	}

	admin, err = models.Open(databaseURL(name, ""), "", quietLogger())
	if err != nil {
		return "", err
	}
	return name, nil
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

func quietLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
