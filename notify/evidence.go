package notify

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/riverqueue/river"

	"github.com/imut/xuewu/models"
)

// MaxEvidenceBytes is the largest photo kept.
const MaxEvidenceBytes = 10 << 20

// evidenceTypes are the photo formats kept, with their file extensions.
var evidenceTypes = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
}

// MediaSource downloads a temporary WeChat media file.
type MediaSource interface {
	Media(ctx context.Context, mediaID string) ([]byte, string, error)
}

// EvidenceFetcher downloads evidence photos from WeChat, which keeps them
// only three days, and stores them under a data directory.
type EvidenceFetcher struct {
	Store *models.Store
	Media MediaSource
	// Dir is where files go: Dir/evidence/<request>/<evidence>.<ext>.
	Dir string
	Log *slog.Logger
}

// fetch downloads one photo. A file that is not an image or too large is
// refused for good; other failures are retried by the job.
func (f *EvidenceFetcher) fetch(ctx context.Context, id uint64, lastTry bool) error {
	ev, err := f.Store.EvidenceByID(ctx, id)
	if err != nil {
		return err
	}
	if ev.Status == models.EvidenceStored {
		return nil
	}

	data, _, err := f.Media.Media(ctx, ev.MediaID)
	if err != nil {
		if lastTry {
			return f.fail(ctx, ev, err)
		}
		return fmt.Errorf("download evidence %d: %w", id, err)
	}
	ctype := http.DetectContentType(data)
	ext, ok := evidenceTypes[ctype]
	if !ok || len(data) > MaxEvidenceBytes {
		return river.JobCancel(f.fail(ctx, ev, fmt.Errorf("refused %s of %d bytes", ctype, len(data))))
	}

	dir := filepath.Join(f.Dir, "evidence", strconv.FormatUint(ev.RequestID, 10))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("make evidence directory: %w", err)
	}
	path := filepath.Join(dir, strconv.FormatUint(ev.ID, 10)+ext)
	if err := writeFileAtomic(path, data); err != nil {
		return err
	}
	ev.Status, ev.Path, ev.ContentType, ev.Size = models.EvidenceStored, path, ctype, int64(len(data))
	return f.Store.SaveEvidenceFile(ctx, ev)
}

func (f *EvidenceFetcher) fail(ctx context.Context, ev *models.Evidence, cause error) error {
	f.Log.WarnContext(ctx, "evidence not kept", "request_id", ev.RequestID, "evidence_id", ev.ID,
		"error", cause)
	ev.Status = models.EvidenceFailed
	if err := f.Store.SaveEvidenceFile(ctx, ev); err != nil {
		return err
	}
	return cause
}

// writeFileAtomic writes through a temporary file, so a reader never sees
// half a photo.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".part-*")
	if err != nil {
		return fmt.Errorf("create evidence file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write evidence file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close evidence file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("store evidence file: %w", err)
	}
	return nil
}
