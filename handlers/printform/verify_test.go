package printform_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/printform"
	"github.com/imut/xuewu/models"
)

func TestVerifyTokenRoundTrip(t *testing.T) {
	t.Parallel()
	for _, id := range []uint64{1, 202, 18446744073709551615} {
		token := printform.VerifyToken(verifyKey, id)
		require.True(t, strings.HasPrefix(token, strconv.FormatUint(id, 10)+"-"), token)

		got, ok := printform.ParseVerifyToken(verifyKey, token)
		require.True(t, ok, token)
		require.Equal(t, id, got)
	}
}

func TestParseVerifyTokenRefusesForgeries(t *testing.T) {
	t.Parallel()
	good := printform.VerifyToken(verifyKey, 202)
	id, mac, _ := strings.Cut(good, "-")
	flipped := []byte(mac)
	flipped[3] ^= 1

	for name, token := range map[string]string{
		"other id, same MAC":  "203-" + mac,
		"changed MAC":         id + "-" + string(flipped),
		"short MAC":           id + "-" + mac[:15],
		"long MAC":            good + "0",
		"upper-case MAC":      id + "-" + strings.ToUpper(mac),
		"leading zero":        "0" + good,
		"plus sign":           "+" + good,
		"no MAC":              id,
		"empty":               "",
		"other key's token":   printform.VerifyToken([]byte("another key"), 202),
		"negative id":         "-202-" + mac,
		"id overflowing u64":  "18446744073709551616-" + mac,
		"MAC of the empty id": "-" + mac,
	} {
		_, ok := printform.ParseVerifyToken(verifyKey, token)
		require.False(t, ok, name)
	}

	_, ok := printform.ParseVerifyToken(nil, printform.VerifyToken(nil, 202))
	require.False(t, ok, "an empty key verifies nothing")
}

func TestVerifyHTMLShowsStatusAndHidesPrivateFields(t *testing.T) {
	t.Parallel()
	s := samples()[2] // suspension: advisor decided
	s.form.Request.Steps[0].Comment = "情况属实，同意休学"
	checked := time.Date(2025, 3, 24, 8, 0, 0, 0, cst)

	var buf bytes.Buffer
	v := printform.VerifyView{Request: s.form.Request, Student: s.form.Student, CheckedAt: checked}
	require.NoError(t, printform.VerifyHTML(&buf, v))
	page := buf.String()

	for _, want := range []string{"202", "休学", "阿*****", "2023****22", "审批中",
		"2025年3月22日", "班主任", "同意", "2025年3月23日", "学院主管院长", "待审批",
		"教务处学籍管理科", "2025年3月24日 08:00"} {
		require.Contains(t, page, want)
	}
	for _, secret := range []string{"阿拉坦", "2023150122", "13904712233", "13704710011",
		"0471-6576286", "本人因家庭原因", "情况属实", "侯燕", "T1", "入伍通知书"} {
		require.NotContains(t, page, secret)
	}
}

func TestVerifyHTMLShowsTheOutcomeOfAClosedRequest(t *testing.T) {
	t.Parallel()
	s := samples()[0] // deferral: dean approved; office open
	r := *s.form.Request
	r.Status = models.RequestExpired

	var buf bytes.Buffer
	require.NoError(t, printform.VerifyHTML(&buf,
		printform.VerifyView{Request: &r, Student: s.form.Student}))
	page := buf.String()

	require.Contains(t, page, "已过期撤销")
	require.Contains(t, page, "机械原理")
	require.Contains(t, page, "武**")
	require.NotContains(t, page, "待审批", "nobody waits on an expired request")
}

func TestVerifyHTMLRefusesAnIncompleteView(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	err := printform.VerifyHTML(&buf, printform.VerifyView{Request: samples()[0].form.Request})
	require.ErrorIs(t, err, printform.ErrIncomplete)
	require.Zero(t, buf.Len())
}

func TestVerifyHTMLShowsAReturnedStepWaitingAgain(t *testing.T) {
	t.Parallel()
	s := samples()[3] // resumption: dean, registrar
	r := s.form.Request
	r.Steps[0].Status = models.StepReturned
	again := models.Step{ID: 9999, RequestID: r.ID, Seq: 0,
		Role: models.RoleDean, Scope: models.ScopeCollege, Status: models.StepWaiting}
	r.Steps = slices.Insert(r.Steps, 1, again) // in the store's order: seq, id

	var buf bytes.Buffer
	require.NoError(t, printform.VerifyHTML(&buf,
		printform.VerifyView{Request: r, Student: s.form.Student}))
	page := buf.String()

	require.Contains(t, page, "待审批")
	require.NotContains(t, page, "退回修改", "the step's latest state counts")
	require.NotContains(t, page, "同意")
}
