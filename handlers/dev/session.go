package dev

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/imut/xuewu/notify/wechat"
)

// Cookies of the simulator.
const (
	// personCookie names the person on the simulated phone (学号 or
	// 工号); path /dev, so the fake OAuth page sees it too.
	personCookie = "xuewu_dev_person"
	// studentCookie names the last student chosen, offered to go back to
	// from a staff member.
	studentCookie = "xuewu_dev_student"
	// csrfCookie holds the random value the page's CSRF token is tied to.
	csrfCookie = "xuewu_dev_csrf"
	// h5SessionCookie is the /h5 pages' login (see handlers/h5). The
	// simulator ends it when the person changes, so that the next card
	// opened logs in again, through the fake OAuth, as the new person.
	h5SessionCookie = "xuewu_h5_session"
	h5Path          = "/h5"

	cookieTTL = 30 * 24 * time.Hour
	// maxFormBytes caps the body of a POST other than a photo.
	maxFormBytes = 64 << 10
	// csrfHeader carries the CSRF token of the page's fetch calls.
	csrfHeader = "X-CSRF-Token"
)

// setCookie sets a cookie of the simulator: HttpOnly, SameSite=Lax (the
// fake OAuth page is reached by a redirect from /h5), Secure when
// PUBLIC_URL is https. A negative maxAge deletes it.
func (s *Simulator) setCookie(w http.ResponseWriter, name, value, path string,
	maxAge time.Duration) {
	//nolint:gosec // G124: Secure follows PUBLIC_URL's scheme (plain http only on a laptop).
	c := &http.Cookie{Name: name, Value: value, Path: path, MaxAge: int(maxAge / time.Second),
		HttpOnly: true, Secure: s.public.Scheme == "https", SameSite: http.SameSiteLaxMode}
	if maxAge < 0 {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// personOf returns the 学号 or 工号 of the person chosen in this browser.
func (s *Simulator) personOf(r *http.Request) (string, bool) {
	c, err := r.Cookie(personCookie)
	if err != nil || !validNo(c.Value) {
		return "", false
	}
	return c.Value, true
}

// csrfSeed returns the browser's CSRF cookie value, setting a new one when
// there is none.
func (s *Simulator) csrfSeed(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && wechat.TokenLike(c.Value, 64) {
		return c.Value
	}
	seed := randomToken(18)
	s.setCookie(w, csrfCookie, seed, Prefix, cookieTTL)
	return seed
}

// csrfToken is the token of the page's forms, tied to the seed cookie.
func (s *Simulator) csrfToken(seed string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// guard refuses a POST whose CSRF token (header or form field "csrf") does
// not match the browser's seed cookie, or whose Origin (or else Referer)
// is not PUBLIC_URL's.
func (s *Simulator) guard(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.validPost(w, r) {
			s.log.WarnContext(r.Context(), "simulator post refused: bad csrf token or origin",
				"path", r.URL.Path)
			http.Error(w, textBadCSRF, http.StatusForbidden)
			return
		}
		next(w, r)
	}
}

func (s *Simulator) validPost(w http.ResponseWriter, r *http.Request) bool {
	seed, err := r.Cookie(csrfCookie)
	if err != nil || !s.sameOrigin(r) {
		return false
	}
	token := r.Header.Get(csrfHeader)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); token == "" &&
		mt == "application/x-www-form-urlencoded" {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		token = r.PostFormValue("csrf")
	}
	want := s.csrfToken(seed.Value)
	return token != "" && hmac.Equal([]byte(token), []byte(want))
}

// sameOrigin reports whether the Origin header, or the Referer when there
// is no Origin, names PUBLIC_URL's scheme and host. A request with
// neither passes: the CSRF token still guards it.
func (s *Simulator) sameOrigin(r *http.Request) bool {
	src := r.Header.Get("Origin")
	if src == "" {
		src = r.Header.Get("Referer")
	}
	if src == "" {
		return true
	}
	u, err := url.Parse(src)
	return err == nil && u.Scheme == s.public.Scheme && u.Host == s.public.Host
}

// validNo accepts a 学号 or 工号 as the simulator uses them: 1 to 32
// letters, digits, '-' and '_', so that the openid made of it is one
// WeChat could have.
func validNo(s string) bool { return wechat.TokenLike(s, 32) }

// validOpenID accepts an openid: 1 to 64 letters, digits, '-' and '_'.
func validOpenID(s string) bool { return wechat.TokenLike(s, 64) }
