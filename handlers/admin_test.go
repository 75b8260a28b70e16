package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers"
	"github.com/imut/xuewu/models"
)

// school is a set of requests in every state the admin API must show.
type school struct {
	*env
	// pending deferral of 2023150101, nothing decided
	deferral1 *models.Request
	// suspension of 2023150101, approved by the advisor at 11:00
	suspension *models.Request
	// deferral of 2023150102, rejected by the dean at 11:00
	rejected *models.Request
	// pending deferral of 2024150101
	deferral2 *models.Request
	// pending withdrawal of 2023150102
	withdrawal *models.Request
}

func deferral(course string) models.Draft {
	return models.Draft{Kind: models.KindDeferral, Reason: "生病", CourseCode: course,
		Phones: []string{"13904712233"}}
}

func statusDraft(kind models.Kind, reason string) models.Draft {
	return models.Draft{Kind: kind, Reason: reason, Details: "家中有事",
		Phones: []string{"13904712233", "13804712233", "0471-6576286"}}
}

// setupSchool files five requests at 2025-03-03 10:00 China time and
// decides two of them an hour later.
func setupSchool(t *testing.T) *school {
	t.Helper()
	s := &school{env: setup(t)}
	submit := func(student string, d models.Draft) *models.Request {
		t.Helper()
		req, err := s.store.Submit(t.Context(), student, d)
		require.NoError(t, err)
		return req
	}
	decide := func(id uint64, staff string, a models.Action, comment string) *models.Request {
		t.Helper()
		req, err := s.store.Decide(t.Context(), models.Decision{RequestID: id, StaffNo: staff,
			Action: a, Comment: comment})
		require.NoError(t, err)
		return req
	}

	s.deferral1 = submit("2023150101", deferral("150165"))
	s.suspension = submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	s.rejected = submit("2023150102", deferral("150165"))
	s.deferral2 = submit("2024150101", deferral("150169"))
	s.withdrawal = submit("2023150102", statusDraft(models.KindWithdrawal, "个人原因"))

	s.clock.Set(cst(2025, 3, 3, 11, 0))
	s.suspension = decide(s.suspension.ID, "T1593", models.ActionApprove, "")
	s.rejected = decide(s.rejected.ID, "T1579", models.ActionReject, "材料不全")
	return s
}

// page is the decoded answer of the request list: the JSON list, and the
// next page's after_id from its header.
type page struct {
	Requests []struct {
		ID uint64 `json:"id"`
	}
	NextAfterID *uint64
}

func decodePage(t *testing.T, rec *httptest.ResponseRecorder) page {
	t.Helper()
	var p page
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p.Requests))
	if h := rec.Header().Get("X-Next-After-Id"); h != "" {
		n, err := strconv.ParseUint(h, 10, 64)
		require.NoError(t, err)
		p.NextAfterID = &n
	}
	return p
}

func (p page) ids() []uint64 {
	out := []uint64{}
	for _, r := range p.Requests {
		out = append(out, r.ID)
	}
	return out
}

func ids(reqs ...*models.Request) []uint64 {
	out := []uint64{}
	for _, r := range reqs {
		out = append(out, r.ID)
	}
	return out
}

func TestAdminRequestsFilter(t *testing.T) {
	t.Parallel()
	s := setupSchool(t)
	tests := []struct {
		name  string
		query string
		want  []uint64
	}{
		{"no filter lists all in order of ID", "",
			ids(s.deferral1, s.suspension, s.rejected, s.deferral2, s.withdrawal)},
		{"empty parameters select everything", "?student_no=&kind=&status=",
			ids(s.deferral1, s.suspension, s.rejected, s.deferral2, s.withdrawal)},
		{"by student", "?student_no=2023150101", ids(s.deferral1, s.suspension)},
		{"by kind", "?kind=deferral", ids(s.deferral1, s.rejected, s.deferral2)},
		{"by status", "?status=rejected", ids(s.rejected)},
		{"pending includes partly approved", "?status=pending",
			ids(s.deferral1, s.suspension, s.deferral2, s.withdrawal)},
		{"student and kind", "?student_no=2023150102&kind=deferral", ids(s.rejected)},
		{"kind and status", "?kind=suspension&status=pending", ids(s.suspension)},
		{"all three", "?student_no=2023150102&kind=withdrawal&status=pending",
			ids(s.withdrawal)},
		{"no match is an empty list", "?student_no=2023150102&kind=deferral&status=pending",
			ids()},
		{"unknown student is an empty list", "?student_no=2099000000", ids()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := s.admin(t, "/admin/api/requests"+tc.query)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Contains(t, rec.Header().Get("Content-Type"), "application/json")
			p := decodePage(t, rec)
			require.Equal(t, tc.want, p.ids())
			require.Nil(t, p.NextAfterID)
		})
	}
}

