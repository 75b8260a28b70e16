package models_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

// BenchmarkSweep times one sweep over many open requests of which some
// are due (past their deadline), to show how it grows with each. Run it
// with: go test -run '^$' -bench Sweep -benchtime 3x ./models/
func BenchmarkSweep(b *testing.B) {
	cases := []struct{ open, due int }{
		{10_000, 1_000}, {100_000, 100}, {100_000, 1_000}, {100_000, 10_000},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("open=%d/due=%d", c.open, c.due), func(b *testing.B) {
			s := modelstest.NewStore(b)
			modelstest.Seed(b, s)
			at := time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC)
			fill(b, s, c.open, c.due, at)
			b.ResetTimer()
			for range b.N {
				res, err := s.Sweep(b.Context(), at)
				if err != nil {
					b.Fatal(err)
				}
				if res.Expired != c.due {
					b.Fatalf("expired %d, want %d", res.Expired, c.due)
				}
				b.StopTimer()
				reopen(b, s)
				b.StartTimer()
			}
		})
	}
}

// fill inserts open requests: due of them past their deadline at at, the
// rest due in a week (so no reminder is due either).
func fill(b *testing.B, s *models.Store, open, due int, at time.Time) {
	b.Helper()
	err := s.DB().Exec(`INSERT INTO requests (kind, status, student_no, reason, course_code,
		phones, submitted_at, deadline, version, created_at, updated_at)
		SELECT 'withdrawal', 'pending', '2023150101', '其他', 'c' || g, '13904712233',
			?::timestamptz, CASE WHEN g <= ? THEN ?::timestamptz ELSE ?::timestamptz END,
			1, now(), now()
		FROM generate_series(1, ?) AS g`,
		at.Add(-20*24*time.Hour), due, at.Add(-time.Hour), at.Add(7*24*time.Hour), open).Error
	if err != nil {
		b.Fatal(err)
	}
	if err := s.DB().Exec("ANALYZE requests").Error; err != nil {
		b.Fatal(err)
	}
}

// reopen puts the expired requests back for the next round.
func reopen(b *testing.B, s *models.Store) {
	b.Helper()
	for _, q := range []string{
		"UPDATE requests SET status = 'pending', closed_at = NULL WHERE status = 'expired'",
		"DELETE FROM events", "DELETE FROM reminders",
	} {
		if err := s.DB().Exec(q).Error; err != nil {
			b.Fatal(err)
		}
	}
}
