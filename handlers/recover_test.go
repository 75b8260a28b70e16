package handlers

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models/modelstest"
)

func TestPanicGives500(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	e := newEngine(Deps{Store: modelstest.NewStore(t), Logger: log})
	e.GET("/boom", func(*gin.Context) { panic("boom") })

	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/boom", nil)
	req.Header.Set("X-Request-ID", "trace-panic")
	rec := httptest.NewRecorder()
	require.NotPanics(t, func() { e.ServeHTTP(rec, req) })

	require.Equal(t, http.StatusInternalServerError, rec.Code)
	require.JSONEq(t, `{"error":"internal server error"}`, rec.Body.String())
	require.Equal(t, "trace-panic", rec.Header().Get("X-Request-ID"))
	require.Equal(t, 1, strings.Count(logs.String(), "panic in handler"), "logged once")
	require.Contains(t, logs.String(), `"status":500`, "the access log sees the 500")
}

func TestPanicAfterWritingKeepsTheAnswer(t *testing.T) {
	t.Parallel()
	e := newEngine(Deps{Store: modelstest.NewStore(t)})
	e.GET("/half", func(c *gin.Context) {
		c.String(http.StatusOK, "partial")
		panic("late")
	})

	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/half", nil)
	rec := httptest.NewRecorder()
	require.NotPanics(t, func() { e.ServeHTTP(rec, req) })
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "partial", rec.Body.String())
}
