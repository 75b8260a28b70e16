package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/riverqueue/river"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/notify"
)

// backend is the database side every command shares: the store, whose
// workflow queues its notices in the job queue, and the handle to close.
type backend struct {
	store *models.Store
	queue *notify.Queue
	sqlDB *sql.DB
	// notices and sweeps are the serve command's workers, filled in once
	// the store exists; nil for the other commands.
	notices *notify.NoticeWorker
	sweeps  *notify.SweepWorker
}

// openBackend connects to the database, sets up the schema and the job
// tables, and returns the store. With workers, the queue can run jobs
// (serve); without, it only inserts them (import, sweep).
func openBackend(ctx context.Context, cfg *Config, log *slog.Logger, workers bool) (*backend, error) {
	if cfg.DatabaseURL == "" {
		log.Warn("using the embedded SQLite database; it is for trying xuewu out only",
			"path", filepath.Join(cfg.DataDir, "xuewu.db"))
	}
	db, err := models.Open(cfg.DatabaseURL.Reveal(), cfg.DataDir, log)
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("database handle: %w", err)
	}
	b := &backend{sqlDB: sqlDB}

	qc := notify.QueueConfig{Log: log}
	if workers {
		b.notices, b.sweeps = &notify.NoticeWorker{}, &notify.SweepWorker{Log: log}
		qc.Workers = river.NewWorkers()
		river.AddWorker(qc.Workers, b.notices)
		river.AddWorker(qc.Workers, b.sweeps)
		qc.Periodic = []*river.PeriodicJob{notify.PeriodicSweep()}
	}

	// The store's schema first: River's tables live beside it.
	opts := []models.Option{}
	if key := cfg.HashKeyBytes(); key != nil {
		opts = append(opts, models.WithHashKey(key))
	}
	if err := models.Migrate(ctx, db); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if b.queue, err = notify.NewQueue(ctx, db, qc); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if b.store, err = models.NewStore(ctx, db, append(opts, models.WithOutbox(b.queue))...); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if workers {
		b.sweeps.Store, b.sweeps.Now = b.store, b.store.Now
	}
	return b, nil
}

// close releases the database.
func (b *backend) close() { _ = b.sqlDB.Close() }
