package notify_test

import (
	"bytes"
	"image"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/notify"
)

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4))))
	return buf.Bytes()
}

func TestEvidencePhotoIsFetchedAndStored(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.media.data = pngBytes(t)
	req, err := e.store.Submit(ctx, "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseCode: "150165", Phones: []string{"13904712233"}})
	require.NoError(t, err)
	_, ev, err := e.store.AddEvidence(ctx, "2023150101", "media-1")
	require.NoError(t, err)

	var got *models.Evidence
	eventually(t, "the photo stored", func() bool {
		got, _ = e.store.EvidenceByID(ctx, ev.ID)
		return got.Status == models.EvidenceStored
	})
	require.Equal(t, "image/png", got.ContentType)
	require.True(t, strings.HasPrefix(got.Path, filepath.Join(e.dir, "evidence")))
	data, err := os.ReadFile(got.Path)
	require.NoError(t, err)
	require.Equal(t, e.media.data, data)
	require.Equal(t, req.ID, got.RequestID)
}

func TestEvidenceThatIsNoImageIsRefused(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.media.data = []byte("#!/bin/sh\necho not a photo\n")
	_, err := e.store.Submit(ctx, "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseCode: "150165", Phones: []string{"13904712233"}})
	require.NoError(t, err)
	_, ev, err := e.store.AddEvidence(ctx, "2023150101", "media-2")
	require.NoError(t, err)
	eventually(t, "the photo refused", func() bool {
		got, _ := e.store.EvidenceByID(ctx, ev.ID)
		return got.Status == models.EvidenceFailed
	})
	entries, _ := os.ReadDir(filepath.Join(e.dir, "evidence"))
	require.Empty(t, entries, "nothing is written for a refused file")
}

func TestMetricsShowJobsThatFailedForGood(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.media.data = []byte("not an image")
	_, err := e.store.Submit(ctx, "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseCode: "150165", Phones: []string{"13904712233"}})
	require.NoError(t, err)
	_, _, err = e.store.AddEvidence(ctx, "2023150101", "media-3")
	require.NoError(t, err)

	reg := prometheus.NewRegistry()
	reg.MustRegister(notify.NewMetrics(e.store.DB(), slog.New(slog.DiscardHandler)))
	eventually(t, "a cancelled job counted", func() bool {
		n, err := testutil.GatherAndCount(reg, "xuewu_jobs")
		if err != nil || n == 0 {
			return false
		}
		mfs, _ := reg.Gather()
		for _, mf := range mfs {
			for _, m := range mf.GetMetric() {
				for _, l := range m.GetLabel() {
					if l.GetName() == "state" && l.GetValue() == "cancelled" {
						return m.GetGauge().GetValue() == 1
					}
				}
			}
		}
		return false
	})
	n, err := testutil.GatherAndCount(reg, "xuewu_deliveries")
	require.NoError(t, err)
	require.Positive(t, n, "the dean's card is counted as waiting for binding")
}
