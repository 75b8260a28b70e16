package mp

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/imut/xuewu/notify/wechat"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// loginJSON is the body of POST /api/mp/login.
type loginJSON struct {
	Code string `json:"code"`
}

// sessionJSON answers a login: the bearer token, until when it holds, and
// whom the account is bound to.
type sessionJSON struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
	identityJSON
}

// identityJSON says whom the account is bound to: role "student" or
// "staff", or bound false and no role.
type identityJSON struct {
	Bound bool   `json:"bound"`
	Role  string `json:"role,omitempty"`
	Name  string `json:"name,omitempty"`
	No    string `json:"no,omitempty"`
	// Class is a student's class name.
	Class string `json:"class,omitempty"`
}

func toIdentityJSON(id models.Identity) identityJSON {
	switch {
	case id.Student != nil:
		out := identityJSON{Bound: true, Role: "student", Name: id.Student.Name, No: id.Student.No}
		if id.Student.Class != nil {
			out.Class = id.Student.Class.Name
		}
		return out
	case id.Staff != nil:
		return identityJSON{Bound: true, Role: "staff", Name: id.Staff.Name, No: id.Staff.No}
	}
	return identityJSON{}
}

// codeRefusal is implemented by errors of the code exchange that can say
// WeChat refused the code itself.
type codeRefusal interface {
	CodeRefused() bool
}

// login exchanges the wx.login code for the openid and answers a token
// and the account's binding. The code is never logged.
func (a *API) login(c *gin.Context) {
	var in loginJSON
	if !decode(c, &in) {
		return
	}
	if in.Code == "" {
		fail(c, http.StatusBadRequest, msgNoCode)
		return
	}
	if !wechat.TokenLike(in.Code, maxCode) {
		fail(c, http.StatusUnauthorized, msgCodeRefused)
		return
	}

	ctx := c.Request.Context()
	openID, err := a.sessions.Code2Session(ctx, in.Code)
	var refused codeRefusal
	switch {
	case errors.As(err, &refused) && refused.CodeRefused():
		a.log.InfoContext(ctx, "mini-program login refused", "error", err)
		fail(c, http.StatusUnauthorized, msgCodeRefused)
		return
	case err != nil || !wechat.TokenLike(openID, maxOpenID):
		a.log.WarnContext(ctx, "mini-program code exchange failed", "error", err)
		fail(c, http.StatusBadGateway, msgLoginDown)
		return
	}

	id, err := a.store.IdentityByMiniOpenID(ctx, openID)
	if err != nil {
		a.internal(c, "look up identity", err)
		return
	}
	expires := a.now().Add(tokenTTL)
	a.log.InfoContext(ctx, "mini-program login", "openid", maskOpenID(openID),
		"bound", id.Bound())
	c.JSON(http.StatusOK, sessionJSON{Token: a.issueToken(openID, expires),
		ExpiresAt: chinaTime(expires), identityJSON: toIdentityJSON(id)})
}

// me answers whom the caller's account is bound to.
func (a *API) me(c *gin.Context) {
	c.JSON(http.StatusOK, toIdentityJSON(callerOf(c).Identity))
}

// bindJSON is the body of POST /api/mp/bind: a 学号 and the last six ID
// characters, or a 工号 and the activation code.
type bindJSON struct {
	No     string `json:"no"`
	Secret string `json:"secret"`
}

// The forms of numbers and secrets, as the chat accepts them.
var (
	studentNoRe = regexp.MustCompile(`^\d{6,12}$`)
	staffNoRe   = regexp.MustCompile(`^[A-Za-z]{1,3}\d{2,8}$`)
	idTailRe    = regexp.MustCompile(`^\d{5}[\dXx]$`)
	codeRe      = regexp.MustCompile(`^[A-Za-z0-9]{4,16}$`)
)

// bindInput is a checked binding attempt.
type bindInput struct {
	no, secret string
	staff      bool
}

// parseBind normalises the number and secret and checks their form; a
// malformed attempt is refused with a hint and counts as no try.
func parseBind(in bindJSON) (bindInput, string) {
	squeeze := func(s string) string { return strings.ReplaceAll(models.Normalize(s), " ", "") }
	b := bindInput{no: squeeze(in.No), secret: squeeze(in.Secret)}
	switch {
	case studentNoRe.MatchString(b.no):
		if !idTailRe.MatchString(b.secret) {
			return b, msgBadID
		}
	case staffNoRe.MatchString(b.no):
		b.no, b.staff = strings.ToUpper(b.no), true
		if !codeRe.MatchString(b.secret) {
			return b, msgBadCode
		}
	default:
		return b, msgBadNo
	}
	return b, ""
}

// bind binds the caller's mini-program account to a student or staff
// member, within the limit of failed tries.
func (a *API) bind(c *gin.Context) {
	var in bindJSON
	if !decode(c, &in) {
		return
	}
	b, bad := parseBind(in)
	if bad != "" {
		fail(c, http.StatusUnprocessableEntity, bad)
		return
	}

	ctx := c.Request.Context()
	who := callerOf(c)
	wait, err := a.limits.Wait(ctx, who.openID, b.no)
	if err != nil {
		a.internal(c, "check binding tries", err)
		return
	}
	if wait > 0 {
		locked(c, wait)
		return
	}

	id, err := a.bindAs(c, who.openID, b)
	if errors.Is(err, models.ErrNotFound) {
		a.log.InfoContext(ctx, "mini-program binding refused",
			"openid", maskOpenID(who.openID), "staff", b.staff)
		if err := a.limits.Fail(ctx, who.openID, b.no); err != nil {
			a.internal(c, "count binding try", err)
			return
		}
		fail(c, http.StatusUnprocessableEntity, models.UserMessage(err))
		return
	}
	if err != nil {
		a.internal(c, "bind", err)
		return
	}
	a.log.InfoContext(ctx, "mini-program account bound",
		"openid", maskOpenID(who.openID), "staff", b.staff)
	c.JSON(http.StatusOK, toIdentityJSON(id))
}

// bindAs binds the account to the student or staff member of b.
func (a *API) bindAs(c *gin.Context, openID string, b bindInput) (models.Identity, error) {
	ctx := c.Request.Context()
	if b.staff {
		sf, err := a.store.BindStaffMini(ctx, openID, b.no, b.secret)
		return models.Identity{Staff: sf}, err
	}
	st, err := a.store.BindStudentMini(ctx, openID, b.no, b.secret)
	return models.Identity{Student: st}, err
}

// locked refuses a binding try while the account or number is locked.
func locked(c *gin.Context, wait time.Duration) {
	mins := max(int((wait+time.Minute-1)/time.Minute), 1)
	c.Header("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	fail(c, http.StatusTooManyRequests, fmt.Sprintf(msgBindLocked, mins))
}

// unbindJSON answers an unbinding: whether there was a binding to remove.
type unbindJSON struct {
	Unbound bool `json:"unbound"`
}

// unbind removes the caller's binding.
func (a *API) unbind(c *gin.Context) {
	ctx := c.Request.Context()
	who := callerOf(c)
	had, err := a.store.UnbindMini(ctx, who.openID)
	if err != nil {
		a.internal(c, "unbind", err)
		return
	}
	if had {
		a.log.InfoContext(ctx, "mini-program account unbound",
			"openid", maskOpenID(who.openID))
	}
	c.JSON(http.StatusOK, unbindJSON{Unbound: had})
}
