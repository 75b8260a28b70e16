package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/imut/xuewu/models"
)

// countTimeout bounds the database query behind xuewu_requests.
const countTimeout = 5 * time.Second

// unmatchedRoute labels requests for paths no route matches, so that
// scanners cannot create one series per path.
const unmatchedRoute = "unmatched"

// metrics holds the server's own Prometheus registry and collectors.
type metrics struct {
	handler  http.Handler
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// newMetrics registers the Go, process, HTTP and request-count collectors
// on reg and returns them with the handler of /metrics.
func newMetrics(reg *prometheus.Registry, store Store, log *slog.Logger,
	extra ...prometheus.Collector) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "xuewu_http_requests_total",
			Help: "HTTP requests served, by method, route and status code.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "xuewu_http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by method, route and status code.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route", "status"}),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.duration,
		&requestsCollector{store: store, log: log},
	)
	reg.MustRegister(extra...)
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      reg,
	})
	return m
}

// observe counts and times each request by its route template.
func (m *metrics) observe(c *gin.Context) {
	start := time.Now()
	c.Next()

	route := c.FullPath()
	if route == "" {
		route = unmatchedRoute
	}
	status := strconv.Itoa(c.Writer.Status())
	m.requests.WithLabelValues(c.Request.Method, route, status).Inc()
	m.duration.WithLabelValues(c.Request.Method, route, status).
		Observe(time.Since(start).Seconds())
}

// requestsCollector reports xuewu_requests{kind,status}, counted from the
// database at each scrape. Every kind and status appears, with 0 if none.
type requestsCollector struct {
	store Store
	log   *slog.Logger
}

var requestsDesc = prometheus.NewDesc("xuewu_requests",
	"Requests in the database, by kind and status.", []string{"kind", "status"}, nil)

// Describe sends the one metric the collector reports.
func (rc *requestsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- requestsDesc }

// Collect counts the requests and sends one gauge per kind and status.
func (rc *requestsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), countTimeout)
	defer cancel()
	counts, err := rc.store.CountByKindStatus(ctx)
	if err != nil {
		rc.log.Error("count requests for metrics", "error", err)
		ch <- prometheus.NewInvalidMetric(requestsDesc, err)
		return
	}

	for _, rule := range models.Rules {
		for _, st := range requestStatuses {
			n := counts[rule.Kind][st]
			ch <- prometheus.MustNewConstMetric(requestsDesc, prometheus.GaugeValue,
				float64(n), string(rule.Kind), string(st))
		}
	}
}
