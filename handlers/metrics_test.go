package handlers_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// metricValue returns the value of the sample with exactly the labels
// given, as the text exposition format writes it.
func metricValue(t *testing.T, body, sample string) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`)
	m := re.FindStringSubmatch(body)
	require.NotNil(t, m, "no sample %s in\n%s", sample, body)
	return m[1]
}

func TestMetricsCountRequests(t *testing.T) {
	t.Parallel()
	s := setupSchool(t)

	rec := s.get(t, "/metrics")
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	tests := []struct {
		sample string
		want   string
	}{
		{`xuewu_requests{kind="deferral",status="pending"}`, "2"},
		{`xuewu_requests{kind="deferral",status="rejected"}`, "1"},
		{`xuewu_requests{kind="suspension",status="pending"}`, "1"},
		{`xuewu_requests{kind="withdrawal",status="pending"}`, "1"},
		{`xuewu_requests{kind="deferral",status="approved"}`, "0"},
		{`xuewu_requests{kind="prep_repeat",status="expired"}`, "0"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, metricValue(t, body, tc.sample), tc.sample)
	}
	require.Contains(t, body, "# TYPE xuewu_requests gauge")
	require.Contains(t, body, "go_goroutines ")
	require.Contains(t, body, "process_cpu_seconds_total ")
}

func TestMetricsFollowChanges(t *testing.T) {
	t.Parallel()
	s := setupSchool(t)
	require.NoError(t, s.store.Delete(t.Context(), "2024150101", s.deferral2.ID))

	body := s.get(t, "/metrics").Body.String()
	require.Equal(t, "1", metricValue(t, body, `xuewu_requests{kind="deferral",status="pending"}`))
	require.Equal(t, "1", metricValue(t, body, `xuewu_requests{kind="deferral",status="deleted"}`))
}

func TestMetricsCountHTTPRequestsByRoute(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.get(t, "/healthz")
	e.get(t, "/healthz")
	e.get(t, "/admin/api/requests?kind=nonsense", "Authorization", "Bearer "+adminToken)
	e.get(t, "/no/such/page/12345")

	body := e.get(t, "/metrics").Body.String()
	require.Equal(t, "2", metricValue(t, body,
		`xuewu_http_requests_total{method="GET",route="/healthz",status="200"}`))
	require.Equal(t, "1", metricValue(t, body,
		`xuewu_http_requests_total{method="GET",route="/admin/api/requests",status="400"}`))
	require.Equal(t, "1", metricValue(t, body,
		`xuewu_http_requests_total{method="GET",route="unmatched",status="404"}`))
	require.Equal(t, "2", metricValue(t, body,
		`xuewu_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}`))
	require.NotContains(t, body, "12345", "unknown paths do not become labels")
}

func TestMetricsRegistriesAreSeparate(t *testing.T) {
	t.Parallel()
	a, b := setup(t), setup(t)
	a.get(t, "/healthz")

	body := b.get(t, "/metrics").Body.String()
	require.NotContains(t, body, `route="/healthz"`)
}
