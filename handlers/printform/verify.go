package printform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/imut/xuewu/models"
)

// macLen is how many hex digits of the HMAC a token carries (64 bits).
const macLen = 16

// VerifyToken returns the token of request id's verification link:
// "<id>-<the first 16 hex digits of HMAC-SHA256(key, "verify:<id>")>".
// The key is store.DeriveKey("verify"); the link is PUBLIC_URL +
// "/h5/verify/" + token.
func VerifyToken(key []byte, id uint64) string {
	return strconv.FormatUint(id, 10) + "-" + verifyMAC(key, id)
}

// ParseVerifyToken returns the request id of a token that VerifyToken
// made with the same key, and false for anything else, an empty key
// included. The MAC is compared in constant time.
func ParseVerifyToken(key []byte, token string) (uint64, bool) {
	idText, mac, ok := strings.Cut(token, "-")
	if !ok || len(key) == 0 || len(mac) != macLen {
		return 0, false
	}
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil || strconv.FormatUint(id, 10) != idText {
		return 0, false
	}
	if !hmac.Equal([]byte(mac), []byte(verifyMAC(key, id))) {
		return 0, false
	}
	return id, true
}

func verifyMAC(key []byte, id uint64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("verify:" + strconv.FormatUint(id, 10)))
	return hex.EncodeToString(m.Sum(nil))[:macLen]
}

// VerifyView is what the public verification page is made from. The page
// shows less than the printed form: the student's given name and the
// middle of the 学号 masked, and no phones, details, comments or names of
// approvers.
type VerifyView struct {
	// Request is the request to show, with its Steps loaded.
	Request *models.Request
	Student *models.Student
	// CheckedAt is the time shown as 核验时间; zero means time.Now().
	CheckedAt time.Time
}

// verifyPage is the verification page's content.
type verifyPage struct {
	Number    uint64
	Kind      string
	Name      string
	StudentNo string
	Course    string
	Status    string
	Submitted string
	Deadline  string
	Steps     []verifyStep
	Checked   string
	Footer    string
}

// verifyStep is one step of the chain: who, what they decided, when.
type verifyStep struct {
	Role     string
	Decision string
	Date     string
}

// VerifyHTML writes the public page that a form's QR code opens: whether
// the request is genuine and where it stands.
func VerifyHTML(w io.Writer, v VerifyView) error {
	if v.Request == nil || v.Student == nil {
		return fmt.Errorf("%w: request and student are required", ErrIncomplete)
	}
	rule, ok := models.RuleFor(v.Request.Kind)
	if !ok {
		return fmt.Errorf("%w: unknown kind %q", ErrIncomplete, v.Request.Kind)
	}
	return execute(w, "verify.html", newVerifyPage(v, rule))
}

func newVerifyPage(v VerifyView, rule models.KindRule) verifyPage {
	r := v.Request
	checked := v.CheckedAt
	if checked.IsZero() {
		checked = time.Now()
	}
	return verifyPage{
		Number:    r.ID,
		Kind:      rule.Label,
		Name:      maskName(v.Student.Name),
		StudentNo: maskNumber(v.Student.No),
		Course:    r.CourseName,
		Status:    r.Status.Label(),
		Submitted: longDate(r.SubmittedAt),
		Deadline:  longTime(r.Deadline),
		Steps:     verifySteps(rule, r),
		Checked:   fmt.Sprintf(verifyChecked, longTime(checked)),
		Footer:    verifyFooter,
	}
}

func verifySteps(rule models.KindRule, r *models.Request) []verifyStep {
	current := r.Current()
	out := make([]verifyStep, len(rule.Chain))
	for i, sr := range rule.Chain {
		out[i] = verifyStep{Role: roleName(sr), Decision: decisionNotYet}
		st := latestStep(r.Steps, i)
		switch {
		case st == nil:
		case st.Status != models.StepWaiting:
			out[i].Decision, out[i].Date = decisionLabels[st.Status], decidedOn(st)
		case r.Status.Open() && current != nil && current.Seq == i:
			out[i].Decision = decisionWaiting
		}
	}
	return out
}

// maskName keeps the surname (the first character) and stars the rest.
func maskName(name string) string {
	rs := []rune(name)
	if len(rs) < 2 {
		return name
	}
	return string(rs[0]) + strings.Repeat("*", len(rs)-1)
}

// maskNumber keeps the first four and last two digits of a 学号 (one at
// each end when it is short) and stars the middle.
func maskNumber(no string) string {
	rs := []rune(no)
	head, tail := 4, 2
	if len(rs) < 8 {
		head, tail = 1, 1
	}
	if len(rs) <= head+tail {
		return strings.Repeat("*", len(rs))
	}
	return string(rs[:head]) + strings.Repeat("*", len(rs)-head-tail) + string(rs[len(rs)-tail:])
}
