package h5

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// Paths the login flow uses.
const (
	oauthPath   = "/h5/oauth"
	defaultNext = "/h5/pending"
)

// login sends the visitor to WeChat to learn the openid, then back to
// next through the OAuth callback. The state is random and kept in a
// short-lived cookie, so that only this browser can complete the login.
func (p *Pages) login(c *gin.Context, next string) {
	state := randomToken()
	p.setCookie(c.Writer, stateCookie, state, oauthPath, stateTTL)
	back := p.base + oauthPath + "?next=" + url.QueryEscape(safeNext(next))
	c.Redirect(http.StatusFound, p.oauth.AuthorizeURL(back, state))
}

// oauthCallback is where WeChat sends the visitor back: it checks the
// state, exchanges the code for the openid, starts the session and goes
// on to next.
func (p *Pages) oauthCallback(c *gin.Context) {
	q := c.Request.URL.Query()
	next := safeNext(q.Get("next"))
	state, code := q.Get("state"), q.Get("code")
	cookie, err := c.Request.Cookie(stateCookie)
	p.setCookie(c.Writer, stateCookie, "", oauthPath, -1)

	if err != nil || state == "" || !validCode(code) ||
		subtle.ConstantTimeCompare([]byte(cookie.Value), []byte(state)) != 1 {
		p.message(c, http.StatusBadRequest, titleLogin, msgLoginStale, next)
		return
	}

	ctx := c.Request.Context()
	openID, err := p.oauth.OpenID(ctx, code)
	if err != nil || !validOpenID(openID) {
		p.log.WarnContext(ctx, "h5 oauth code exchange failed", "error", err)
		p.message(c, http.StatusBadGateway, titleLogin, msgLoginFailed, "")
		return
	}

	expires := p.now().Add(sessionTTL)
	p.setCookie(c.Writer, sessionCookie, p.sessionValue(openID, expires), "/h5", sessionTTL)
	c.Redirect(http.StatusFound, next)
}

// safeNext returns raw when it is a local path under /h5/ (with its
// query), and the pending list otherwise: never another site.
func safeNext(raw string) string {
	if raw == "" || strings.ContainsAny(raw, "\\") || strings.HasPrefix(raw, "//") {
		return defaultNext
	}
	for _, r := range raw {
		if r < 0x20 || r == 0x7f {
			return defaultNext
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return defaultNext
	}
	clean := path.Clean(u.Path)
	if !strings.HasPrefix(clean, "/h5/") || clean == oauthPath {
		return defaultNext
	}
	out := &url.URL{Path: clean, RawQuery: u.RawQuery}
	return out.String()
}
