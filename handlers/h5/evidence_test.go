package h5

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
)

// pngBytes is a small PNG photo.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		for y := range 30 {
			img.Set(x, y, color.RGBA{R: 200, G: uint8(x * 6), B: 80, A: 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// addPhoto attaches a photo to the student's open request, stored at path
// with the status given ("" path for one not fetched).
func (e *env) addPhoto(student, path string, status models.EvidenceStatus) *models.Evidence {
	e.t.Helper()
	_, ev, err := e.store.AddEvidence(ctx, student, "media-"+student)
	require.NoError(e.t, err)
	if status == models.EvidencePending {
		return ev
	}
	if path != "" {
		require.NoError(e.t, os.MkdirAll(filepath.Dir(path), 0o750))
		require.NoError(e.t, os.WriteFile(path, pngBytes(e.t), 0o600))
	}
	ev.Status, ev.Path, ev.ContentType = status, path, "image/png"
	require.NoError(e.t, e.store.SaveEvidenceFile(ctx, ev))
	return ev
}

func TestEvidencePhotosAreShownToThoseWhoMaySeeTheRequest(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	dir := filepath.Join(e.dataDir, "evidence", formatID(req.ID))
	stored := e.addPhoto("2023150101", filepath.Join(dir, "1.png"), models.EvidenceStored)
	e.addPhoto("2023150101", "", models.EvidencePending)
	e.addPhoto("2023150101", "", models.EvidenceFailed)
	outside := e.addPhoto("2023150101", filepath.Join(t.TempDir(), "x.png"), models.EvidenceStored)
	escape := e.addPhoto("2023150101", filepath.Join(e.dataDir, "..", "y.png"),
		models.EvidenceStored)

	advisor := e.as(openID("T1593"))
	p := advisor.open(req.ID)
	require.Contains(t, p.body, `<img src="/h5/evidence/`+formatID(stored.ID)+`"`)
	require.Contains(t, p.body, "照片 2：获取中")
	require.Contains(t, p.body, "照片 3：获取失败")

	for _, u := range []*user{advisor, e.as(openID("2023150101")), e.as(openID("T1558"))} {
		p = u.get("/h5/evidence/" + formatID(stored.ID))
		require.Equal(t, http.StatusOK, p.status)
		require.Equal(t, "image/png", p.header.Get("Content-Type"))
		require.Equal(t, "no-store", p.header.Get("Cache-Control"))
		require.Equal(t, pngBytes(t), []byte(p.body))
	}

	p = e.as(openID("2024150101")).get("/h5/evidence/" + formatID(stored.ID))
	require.Equal(t, http.StatusForbidden, p.status)
	p = e.as(openID("T1662")).get("/h5/evidence/" + formatID(stored.ID))
	require.Equal(t, http.StatusForbidden, p.status)

	for _, ev := range []*models.Evidence{outside, escape} {
		p = advisor.get("/h5/evidence/" + formatID(ev.ID))
		require.Equal(t, http.StatusNotFound, p.status, "a file outside the data directory")
	}
	p = advisor.get("/h5/evidence/" + formatID(stored.ID+1))
	require.Equal(t, http.StatusNotFound, p.status, "a photo not fetched yet")
}

func TestEvidenceSymlinkOutOfTheDataDirectoryIsRefused(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	secret := filepath.Join(t.TempDir(), "secret.png")
	require.NoError(t, os.WriteFile(secret, pngBytes(t), 0o600))
	link := filepath.Join(e.dataDir, "evidence", formatID(req.ID), "1.png")
	require.NoError(t, os.MkdirAll(filepath.Dir(link), 0o750))
	require.NoError(t, os.Symlink(secret, link))

	_, ev, err := e.store.AddEvidence(ctx, "2023150101", "m1")
	require.NoError(t, err)
	ev.Status, ev.Path, ev.ContentType = models.EvidenceStored, link, "image/png"
	require.NoError(t, e.store.SaveEvidenceFile(ctx, ev))

	p := e.as(openID("T1593")).get("/h5/evidence/" + formatID(ev.ID))
	require.Equal(t, http.StatusNotFound, p.status)
}
