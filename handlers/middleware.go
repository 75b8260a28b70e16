package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

// requestIDHeader carries the request ID in and out.
const requestIDHeader = "X-Request-ID"

// maxRequestID is the longest incoming request ID that is kept.
const maxRequestID = 64

// maxLoggedPath is the longest path the access log writes in full.
const maxLoggedPath = 256

type ctxKey int

const (
	requestIDKey ctxKey = iota
	loggerKey
)

// RequestID returns the ID of the HTTP request that ctx belongs to, or ""
// outside one.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// requestID takes a sane incoming X-Request-ID or makes one, echoes it in
// the response and puts it, with a logger that carries it, in the context.
func (s *server) requestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if !saneRequestID(id) {
		id = newRequestID()
	}
	c.Header(requestIDHeader, id)

	ctx := context.WithValue(c.Request.Context(), requestIDKey, id)
	ctx = context.WithValue(ctx, loggerKey, s.Logger.With("request_id", id))
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// saneRequestID accepts 1 to 64 letters, digits, '-', '_' and '.'.
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

// newRequestID returns 16 random bytes in hex.
func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// logger returns the request's logger, which carries its request ID.
func (s *server) logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return s.Logger
}

// accessLog writes one line per request: never the query string or the
// body, which may hold personal data. Successful probes log at debug.
func (s *server) accessLog(c *gin.Context) {
	start := s.Now()
	c.Next()

	status := c.Writer.Status()
	level := slog.LevelInfo
	switch {
	case status >= http.StatusInternalServerError:
		level = slog.LevelError
	case isProbe(c.FullPath()) && status < http.StatusBadRequest:
		level = slog.LevelDebug
	}
	path := c.Request.URL.Path
	if len(path) > maxLoggedPath {
		path = path[:maxLoggedPath] + "…"
	}
	ctx := c.Request.Context()
	s.logger(ctx).LogAttrs(ctx, level, "http request",
		slog.String("method", c.Request.Method),
		slog.String("path", path),
		slog.Int("status", status),
		slog.Int64("duration_ms", s.Now().Sub(start).Milliseconds()),
	)
}

// isProbe reports whether the route is one that monitors call often.
func isProbe(route string) bool {
	return route == "/healthz" || route == "/readyz" || route == "/metrics"
}

// recoverPanic turns a panic in a handler into a logged error and a 500
// answer with a neutral message, so that no panic reaches the user.
func (s *server) recoverPanic(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v) // a deliberate abort of the response, for net/http
		}
		ctx := c.Request.Context()
		s.logger(ctx).ErrorContext(ctx, "panic in handler",
			"panic", v, "route", c.FullPath(), "stack", string(debug.Stack()))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		fail(c, http.StatusInternalServerError, "internal server error")
	}()
	c.Next()
}
