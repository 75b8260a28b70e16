package mp

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// caller is who calls the API: the mini-program account and whom it is
// bound to.
type caller struct {
	openID string
	models.Identity
}

// callerKey is the gin context key of the caller.
const callerKey = "mp.caller"

// authenticate finds the caller by the bearer token; without a valid one
// the call is refused with 401.
func (a *API) authenticate(c *gin.Context) {
	token, ok := bearer(c.GetHeader("Authorization"))
	if !ok {
		c.Header("WWW-Authenticate", `Bearer realm="xuewu-mp"`)
		fail(c, http.StatusUnauthorized, msgNoLogin)
		return
	}
	openID, ok := a.openToken(token)
	if !ok {
		c.Header("WWW-Authenticate", `Bearer realm="xuewu-mp", error="invalid_token"`)
		fail(c, http.StatusUnauthorized, msgLoginExpired)
		return
	}

	id, err := a.store.IdentityByMiniOpenID(c.Request.Context(), openID)
	if err != nil {
		a.internal(c, "look up identity", err)
		return
	}
	c.Set(callerKey, &caller{openID: openID, Identity: id})
	c.Next()
}

// bearer returns the token of an Authorization header of the Bearer
// scheme, whose name is case-insensitive.
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

// requireStudent lets only a caller bound to a student through.
func (a *API) requireStudent(c *gin.Context) {
	who := callerOf(c)
	switch {
	case who.Staff != nil:
		fail(c, http.StatusForbidden, msgStudentsOnly)
	case who.Student == nil:
		fail(c, http.StatusForbidden, msgNotBound)
	default:
		c.Next()
	}
}

// callerOf returns the caller that authenticate found.
func callerOf(c *gin.Context) *caller {
	v, _ := c.Get(callerKey)
	who, _ := v.(*caller)
	if who == nil {
		return &caller{}
	}
	return who
}
