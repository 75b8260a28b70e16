package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"

	"github.com/silenceper/wechat/v2/officialaccount/oauth"
)

// oauthErrcode finds the errcode in the SDK's errors of the OAuth code
// exchange, which spell it differently from the token fetch.
var oauthErrcode = regexp.MustCompile(`errcode=(-?\d+) , errmsg=(.*)$`)

// OpenID exchanges the code of an OAuth redirect (scope snsapi_base) for
// the user's openid, through the SDK and the API base. WeChat's refusals,
// such as an expired or reused code (40029, 40163), are *APIError; no
// error names the code or the app secret.
func (c *Client) OpenID(ctx context.Context, code string) (string, error) {
	if !TokenLike(code, 128) {
		return "", errors.New("wechat: oauth: malformed code")
	}
	// A fresh SDK Oauth per call: the official account's GetOauth builds
	// its own lazily, without a lock.
	auth := oauth.NewOauth(c.oa.GetContext())
	res, err := auth.GetUserAccessTokenContext(withBase(ctx, c.apiBase), code)
	if err != nil {
		return "", oauthError(err)
	}
	if res.OpenID == "" {
		return "", errors.New("wechat: oauth: the answer has no openid")
	}
	return res.OpenID, nil
}

// oauthError turns an error of the SDK's code exchange into one that
// names no URL, code or secret: an *APIError when WeChat gave a code.
func oauthError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("oauth code exchange: %w", ue.Err)
	}
	if m := oauthErrcode.FindStringSubmatch(err.Error()); m != nil {
		code, _ := strconv.Atoi(m[1])
		return fmt.Errorf("oauth code exchange: %w", &APIError{Code: code, Msg: m[2]})
	}
	return errors.New("oauth code exchange: " + scrub(err.Error()))
}
