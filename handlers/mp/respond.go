package mp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// maxBodyBytes caps a request's body.
const maxBodyBytes = 64 << 10

// errorJSON is the body of every error answer.
type errorJSON struct {
	Error string `json:"error"`
	// Courses are the closest courses of the student's plan, when the
	// course named is not in it (rule 4).
	Courses []courseJSON `json:"courses,omitempty"`
}

// fail answers with a JSON error and stops the request.
func fail(c *gin.Context, status int, msg string) {
	c.AbortWithStatusJSON(status, errorJSON{Error: msg})
}

// headers caps the body and keeps the answers out of caches.
func (a *API) headers(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	}
	c.Next()
}

// recoverPanic turns a panic into a logged error and a JSON apology.
func (a *API) recoverPanic(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v)
		}
		a.log.ErrorContext(c.Request.Context(), "panic in mini-program API",
			"panic", v, "route", c.FullPath(), "stack", string(debug.Stack()))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		fail(c, http.StatusInternalServerError, msgInternal)
	}()
	c.Next()
}

// internal logs a failure and answers 500 with a neutral message.
func (a *API) internal(c *gin.Context, doing string, err error) {
	a.log.ErrorContext(c.Request.Context(), "mini-program API failed",
		"doing", doing, "error", err)
	fail(c, http.StatusInternalServerError, msgInternal)
}

// refuse answers a workflow error: a refusal with its sentence and the
// status its cause calls for, anything else as an internal failure.
func (a *API) refuse(c *gin.Context, doing string, err error) {
	var r *models.Refusal
	if !errors.As(err, &r) {
		a.internal(c, doing, err)
		return
	}
	body := errorJSON{Error: r.Message}
	for i := range r.Courses {
		body.Courses = append(body.Courses, toCourseJSON(&r.Courses[i]))
	}
	c.AbortWithStatusJSON(refusalStatus(r.Cause), body)
}

// refusalStatus is the HTTP status of a refusal's cause: the request is
// missing (404), someone else's (403), past the point of change (409), or
// the input breaks a rule (422).
func refusalStatus(cause error) int {
	switch {
	case errors.Is(cause, models.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(cause, models.ErrNotOwner):
		return http.StatusForbidden
	case errors.Is(cause, models.ErrLocked), errors.Is(cause, models.ErrConflict),
		errors.Is(cause, models.ErrNotPending):
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// decode reads the body as one JSON value into into, refusing unknown
// fields and trailing data. It answers the error itself and reports
// whether to go on.
func decode(c *gin.Context, into any) bool {
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(into)
	if err == nil {
		if _, extra := dec.Token(); !errors.Is(extra, io.EOF) {
			err = errors.New("data after the JSON object")
		}
	}

	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooLarge):
		fail(c, http.StatusRequestEntityTooLarge, msgTooLarge)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		fail(c, http.StatusBadRequest, fmt.Sprintf(msgBadField, field))
	default:
		fail(c, http.StatusBadRequest, msgBadJSON)
	}
	return false
}

// cleanText reports whether every string is free of control characters
// other than line breaks and tabs, which no field needs and the database
// may refuse.
func cleanText(values ...string) bool {
	for _, v := range values {
		for _, r := range v {
			control := r < 0x20 && r != '\n' && r != '\r' && r != '\t'
			if control || r == 0x7f || r == '\uFFFD' {
				return false
			}
		}
	}
	return true
}
