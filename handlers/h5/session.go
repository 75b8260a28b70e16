package h5

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/imut/xuewu/notify/wechat"
)

// Cookies of the pages.
const (
	// sessionCookie holds the openid and expiry, signed; path /h5.
	sessionCookie = "xuewu_h5_session"
	// stateCookie holds the OAuth state while the visitor is at WeChat.
	stateCookie = "xuewu_h5_state"
	// sessionTTL is how long a login lasts.
	sessionTTL = 12 * time.Hour
	// stateTTL is how long a visitor has to come back from WeChat.
	stateTTL = 10 * time.Minute
)

var b64 = base64.RawURLEncoding

// sessionValue returns the signed cookie value that says openID logged in
// and may stay so until expires: base64(openid).unix-expiry.base64(mac).
func (p *Pages) sessionValue(openID string, expires time.Time) string {
	body := b64.EncodeToString([]byte(openID)) + "." + strconv.FormatInt(expires.Unix(), 10)
	return body + "." + b64.EncodeToString(p.mac(p.sessionKey, "session", body))
}

// openSession checks a session cookie value and returns its openid; false
// when the value is forged, malformed or expired.
func (p *Pages) openSession(value string) (string, bool) {
	parts := strings.Split(value, ".")
	if len(parts) != 3 {
		return "", false
	}
	body := parts[0] + "." + parts[1]
	mac, err := b64.DecodeString(parts[2])
	if err != nil || !hmac.Equal(mac, p.mac(p.sessionKey, "session", body)) {
		return "", false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !p.now().Before(time.Unix(exp, 0)) {
		return "", false
	}
	openID, err := b64.DecodeString(parts[0])
	if err != nil || !validOpenID(string(openID)) {
		return "", false
	}
	return string(openID), true
}

// csrfToken ties a form to the session and to what the form acts on
// (scope, such as "approve:12"), so that a token is good for nothing else.
func (p *Pages) csrfToken(session, scope string) string {
	return b64.EncodeToString(p.mac(p.csrfKey, scope, session))
}

// csrfValid checks a token from a form in constant time.
func (p *Pages) csrfValid(session, scope, token string) bool {
	got, err := b64.DecodeString(token)
	return err == nil && hmac.Equal(got, p.mac(p.csrfKey, scope, session))
}

// mac is HMAC-SHA256 of purpose and message under key.
func (p *Pages) mac(key []byte, purpose, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// setCookie sets a cookie of the pages: HttpOnly, SameSite=Lax, Secure
// when PUBLIC_URL is https. A negative maxAge deletes it.
func (p *Pages) setCookie(w http.ResponseWriter, name, value, path string, maxAge time.Duration) {
	//nolint:gosec // G124: Secure follows PUBLIC_URL's scheme (plain http only in demo mode).
	c := &http.Cookie{
		Name: name, Value: value, Path: path, MaxAge: int(maxAge / time.Second),
		HttpOnly: true, Secure: p.secure, SameSite: http.SameSiteLaxMode,
	}
	if maxAge < 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// randomToken returns 16 random bytes, base64url-encoded.
func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return b64.EncodeToString(b)
}

// validOpenID accepts what WeChat uses for openids: 1 to 64 letters,
// digits, '-' and '_'.
func validOpenID(s string) bool {
	return wechat.TokenLike(s, 64)
}

// validCode accepts an OAuth code: 1 to 128 letters, digits, '-' and '_'.
// Anything else could smuggle parameters into the code exchange.
func validCode(s string) bool {
	return wechat.TokenLike(s, 128)
}
