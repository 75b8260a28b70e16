package h5

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// photoTypes are the content types a stored photo may be served as.
var photoTypes = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
}

// errOutsideData is a photo path that is not under the data directory.
var errOutsideData = errors.New("evidence path is outside the data directory")

// evidence serves GET /h5/evidence/:id: a stored photo, to those who may
// see its request.
func (p *Pages) evidence(c *gin.Context) {
	v := viewerOf(c)
	ctx := c.Request.Context()
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		p.message(c, http.StatusNotFound, titleError, msgNoPhoto, "")
		return
	}
	ev, err := p.store.EvidenceByID(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		p.message(c, http.StatusNotFound, titleError, msgNoPhoto, "")
		return
	}
	if err != nil {
		p.fail(c, "load evidence", err)
		return
	}
	if _, _, ok := p.requestFor(c, v, strconv.FormatUint(ev.RequestID, 10)); !ok {
		return
	}

	if ev.Status != models.EvidenceStored || !photoTypes[ev.ContentType] {
		p.message(c, http.StatusNotFound, titleError, msgNoPhoto, "")
		return
	}
	p.servePhoto(c, ev)
}

// servePhoto sends the photo's file, which must lie under the data
// directory (symbolic links that leave it are refused too).
func (p *Pages) servePhoto(c *gin.Context, ev *models.Evidence) {
	f, err := p.openData(ev.Path)
	if err != nil {
		p.log.WarnContext(c.Request.Context(), "h5 evidence file not served",
			"evidence_id", ev.ID, "request_id", ev.RequestID, "error", err)
		p.message(c, http.StatusNotFound, titleError, msgNoPhoto, "")
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		p.message(c, http.StatusNotFound, titleError, msgNoPhoto, "")
		return
	}
	c.Header("Content-Type", ev.ContentType)
	c.Header("Content-Disposition", "inline")
	http.ServeContent(c.Writer, c.Request, "", info.ModTime(), f)
}

// openData opens a file by a path that must lie under the data directory.
func (p *Pages) openData(path string) (*os.File, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("resolve evidence path: %w", err)
	}
	rel, err := filepath.Rel(p.dataDir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) ||
		filepath.IsAbs(rel) {
		return nil, errOutsideData
	}
	root, err := os.OpenRoot(p.dataDir)
	if err != nil {
		return nil, fmt.Errorf("open data directory: %w", err)
	}
	defer root.Close()
	f, err := root.Open(rel)
	if err != nil {
		return nil, fmt.Errorf("open evidence file: %w", err)
	}
	return f, nil
}