func TestAdminRequestsFields(t *testing.T) {
	t.Parallel()
	s := setupSchool(t)

	rec := s.admin(t, "/admin/api/requests?student_no=2023150101")
	require.Equal(t, http.StatusOK, rec.Code)
	want := fmt.Sprintf(`[
	  {"id": %d, "kind": "deferral", "status": "pending", "student_no": "2023150101",
	   "course_code": "150165", "course_name": "材料力学", "reason": "生病",
	   "submitted_at": "2025-03-03T10:00:00+08:00", "deadline": "2025-03-13T23:59:59+08:00",
	   "steps": [
	     {"role": "dean", "status": "waiting", "decided_by": null, "decided_at": null,
	      "comment": ""},
	     {"role": "office", "status": "waiting", "decided_by": null, "decided_at": null,
	      "comment": ""}]},
	  {"id": %d, "kind": "suspension", "status": "pending", "student_no": "2023150101",
	   "course_code": "", "course_name": "", "reason": "因病",
	   "submitted_at": "2025-03-03T10:00:00+08:00", "deadline": "2025-03-13T23:59:59+08:00",
	   "steps": [
	     {"role": "advisor", "status": "approved", "decided_by": "T1593",
	      "decided_at": "2025-03-03T11:00:00+08:00", "comment": ""},
	     {"role": "dean", "status": "waiting", "decided_by": null, "decided_at": null,
	      "comment": ""},
	     {"role": "registrar", "status": "waiting", "decided_by": null, "decided_at": null,
	      "comment": ""}]}]`, s.deferral1.ID, s.suspension.ID)
	require.JSONEq(t, want, rec.Body.String())
}

func TestAdminRequestsShowRejection(t *testing.T) {
	t.Parallel()
	s := setupSchool(t)

	rec := s.admin(t, "/admin/api/requests?status=rejected")
	require.Equal(t, http.StatusOK, rec.Code)
	want := fmt.Sprintf(`[
	  {"id": %d, "kind": "deferral", "status": "rejected", "student_no": "2023150102",
	   "course_code": "150165", "course_name": "材料力学", "reason": "生病",
	   "submitted_at": "2025-03-03T10:00:00+08:00", "deadline": "2025-03-13T23:59:59+08:00",
	   "steps": [
	     {"role": "dean", "status": "rejected", "decided_by": "T1579",
	      "decided_at": "2025-03-03T11:00:00+08:00", "comment": "材料不全"},
	     {"role": "office", "status": "waiting", "decided_by": null, "decided_at": null,
	      "comment": ""}]}]`, s.rejected.ID)
	require.JSONEq(t, want, rec.Body.String())
	require.NotContains(t, rec.Body.String(), "13904712233", "phones are not shown")
}

func TestAdminRequestsPaging(t *testing.T) {
	t.Parallel()
	s := setupSchool(t)
	tests := []struct {
		name  string
		query string
		want  []uint64
		next  *models.Request
	}{
		{"first page", "?limit=2", ids(s.deferral1, s.suspension), s.suspension},
		{"middle page", fmt.Sprintf("?limit=2&after_id=%d", s.suspension.ID),
			ids(s.rejected, s.deferral2), s.deferral2},
		{"last page", fmt.Sprintf("?limit=2&after_id=%d", s.deferral2.ID),
			ids(s.withdrawal), nil},
		{"exactly full last page", fmt.Sprintf("?limit=3&after_id=%d", s.suspension.ID),
			ids(s.rejected, s.deferral2, s.withdrawal), nil},
		{"past the end", fmt.Sprintf("?after_id=%d", s.withdrawal.ID), ids(), nil},
		{"filtered first page", "?kind=deferral&limit=2", ids(s.deferral1, s.rejected),
			s.rejected},
		{"filtered last page", fmt.Sprintf("?kind=deferral&limit=2&after_id=%d", s.rejected.ID),
			ids(s.deferral2), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := s.admin(t, "/admin/api/requests"+tc.query)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			p := decodePage(t, rec)
			require.Equal(t, tc.want, p.ids())
			if tc.next == nil {
				require.Nil(t, p.NextAfterID)
				return
			}
			require.NotNil(t, p.NextAfterID)
			require.Equal(t, tc.next.ID, *p.NextAfterID)
		})
	}
}

