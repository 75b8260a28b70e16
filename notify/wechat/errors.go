package wechat

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
)

// WeChat errcodes the client and its callers tell apart.
const (
	// CodeInvalidToken and CodeTokenExpired reject the access token; the
	// client drops it and retries once.
	CodeInvalidToken  = 40001
	CodeTokenNotValid = 40014
	CodeTokenExpired  = 42001
	// CodeUnsubscribed: the user has unfollowed the official account.
	CodeUnsubscribed = 43004
	// CodeAPILimit: the daily quota of the API is used up.
	CodeAPILimit = 45009
	// CodeReplyWindow: the 48-hour window for customer-service messages
	// is over (the user has not written since).
	CodeReplyWindow = 45015
)

// APIError is an error code WeChat answered with (errcode, errmsg).
type APIError struct {
	Code int
	Msg  string
}

// Error tells the code and WeChat's message.
func (e *APIError) Error() string {
	return fmt.Sprintf("wechat errcode %d: %s", e.Code, e.Msg)
}

// tokenRejected reports whether err says the access token is no good.
func tokenRejected(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.Code == CodeInvalidToken || ae.Code == CodeTokenExpired ||
		ae.Code == CodeTokenNotValid
}

// ErrMediaTooLarge is returned for a media file over MaxMediaBytes.
var ErrMediaTooLarge = errors.New("wechat: media file too large")

// sdkErrcode finds the errcode in the SDK's untyped errors.
var sdkErrcode = regexp.MustCompile(`errcode=(-?\d+) , errormsg=(.*)$`)

// secretParam finds credentials in URLs quoted by error messages.
var secretParam = regexp.MustCompile(`(?i)(access_token|secret|code)=[^&\s"']*`)

// tokenError turns an error of the SDK's token fetch into one that names
// no URL or secret: an *APIError when WeChat gave a code.
func tokenError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("get access token: %w", ue.Err)
	}
	if m := sdkErrcode.FindStringSubmatch(err.Error()); m != nil {
		code, _ := strconv.Atoi(m[1])
		return fmt.Errorf("get access token: %w", &APIError{Code: code, Msg: m[2]})
	}
	return errors.New("get access token: " + scrub(err.Error()))
}

// requestError describes a failed HTTP call by method and path only: the
// URL's query holds the access token.
func requestError(method, path string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("%s %s: %w", method, path, err)
}

// scrub blanks the values of credential parameters in a message.
func scrub(s string) string {
	return secretParam.ReplaceAllString(s, "$1=***")
}

// Codes that no retry can mend for the message concerned.
const (
	codeInvalidOpenID   = 40003
	codeInvalidTemplate = 40037
	codeNotSubscribed   = 43101
)

// Permanent reports whether resending the same message cannot succeed:
// the user unfollowed or refused, the openid or template is wrong, or the
// customer-service window has closed. Quota limits (45009) are not: a
// later retry succeeds.
func (e *APIError) Permanent() bool {
	switch e.Code {
	case CodeUnsubscribed, CodeReplyWindow, codeInvalidOpenID, codeInvalidTemplate,
		codeNotSubscribed:
		return true
	}
	return false
}
