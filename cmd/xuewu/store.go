package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/imut/xuewu/models"
)

// openStore connects to the database, sets up the schema and returns the
// store with the handle to close when done.
func openStore(ctx context.Context, cfg *Config, log *slog.Logger) (
	*models.Store, *sql.DB, error) {
	if cfg.DatabaseURL == "" {
		log.Warn("using the embedded SQLite database; it is for trying xuewu out only",
			"path", filepath.Join(cfg.DataDir, "xuewu.db"))
	}
	db, err := models.Open(cfg.DatabaseURL.Reveal(), cfg.DataDir, log)
	if err != nil {
		return nil, nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, nil, fmt.Errorf("database handle: %w", err)
	}

	var opts []models.Option
	if key := cfg.HashKeyBytes(); key != nil {
		opts = append(opts, models.WithHashKey(key))
	}
	store, err := models.NewStore(ctx, db, opts...)
	if err != nil {
		_ = sqlDB.Close()
		return nil, nil, err
	}
	return store, sqlDB, nil
}
