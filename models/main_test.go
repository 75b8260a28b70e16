package models_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

func TestMain(m *testing.M) { os.Exit(modelstest.Main(m)) }

// clock is the tests' settable clock.
type clock = modelstest.Clock

// cst builds a time in China Standard Time.
func cst(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.FixedZone("CST", 8*3600))
}

// setup returns a store over a fresh database with the seeded school and
// a clock set to 2026-12-03 10:00 China time.
func setup(t *testing.T) (*models.Store, *clock) {
	t.Helper()
	c := modelstest.NewClock(cst(2026, 12, 3, 10, 0))
	s := modelstest.NewStore(t, models.WithClock(c.Now))
	modelstest.Seed(t, s)
	return s, c
}

var ctx = context.Background()

func deferral(course string) models.Draft {
	return models.Draft{Kind: models.KindDeferral, Reason: "生病", CourseCode: course,
		Phones: []string{"13904712233"}}
}

func statusDraft(kind models.Kind, reason string) models.Draft {
	return models.Draft{Kind: kind, Reason: reason, Details: "家中有事",
		Phones: []string{"13904712233", "13804712233", "0471-6576286"}}
}

// submit files a request and fails the test on error.
func submit(t *testing.T, s *models.Store, student string, d models.Draft) *models.Request {
	t.Helper()
	req, err := s.Submit(ctx, student, d)
	require.NoError(t, err)
	return req
}

// decide makes a decision and fails the test on error.
func decide(t *testing.T, s *models.Store, id uint64, staff string, a models.Action,
	comment string) *models.Request {
	t.Helper()
	req, err := s.Decide(ctx, models.Decision{RequestID: id, StaffNo: staff, Action: a,
		Comment: comment})
	require.NoError(t, err)
	return req
}

// requireRefused checks that err is a refusal of the given cause whose
// sentence contains want.
func requireRefused(t *testing.T, err error, cause error, want string) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, cause)
	require.Contains(t, models.UserMessage(err), want)
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
