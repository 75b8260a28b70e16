// Package notify delivers what the workflow causes: WeChat notices to
// students and staff, reminders, and the download of evidence photos. All
// of it runs as River jobs inserted in the transaction of the change that
// causes them, so nothing is lost when a process stops.
package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
)

// NoticeArgs is the job of one workflow notice.
type NoticeArgs struct {
	Notice models.Notice `json:"notice"`
}

// Kind names the job for River.
func (NoticeArgs) Kind() string { return "notice" }

// Queue inserts jobs inside the workflow's transactions and, when it has
// workers, runs them.
type Queue struct {
	client *river.Client[*sql.Tx]
	log    *slog.Logger
}

// QueueConfig configures a Queue. Workers nil gives an insert-only queue,
// as the CLI commands use.
type QueueConfig struct {
	Workers *river.Workers
	// Periodic jobs run by one instance at a time (the elected leader).
	Periodic []*river.PeriodicJob
	// MaxWorkers bounds concurrent jobs (default 10).
	MaxWorkers int
	// PollInterval is how often workers look for new jobs (default 1s).
	PollInterval time.Duration
	// RetryPolicy spaces the attempts of a failing job; nil is River's
	// default (attempt⁴ seconds: 1 s, 16 s, 81 s, …).
	RetryPolicy river.ClientRetryPolicy
	// RescueAfter is when a job still marked running (its worker died) is
	// run again; default one hour, as River's.
	RescueAfter time.Duration
	Log         *slog.Logger
}

// NewQueue sets up River's tables (safe when several instances start at
// once) and returns a queue over db.
func NewQueue(ctx context.Context, db *gorm.DB, cfg QueueConfig) (*Queue, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("get sql.DB: %w", err)
	}
	driver := driverFor(db, sqlDB)
	if err := migrateRiver(ctx, db, driver); err != nil {
		return nil, err
	}

	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rc := &river.Config{
		// River reports routine counts at info level every few seconds;
		// only its warnings and errors are worth an operator's attention.
		Logger:            slog.New(minLevel{log.Handler(), slog.LevelWarn}),
		PollOnly:          true,
		FetchPollInterval: cfg.PollInterval,
		PeriodicJobs:      cfg.Periodic,
		JobTimeout:        time.Minute,
		MaxAttempts:       12,
		RetryPolicy:       cfg.RetryPolicy,
	}
	if cfg.RescueAfter > 0 {
		rc.RescueStuckJobsAfter = cfg.RescueAfter
		rc.JobTimeout = min(rc.JobTimeout, cfg.RescueAfter/2)
	}
	if rc.FetchPollInterval == 0 {
		rc.FetchPollInterval = time.Second
	}
	rc.FetchCooldown = min(rc.FetchPollInterval, 100*time.Millisecond)
	if cfg.Workers != nil {
		rc.Workers = cfg.Workers
		rc.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: max(cfg.MaxWorkers, 1)},
		}
		if cfg.MaxWorkers == 0 {
			rc.Queues[river.QueueDefault] = river.QueueConfig{MaxWorkers: 10}
		}
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("make job client: %w", err)
	}
	return &Queue{client: client, log: log}, nil
}

func driverFor(db *gorm.DB, sqlDB *sql.DB) riverdriver.Driver[*sql.Tx] {
	if db.Name() == "sqlite" {
		return riversqlite.New(sqlDB)
	}
	return riverdatabasesql.New(sqlDB)
}

// migrateRiver brings River's tables up to date. River's migrations must
// run one transaction per version, so on PostgreSQL a session advisory
// lock, held on a connection of its own, keeps two instances from
// migrating at once.
func migrateRiver(ctx context.Context, db *gorm.DB, driver riverdriver.Driver[*sql.Tx]) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("make job migrator: %w", err)
	}
	if db.Name() == "postgres" {
		sqlDB, err := db.DB()
		if err != nil {
			return fmt.Errorf("get sql.DB: %w", err)
		}
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return fmt.Errorf("connect for job migration: %w", err)
		}
		defer conn.Close()
		lock := "SELECT pg_advisory_lock($1, hashtext(current_schema()))"
		if _, err := conn.ExecContext(ctx, lock, riverLockKey); err != nil {
			return fmt.Errorf("take job migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), //nolint:errcheck // closing the
			"SELECT pg_advisory_unlock($1, hashtext(current_schema()))", riverLockKey) // session frees it too
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate job tables: %w", err)
	}
	return nil
}

// riverLockKey is the advisory lock of River's migrations.
const riverLockKey = 0x72697672 // "rivr"

// Enqueue inserts the notice's job in the workflow's transaction. It
// implements models.Outbox.
func (q *Queue) Enqueue(ctx context.Context, tx *gorm.DB, n models.Notice) error {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return errors.New("enqueue notice: not inside a transaction")
	}
	if _, err := q.client.InsertTx(ctx, sqlTx, NoticeArgs{Notice: n}, nil); err != nil {
		return fmt.Errorf("insert %s job: %w", n.Type, err)
	}
	return nil
}

// Start runs the workers until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish (until ctx ends) and stops.
func (q *Queue) Stop(ctx context.Context) error {
	if err := q.client.Stop(ctx); err != nil {
		return fmt.Errorf("stop workers: %w", err)
	}
	return nil
}

// Client returns the River client, for tests and the CLI.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// minLevel drops records below a level.
type minLevel struct {
	slog.Handler
	min slog.Level
}

// Enabled reports whether a record of the level passes.
func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// WithAttrs keeps the level filter on derived handlers.
func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(as), h.min}
}

// WithGroup keeps the level filter on derived handlers.
func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.min}
}
