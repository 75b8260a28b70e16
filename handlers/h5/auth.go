package h5

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// viewer is the visitor of a page: the WeChat account and whom it is
// bound to.
type viewer struct {
	openID string
	// session is the session cookie's value, which CSRF tokens are tied to.
	session string
	models.Identity
}

// viewerKey is the gin context key of the visitor.
const viewerKey = "h5.viewer"

// authenticate finds the visitor by the session cookie. Without a valid
// session a GET goes to the WeChat login and a POST is refused (a form
// may not be sent on to WeChat); an unbound account is told to bind.
func (p *Pages) authenticate(c *gin.Context) {
	openID, session, ok := p.sessionOf(c.Request)
	if !ok {
		if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
			p.login(c, c.Request.URL.RequestURI())
		} else {
			p.message(c, http.StatusUnauthorized, titleError, msgSessionGone, c.Request.URL.Path)
		}
		c.Abort()
		return
	}

	ctx := c.Request.Context()
	id, err := p.store.IdentityByOpenID(ctx, openID)
	if err != nil {
		p.fail(c, "look up identity", err)
		c.Abort()
		return
	}
	if !id.Bound() {
		p.message(c, http.StatusForbidden, titleError, msgNotBound, "")
		c.Abort()
		return
	}
	c.Set(viewerKey, &viewer{openID: openID, session: session, Identity: id})
	c.Next()
}

// sessionOf returns the openid and cookie value of a valid session.
func (p *Pages) sessionOf(r *http.Request) (string, string, bool) {
	cookie, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", "", false
	}
	openID, ok := p.openSession(cookie.Value)
	return openID, cookie.Value, ok
}

// viewerOf returns the visitor that authenticate found.
func viewerOf(c *gin.Context) *viewer {
	v, _ := c.Get(viewerKey)
	vw, _ := v.(*viewer)
	return vw
}

// checkPost refuses a POST whose CSRF token does not belong to the
// session and scope, or whose Origin (or else Referer) is not PUBLIC_URL's.
// It answers the refusal itself and reports whether to go on.
func (p *Pages) checkPost(c *gin.Context, v *viewer, scope string) bool {
	if p.sameOrigin(c.Request) && p.csrfValid(v.session, scope, c.PostForm("csrf")) {
		return true
	}
	ctx := c.Request.Context()
	p.log.WarnContext(ctx, "h5 post refused: bad csrf token or origin", "scope", scope)
	p.message(c, http.StatusForbidden, titleError, msgBadCSRF, c.Request.URL.Path)
	return false
}

// sameOrigin reports whether the Origin header, or the Referer when there
// is no Origin, names PUBLIC_URL's scheme and host. Neither header at all
// passes: the CSRF token still guards the request.
func (p *Pages) sameOrigin(r *http.Request) bool {
	src := r.Header.Get("Origin")
	if src == "" {
		src = r.Header.Get("Referer")
	}
	if src == "" {
		return true
	}
	u, err := url.Parse(src)
	return err == nil && u.Scheme == p.public.Scheme && u.Host == p.public.Host
}
