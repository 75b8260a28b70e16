package notify

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/imut/xuewu/models"
)

// Metrics reports, at each scrape, the jobs by state (so that jobs that
// finally failed — "discarded" — are visible) and the deliveries by status.
type Metrics struct {
	db   *gorm.DB
	log  *slog.Logger
	jobs *prometheus.Desc
	sent *prometheus.Desc
}

// NewMetrics returns the collector over the database that holds River's
// tables and the deliveries.
func NewMetrics(db *gorm.DB, log *slog.Logger) *Metrics {
	return &Metrics{db: db, log: log,
		jobs: prometheus.NewDesc("xuewu_jobs", "Background jobs by state "+
			"(discarded: failed for good after every retry).", []string{"kind", "state"}, nil),
		sent: prometheus.NewDesc("xuewu_deliveries", "Notices to people by status "+
			"(waiting_bind: the person has not bound WeChat yet).", []string{"status"}, nil),
	}
}

// Describe sends the descriptions of the metrics.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.jobs
	ch <- m.sent
}

// Collect counts jobs and deliveries.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	db := m.db.WithContext(ctx)

	var jobs []struct {
		Kind  string
		State string
		N     float64
	}
	if err := db.Raw("SELECT kind, state, count(*) AS n FROM river_job GROUP BY kind, state").
		Scan(&jobs).Error; err != nil {
		m.log.ErrorContext(ctx, "count jobs", "error", err)
	}
	for _, j := range jobs {
		ch <- prometheus.MustNewConstMetric(m.jobs, prometheus.GaugeValue, j.N, j.Kind, j.State)
	}

	var sent []struct {
		Status string
		N      float64
	}
	if err := db.Model(&models.Delivery{}).Select("status, count(*) AS n").Group("status").
		Scan(&sent).Error; err != nil {
		m.log.ErrorContext(ctx, "count deliveries", "error", err)
	}
	for _, s := range sent {
		ch <- prometheus.MustNewConstMetric(m.sent, prometheus.GaugeValue, s.N, s.Status)
	}
}
