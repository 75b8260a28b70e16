package notify

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/imut/xuewu/models"
)

// SweepInterval is how often the server sweeps for due reminders and
// overdue requests.
const SweepInterval = 5 * time.Minute

// SweepArgs is the periodic sweep job.
type SweepArgs struct{}

// Kind names the job for River.
func (SweepArgs) Kind() string { return "sweep" }

// InsertOpts keeps at most one sweep waiting at a time.
func (SweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// SweepWorker runs models.Store.Sweep as of the job's run time.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Store *models.Store
	Log   *slog.Logger
	Now   func() time.Time
}

// Work sweeps once.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	res, err := w.Store.Sweep(ctx, w.Now())
	if err != nil {
		return err
	}
	if res.Expired > 0 || res.Reminders > 0 {
		w.Log.InfoContext(ctx, "sweep", "expired", res.Expired, "reminders", res.Reminders)
	}
	return nil
}

// PeriodicSweep is the periodic job that River's elected leader inserts,
// so that one instance at a time sweeps.
func PeriodicSweep() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}
