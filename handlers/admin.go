package handlers

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// Paging and limits of the admin API's request list.
const (
	defaultLimit = 100 // requests per page when limit is not given
	maxLimit     = 500 // the largest limit accepted
	maxStudentNo = 32  // the longest 学号 accepted
)

// adminRealm names the protection space in WWW-Authenticate.
const adminRealm = `Bearer realm="xuewu admin"`

// requireAdmin lets through only requests that carry the admin token as a
// bearer token, compared in constant time.
func (s *server) requireAdmin(c *gin.Context) {
	token, ok := bearerToken(c.GetHeader("Authorization"))
	if !ok {
		unauthorized(c, adminRealm, "missing bearer token")
		return
	}
	if !sameToken(token, s.AdminToken) {
		ctx := c.Request.Context()
		s.logger(ctx).WarnContext(ctx, "admin token refused", "client_ip", c.ClientIP())
		unauthorized(c, adminRealm+`, error="invalid_token"`, "invalid token")
		return
	}
	c.Next()
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// sameToken compares two tokens in constant time, whatever their lengths.
func sameToken(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

func unauthorized(c *gin.Context, challenge, msg string) {
	c.Header("WWW-Authenticate", challenge)
	fail(c, http.StatusUnauthorized, msg)
}

// listRequests answers GET /admin/api/requests: the requests that match
// student_no, kind and status, a page of limit after after_id.
func (s *server) listRequests(c *gin.Context) {
	f, perr := parseRequestFilter(c.Request.URL.RawQuery)
	if perr != nil {
		c.AbortWithStatusJSON(http.StatusBadRequest,
			errorBody{Error: perr.Error(), Parameter: perr.param})
		return
	}

	limit := f.Limit
	f.Limit++ // one more tells whether another page follows
	ctx := c.Request.Context()
	reqs, err := s.Store.Requests(ctx, f)
	if err != nil {
		s.logger(ctx).ErrorContext(ctx, "list requests", "error", err)
		fail(c, http.StatusInternalServerError, "internal server error")
		return
	}

	page := toRequestPage(reqs, limit)
	if page.NextAfterID != nil {
		c.Header(nextAfterIDHeader, strconv.FormatUint(*page.NextAfterID, 10))
	}
	c.JSON(http.StatusOK, page.Requests)
}

// nextAfterIDHeader carries the after_id of the next page when the list
// goes on; the body stays the plain JSON list of the spec.
const nextAfterIDHeader = "X-Next-After-Id"

// paramError is a query parameter with a wrong value.
type paramError struct {
	param string
	msg   string
}

func (e *paramError) Error() string { return e.param + ": " + e.msg }

// filterParams are the query parameters of the request list.
var filterParams = []string{"student_no", "kind", "status", "limit", "after_id"}

// parseRequestFilter reads the query string of the request list. Empty
// parameters select everything; unknown or repeated ones are refused.
func parseRequestFilter(rawQuery string) (models.RequestFilter, *paramError) {
	f := models.RequestFilter{Limit: defaultLimit}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return f, &paramError{param: "query", msg: "malformed query string"}
	}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		switch {
		case !slices.Contains(filterParams, name):
			return f, &paramError{param: name, msg: "unknown parameter; use " +
				strings.Join(filterParams, ", ")}
		case len(q[name]) > 1:
			return f, &paramError{param: name, msg: "given more than once"}
		}
	}

	parsers := []func(string, *models.RequestFilter) *paramError{
		parseStudentNo, parseKind, parseStatus, parseLimit, parseAfterID,
	}
	for i, parse := range parsers {
		v := strings.TrimSpace(q.Get(filterParams[i]))
		if v == "" {
			continue
		}
		if perr := parse(v, &f); perr != nil {
			return f, perr
		}
	}
	return f, nil
}

func parseStudentNo(v string, f *models.RequestFilter) *paramError {
	if len(v) > maxStudentNo || strings.IndexFunc(v, notAlnum) >= 0 {
		return &paramError{param: "student_no", msg: "not a student number (letters and " +
			"digits, at most " + strconv.Itoa(maxStudentNo) + ")"}
	}
	f.StudentNo = v
	return nil
}

func notAlnum(r rune) bool {
	return (r < '0' || r > '9') && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z')
}

func parseKind(v string, f *models.RequestFilter) *paramError {
	if _, ok := models.RuleFor(models.Kind(v)); !ok {
		kinds := make([]string, len(models.Rules))
		for i, r := range models.Rules {
			kinds[i] = string(r.Kind)
		}
		return &paramError{param: "kind", msg: fmt.Sprintf("unknown kind %q; use one of %s",
			v, strings.Join(kinds, ", "))}
	}
	f.Kind = models.Kind(v)
	return nil
}

func parseStatus(v string, f *models.RequestFilter) *paramError {
	st := models.RequestStatus(v)
	if !slices.Contains(requestStatuses, st) {
		names := make([]string, len(requestStatuses))
		for i, s := range requestStatuses {
			names[i] = string(s)
		}
		return &paramError{param: "status", msg: fmt.Sprintf(
			"unknown status %q; use one of %s", v, strings.Join(names, ", "))}
	}
	f.Status = st
	return nil
}

func parseLimit(v string, f *models.RequestFilter) *paramError {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return &paramError{param: "limit", msg: fmt.Sprintf(
			"want a whole number from 1 to %d", maxLimit)}
	}
	f.Limit = n
	return nil
}

func parseAfterID(v string, f *models.RequestFilter) *paramError {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return &paramError{param: "after_id", msg: "want a request ID (a whole number)"}
	}
	f.AfterID = n
	return nil
}
