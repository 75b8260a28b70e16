package dev

import (
	"net/http"
	"net/url"
)

// maxCodes caps the OAuth codes waiting to be exchanged.
const maxCodes = 10000

// authorize is WeChat's OAuth page (snsapi_base): it sends the browser
// straight back to redirect_uri with a code that stands for the person
// chosen in the simulator, as WeChat does for the user of the phone. The
// redirect must go to PUBLIC_URL's host, as WeChat allows only the
// official account's own domain.
func (f *fake) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	back, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("appid") != f.sim.cfg.AppID:
		f.sim.notice(w, http.StatusBadRequest, textOAuthBadApp)
		return
	case q.Get("response_type") != "code" || !knownScope(q.Get("scope")):
		f.sim.notice(w, http.StatusBadRequest, textOAuthBadRequest)
		return
	case err != nil || back.Scheme != f.sim.public.Scheme || back.Host != f.sim.public.Host:
		f.sim.notice(w, http.StatusBadRequest, textOAuthBadRedirect)
		return
	}
	p, ok := f.sim.personOf(r)
	if !ok {
		f.sim.notice(w, http.StatusForbidden, textOAuthNoPerson)
		return
	}

	bq := back.Query()
	bq.Set("code", f.issueCode(openIDOf(p)))
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	back.Fragment = ""
	//nolint:gosec // G710: back was checked to be on PUBLIC_URL's host above.
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// knownScope reports whether scope is one WeChat's OAuth page takes.
func knownScope(scope string) bool {
	return scope == "snsapi_base" || scope == "snsapi_userinfo"
}

// issueCode returns a new code for openID, good once for codeTTL.
func (f *fake) issueCode(openID string) string {
	now := f.sim.now()
	code := randomToken(18)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.codes) >= maxCodes {
		for c, oc := range f.codes {
			if !now.Before(oc.expires) {
				delete(f.codes, c)
			}
		}
	}
	if len(f.codes) < maxCodes {
		f.codes[code] = oauthCode{openID: openID, expires: now.Add(codeTTL)}
	}
	return code
}

// oauthAnswer is the answer of the code exchange.
type oauthAnswer struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	OpenID       string `json:"openid"`
	Scope        string `json:"scope"`
}

// oauthExchange is GET /sns/oauth2/access_token: it exchanges a code once
// for its openid.
func (f *fake) oauthExchange(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("grant_type") != "authorization_code" {
		refuse(w, errcodeBadRequest, "invalid grant_type")
		return
	}
	if !f.credentials(w, q.Get("appid"), q.Get("secret")) {
		return
	}

	f.mu.Lock()
	oc, ok := f.codes[q.Get("code")]
	delete(f.codes, q.Get("code"))
	f.mu.Unlock()
	if !ok || !f.sim.now().Before(oc.expires) {
		refuse(w, errcodeInvalidCode, "invalid code")
		return
	}
	writeJSON(w, oauthAnswer{AccessToken: randomToken(24), ExpiresIn: int(tokenTTL.Seconds()),
		RefreshToken: randomToken(24), OpenID: oc.openID, Scope: "snsapi_base"})
}