func TestAdminRequestsRefused(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tests := []struct {
		name      string
		header    []string
		challenge string
		err       string
	}{
		{"without a token", nil, `Bearer realm="xuewu admin"`, "missing bearer token"},
		{"with a wrong token", []string{"Authorization", "Bearer " + adminToken + "x"},
			`Bearer realm="xuewu admin", error="invalid_token"`, "invalid token"},
		{"with a prefix of the token", []string{"Authorization", "Bearer " + adminToken[:10]},
			`Bearer realm="xuewu admin", error="invalid_token"`, "invalid token"},
		{"with another scheme", []string{"Authorization", "Basic " + adminToken},
			`Bearer realm="xuewu admin"`, "missing bearer token"},
		{"with an empty bearer", []string{"Authorization", "Bearer "},
			`Bearer realm="xuewu admin"`, "missing bearer token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := e.get(t, "/admin/api/requests", tc.header...)
			require.Equal(t, http.StatusUnauthorized, rec.Code)
			require.Equal(t, tc.challenge, rec.Header().Get("WWW-Authenticate"))
			require.JSONEq(t, fmt.Sprintf(`{"error": %q}`, tc.err), rec.Body.String())
		})
	}
	require.NotContains(t, e.logs.String(), adminToken[:10], "tokens are never logged")
}

func TestAdminRequestsAcceptLowerCaseScheme(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rec := e.get(t, "/admin/api/requests", "Authorization", "bearer "+adminToken)
	require.Equal(t, http.StatusOK, rec.Code)
}

func TestAdminAPIOffWithoutToken(t *testing.T) {
	t.Parallel()
	e := setup(t, func(d *handlers.Deps) { d.AdminToken = "" })
	for _, header := range [][]string{nil, {"Authorization", "Bearer " + adminToken},
		{"Authorization", "Bearer "}} {
		rec := e.get(t, "/admin/api/requests", header...)
		require.Equal(t, http.StatusNotFound, rec.Code)
		require.Empty(t, rec.Header().Get("WWW-Authenticate"))
	}
}

func TestAdminRequestsBadParameters(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tests := []struct {
		name  string
		query string
		param string
	}{
		{"unknown kind", "kind=leave", "kind"},
		{"kind in the wrong case", "kind=Deferral", "kind"},
		{"unknown status", "status=open", "status"},
		{"step status is not a request status", "status=waiting", "status"},
		{"limit not a number", "limit=ten", "limit"},
		{"limit zero", "limit=0", "limit"},
		{"limit negative", "limit=-5", "limit"},
		{"limit too large", "limit=501", "limit"},
		{"after_id negative", "after_id=-1", "after_id"},
		{"after_id not a number", "after_id=1e3", "after_id"},
		{"student_no with odd characters", "student_no=2023%27%20OR%201=1", "student_no"},
		{"student_no too long", "student_no=" + strings.Repeat("1", 40), "student_no"},
		{"unknown parameter", "student=2023150101", "student"},
		{"repeated parameter", "kind=deferral&kind=suspension", "kind"},
		{"malformed query", "kind=%zz", "query"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := e.admin(t, "/admin/api/requests?"+tc.query)
			require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
			var body struct {
				Error     string `json:"error"`
				Parameter string `json:"parameter"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			require.Equal(t, tc.param, body.Parameter)
			require.Contains(t, body.Error, tc.param)
		})
	}
}

func TestAdminRequestsShowChinaTime(t *testing.T) {
	t.Parallel()
	s := setupSchool(t)
	// The deadline shown is the end of the tenth day in China time even
	// when the request was filed late in the evening, past midnight UTC.
	s.clock.Set(cst(2025, 3, 5, 23, 30))
	req, err := s.store.Submit(t.Context(), "2024150101",
		statusDraft(models.KindSuspension, "其他"))
	require.NoError(t, err)

	rec := s.admin(t, fmt.Sprintf("/admin/api/requests?after_id=%d", req.ID-1))
	require.Equal(t, http.StatusOK, rec.Code)
	var body []struct {
		SubmittedAt string `json:"submitted_at"`
		Deadline    string `json:"deadline"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	require.Len(t, body, 1)
	require.Equal(t, "2025-03-05T23:30:00+08:00", body[0].SubmittedAt)
	require.Equal(t, "2025-03-15T23:59:59+08:00", body[0].Deadline)
	_, err = time.Parse(time.RFC3339, body[0].Deadline)
	require.NoError(t, err)
}
