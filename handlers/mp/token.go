package mp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/imut/xuewu/notify/wechat"
)

// tokenTTL is how long a login lasts.
const tokenTTL = 7 * 24 * time.Hour

// tokenPurpose sets the token's MAC apart from any other made with the key.
const tokenPurpose = "mp-token"

var b64 = base64.RawURLEncoding

// issueToken returns the bearer token that says openID logged in and may
// stay so until expires: base64(openid).unix-expiry.base64(mac), signed
// with the key derived for "mp-session".
func (a *API) issueToken(openID string, expires time.Time) string {
	body := b64.EncodeToString([]byte(openID)) + "." + strconv.FormatInt(expires.Unix(), 10)
	return body + "." + b64.EncodeToString(a.mac(body))
}

// openToken checks a token in constant time and returns its openid; false
// when the token is forged, malformed or expired.
func (a *API) openToken(token string) (string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	body := parts[0] + "." + parts[1]
	mac, err := b64.DecodeString(parts[2])
	if err != nil || !hmac.Equal(mac, a.mac(body)) {
		return "", false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !a.now().Before(time.Unix(exp, 0)) {
		return "", false
	}
	openID, err := b64.DecodeString(parts[0])
	if err != nil || !wechat.TokenLike(string(openID), maxOpenID) {
		return "", false
	}
	return string(openID), true
}

// mac is HMAC-SHA256 of the token's purpose and body.
func (a *API) mac(body string) []byte {
	m := hmac.New(sha256.New, a.tokenKey)
	m.Write([]byte(tokenPurpose))
	m.Write([]byte{0})
	m.Write([]byte(body))
	return m.Sum(nil)
}

// Lengths of what WeChat issues.
const (
	maxOpenID = 64
	maxCode   = 128
)

// maskOpenID shortens an openid for logs: its first four characters.
func maskOpenID(openID string) string {
	r := []rune(openID)
	if len(r) <= 4 {
		return "…"
	}
	return string(r[:4]) + "…"
}
