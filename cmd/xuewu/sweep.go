package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// parseSweep reads `sweep [--at RFC3339]`.
func parseSweep(args []string) (command, error) {
	var at time.Time
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Func("at", "time to sweep as of", func(v string) error {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return errors.New("want an RFC3339 time such as 2025-03-01T08:00:00+08:00")
		}
		at = t
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}

	return func(ctx context.Context, a *app) error {
		if at.IsZero() {
			at = a.now()
		}
		return sweep(ctx, a, at)
	}, nil
}

// sweep revokes overdue requests and records due reminders as of at.
func sweep(ctx context.Context, a *app, at time.Time) error {
	b, err := openBackend(ctx, a.cfg, a.log, false)
	if err != nil {
		return err
	}
	defer b.close()
	store := b.store

	res, err := store.Sweep(ctx, at)
	a.log.Info("sweep done", "at", at.Format(time.RFC3339),
		"expired", res.Expired, "reminders", res.Reminders)
	fmt.Fprintf(a.stdout, "sweep at %s: expired %d, reminders recorded %d\n",
		at.Format(time.RFC3339), res.Expired, res.Reminders)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}
