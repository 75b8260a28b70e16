package h5

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/printform"
	"github.com/imut/xuewu/models"
)

func TestPrintFormIsForTheStudentApproversAndAdmins(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2024150101", models.Draft{Kind: models.KindExemption, Reason: "退役士兵",
		CourseCode: "000196", Phones: []string{"13904712233"}})
	path := "/h5/print/" + formatID(req.ID)

	for _, no := range []string{"2024150101", "T1662", "T1671", "T1558"} {
		u := e.as(openID(no))
		p := u.get(path)
		require.Equal(t, http.StatusOK, p.status, no)
		require.Contains(t, p.header.Get("Content-Type"), "text/html")
		require.Contains(t, p.body, "免考申请表")
		require.Contains(t, p.body, "data:image/png;base64,")
		require.Contains(t, p.header.Get("Content-Security-Policy"), "frame-ancestors 'none'")

		p = u.get(path + ".pdf")
		require.Equal(t, http.StatusOK, p.status, no)
		require.Equal(t, "application/pdf", p.header.Get("Content-Type"))
		require.True(t, strings.HasPrefix(p.body, "%PDF-"))
	}

	for _, no := range []string{"2023150101", "T1579", "T1593", "o-nobody"} {
		id := openID(no)
		if strings.HasPrefix(no, "o-") {
			id = no
		}
		u := e.as(id)
		require.Equal(t, http.StatusForbidden, u.get(path).status, no)
		require.Equal(t, http.StatusForbidden, u.get(path+".pdf").status, no)
	}
}

func TestVerifyPageIsPublicAndNeedsAGenuineToken(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	token := printform.VerifyToken(e.store.DeriveKey("verify"), req.ID)

	anyone := e.as("")
	p := anyone.get("/h5/verify/" + token)
	require.Equal(t, http.StatusOK, p.status)
	require.Empty(t, anyone.hops, "no login")
	require.Contains(t, p.body, "武*")
	require.NotContains(t, p.body, "武杰")
	require.NotContains(t, p.body, "13904712233")
	require.Zero(t, e.wx.exchangeCount())

	forged := printform.VerifyToken([]byte("another key"), req.ID)
	for _, bad := range []string{forged, "1-0000000000000000", "abc"} {
		p = anyone.get("/h5/verify/" + bad)
		require.Equal(t, http.StatusNotFound, p.status, bad)
		require.Contains(t, p.body, "核验码无效")
	}
}

func TestEveryPageCarriesTheSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := setup(t)
	req := e.submit("2023150101", statusDraft(models.KindSuspension, "因病"))
	u := e.as(openID("T1593"))
	for _, path := range []string{approvePath(req.ID), "/h5/pending", "/h5/approve/999",
		"/h5/oauth"} {
		p := u.get(path)
		h := p.header
		require.Equal(t, "no-store", h.Get("Cache-Control"), path)
		require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
		require.Equal(t, "DENY", h.Get("X-Frame-Options"), path)
		csp := h.Get("Content-Security-Policy")
		require.Contains(t, csp, "default-src 'none'", path)
		require.Contains(t, csp, "frame-ancestors 'none'", path)
		require.NotContains(t, csp, "unsafe-inline", path)
		require.Contains(t, p.body,
			`<meta name="viewport" content="width=device-width, initial-scale=1">`)
		require.NotContains(t, p.body, "http://", "no outside resources")
		require.NotContains(t, p.body, "https://")
	}
}
