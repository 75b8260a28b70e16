package handlers

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// verify checks the signature of a callback: a token is configured, the
// timestamp is within maxClockSkew of the clock, and signature is the
// SHA-1 of the sorted token, timestamp and nonce.
func (cb *WeChatCallback) verify(q url.Values) *refusal {
	if cb.token == "" {
		return &refusal{http.StatusInternalServerError, "WECHAT_TOKEN is not configured"}
	}
	timestamp, nonce := q.Get("timestamp"), q.Get("nonce")
	if ref := cb.checkTimestamp(timestamp); ref != nil {
		return ref
	}
	if !sameSignature(q.Get("signature"), util.Signature(cb.token, timestamp, nonce)) {
		return &refusal{http.StatusForbidden, "bad signature"}
	}
	return nil
}

// checkTimestamp refuses a timestamp that is missing or more than
// maxClockSkew before or after the clock.
func (cb *WeChatCallback) checkTimestamp(timestamp string) *refusal {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return &refusal{http.StatusForbidden, "missing or malformed timestamp"}
	}
	skew := cb.cfg.Now().Sub(time.Unix(ts, 0))
	if skew > maxClockSkew || skew < -maxClockSkew {
		return &refusal{http.StatusForbidden, "timestamp too far from the clock"}
	}
	return nil
}

// verifyMsgSignature checks the msg_signature of safe mode: the SHA-1 of
// the sorted token, timestamp, nonce and encrypted message.
func (cb *WeChatCallback) verifyMsgSignature(q url.Values, encrypted string) *refusal {
	want := util.Signature(cb.token, q.Get("timestamp"), q.Get("nonce"), encrypted)
	if !sameSignature(q.Get("msg_signature"), want) {
		return &refusal{http.StatusForbidden, "bad msg_signature"}
	}
	return nil
}

// sameSignature compares a signature with the expected one in constant
// time; an empty signature never matches.
func sameSignature(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
