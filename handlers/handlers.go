// Package handlers is xuewu's HTTP face: health and readiness, Prometheus
// metrics and the admin API, behind the middleware every request passes
// (request ID, access log, panic recovery, metrics).
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/imut/xuewu/models"
)

// Store is what the handlers read from the database.
type Store interface {
	// Requests returns the requests that match the filter, with their steps.
	Requests(ctx context.Context, f models.RequestFilter) ([]models.Request, error)
	// CountByKindStatus counts the requests of each kind and status.
	CountByKindStatus(ctx context.Context) (map[models.Kind]map[models.RequestStatus]int64, error)
}

// Pinger tells whether a service the server depends on answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// PingFunc makes a function a Pinger.
type PingFunc func(ctx context.Context) error

// Ping calls f.
func (f PingFunc) Ping(ctx context.Context) error { return f(ctx) }

// Check is one dependency that /readyz pings, such as "database".
type Check struct {
	Name   string
	Pinger Pinger
}

// Deps is what the handlers need. Store is required; the other fields
// have the defaults their comments name.
type Deps struct {
	Store Store
	// Checks are pinged by /readyz; none means always ready.
	Checks []Check
	// ReadyTimeout bounds each readiness ping; default 2s.
	ReadyTimeout time.Duration
	// AdminToken is the bearer token of /admin/api; empty turns the admin
	// API off (404).
	AdminToken string
	// Logger receives the access log and errors; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// WeChat is the official account's callback; nil leaves /wechat out.
	WeChat *WeChatCallback
	// Mounts serve whole subtrees, such as "/h5" for the mobile pages;
	// each handler sees the full path.
	Mounts map[string]http.Handler
	// Collectors are more Prometheus metrics to serve on /metrics.
	Collectors []prometheus.Collector
}

// defaultReadyTimeout bounds each readiness ping when Deps sets none.
const defaultReadyTimeout = 2 * time.Second

// server holds the dependencies of the handlers.
type server struct {
	Deps
	metrics *metrics
}

// New returns the HTTP handler of xuewu.
func New(d Deps) http.Handler {
	return newEngine(d)
}

// newEngine builds the gin engine with its middleware and routes.
func newEngine(d Deps) *gin.Engine {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ReadyTimeout <= 0 {
		d.ReadyTimeout = defaultReadyTimeout
	}
	s := &server{Deps: d}
	s.metrics = newMetrics(prometheus.NewRegistry(), d.Store, d.Logger, d.Collectors...)

	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.ContextWithFallback = true
	_ = e.SetTrustedProxies(nil)
	e.Use(s.requestID, s.accessLog, s.metrics.observe, s.recoverPanic)
	s.routes(e)
	return e
}

// routes registers every path.
func (s *server) routes(e *gin.Engine) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", gin.WrapH(s.metrics.handler))

	if s.AdminToken != "" {
		admin := e.Group("/admin/api", s.requireAdmin)
		admin.GET("/requests", s.listRequests)
	}
	if s.WeChat != nil {
		s.WeChat.Register(e)
	}
	for prefix, h := range s.Mounts {
		e.Any(prefix+"/*path", gin.WrapH(h))
	}
	e.NoRoute(s.notFound)
}

// notFound answers an unknown path, in JSON under the APIs.
func (s *server) notFound(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/admin/api") || strings.HasPrefix(p, "/api/") {
		fail(c, http.StatusNotFound, "not found")
		return
	}
	c.String(http.StatusNotFound, "404 page not found")
}

// errorBody is the JSON body of every error answer.
type errorBody struct {
	Error string `json:"error"`
	// Parameter names the query parameter that was wrong, if one was.
	Parameter string `json:"parameter,omitempty"`
}

// fail answers with a JSON error and stops the request.
func fail(c *gin.Context, status int, msg string) {
	c.AbortWithStatusJSON(status, errorBody{Error: msg})
}
