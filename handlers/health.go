package handlers

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz answers 200 for as long as the process serves.
func (s *server) healthz(c *gin.Context) {
	c.String(http.StatusOK, "ok")
}

// readyBody is the JSON body of /readyz.
type readyBody struct {
	// Status is "ok" or "unavailable".
	Status string `json:"status"`
	// Checks gives "ok" or "down" for each dependency by name.
	Checks map[string]string `json:"checks"`
	// Down lists the dependencies that did not answer, in order.
	Down []string `json:"down,omitempty"`
}

// readyz answers 200 when every dependency answers a ping in time, and
// 503 naming those that do not.
func (s *server) readyz(c *gin.Context) {
	ctx := c.Request.Context()
	errs := s.ping(ctx)

	body := readyBody{Status: "ok", Checks: map[string]string{}}
	for i, chk := range s.Checks {
		if errs[i] == nil {
			body.Checks[chk.Name] = "ok"
			continue
		}
		s.logger(ctx).WarnContext(ctx, "dependency not ready",
			"check", chk.Name, "error", errs[i])
		body.Checks[chk.Name] = "down"
		body.Down = append(body.Down, chk.Name)
	}
	if len(body.Down) > 0 {
		body.Status = "unavailable"
		c.JSON(http.StatusServiceUnavailable, body)
		return
	}
	c.JSON(http.StatusOK, body)
}

// ping pings every check at once, each within ReadyTimeout, and returns
// their errors in the order of the checks.
func (s *server) ping(ctx context.Context) []error {
	errs := make([]error, len(s.Checks))
	var wg sync.WaitGroup
	for i, chk := range s.Checks {
		wg.Go(func() { errs[i] = pingWithin(ctx, chk.Pinger, s.ReadyTimeout) })
	}
	wg.Wait()
	return errs
}

// pingWithin pings p and gives up after d, even if p ignores its context.
func pingWithin(ctx context.Context, p Pinger, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Ping(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
