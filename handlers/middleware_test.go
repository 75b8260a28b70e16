package handlers_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var generatedID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestRequestID(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tests := []struct {
		name     string
		incoming string
		keep     bool
	}{
		{"a sane incoming ID is echoed", "req-2025.03_03-abc", true},
		{"a missing ID is made", "", false},
		{"an ID with spaces is replaced", "hello world", false},
		{"an ID with a newline is replaced", "abc\ndef", false},
		{"an overlong ID is replaced", strings.Repeat("a", 65), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var header []string
			if tc.incoming != "" {
				header = []string{"X-Request-ID", tc.incoming}
			}
			rec := e.get(t, "/healthz", header...)
			got := rec.Header().Get("X-Request-ID")
			if tc.keep {
				require.Equal(t, tc.incoming, got)
				return
			}
			require.Regexp(t, generatedID, got)
		})
	}
}

func TestAccessLog(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rec := e.get(t, "/admin/api/requests?student_no=2023150101&kind=deferral",
		"Authorization", "Bearer "+adminToken, "X-Request-ID", "trace-access-log")
	require.Equal(t, http.StatusOK, rec.Code)

	lines := logLines(e.logs.String(), `"trace-access-log"`)
	require.Len(t, lines, 1, "one line per request")
	var entry map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &entry))
	require.Equal(t, "http request", entry["msg"])
	require.Equal(t, "GET", entry["method"])
	require.Equal(t, "/admin/api/requests", entry["path"])
	require.InDelta(t, 200, entry["status"], 0)
	require.Contains(t, entry, "duration_ms")
	require.Equal(t, "trace-access-log", entry["request_id"])

	logs := e.logs.String()
	require.NotContains(t, logs, "2023150101", "no query strings in the log")
	require.NotContains(t, logs, adminToken)
}

func TestUnknownPaths(t *testing.T) {
	t.Parallel()
	e := setup(t)

	rec := e.admin(t, "/admin/api/nothing")
	require.Equal(t, http.StatusNotFound, rec.Code)
	require.JSONEq(t, `{"error":"not found"}`, rec.Body.String())

	rec = e.get(t, "/nothing")
	require.Equal(t, http.StatusNotFound, rec.Code)
	require.NotEmpty(t, rec.Header().Get("X-Request-ID"))
}
