package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/silenceper/wechat/v2/officialaccount/message"
)

// sendPath is the customer-service message API.
const sendPath = "/cgi-bin/message/custom/send"

// maxAnswerBytes caps the JSON answers of the API that are read.
const maxAnswerBytes = 64 << 10

// SendText sends text to the user as a customer-service message. WeChat
// refusals are *APIError: CodeUnsubscribed, CodeAPILimit and
// CodeReplyWindow are returned as they come, a rejected token is refreshed
// and the message sent once more.
func (c *Client) SendText(ctx context.Context, openID, text string) error {
	if openID == "" {
		return errors.New("wechat: send text: no openid")
	}
	msg := message.NewCustomerTextMessage(openID, text)
	err := c.withToken(ctx, func(ctx context.Context, token string) error {
		return postJSON(ctx, sendPath, token, msg)
	})
	if err != nil {
		return fmt.Errorf("send text to %s: %w", MaskOpenID(openID), err)
	}
	return nil
}

// withToken calls call with the official account's shared access token,
// refreshing a rejected token once (see tokenKeeper.call).
func (c *Client) withToken(ctx context.Context,
	call func(ctx context.Context, token string) error) error {
	t := tokenKeeper{src: c.oa, cache: c.cache, key: c.tokenCacheKey(), log: c.log}
	return t.call(withBase(ctx, c.apiBase), call)
}

// apiURL is the address of an API path with the access token; the
// transport sends it to the API base.
func apiURL(path, token string, q url.Values) string {
	if q == nil {
		q = url.Values{}
	}
	q.Set("access_token", token)
	return "https://" + apiHost + path + "?" + q.Encode()
}

// postJSON posts body as JSON and reads WeChat's errcode.
func postJSON(ctx context.Context, path, token string, body any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiURL(path, token, nil), &buf)
	if err != nil {
		return requestError(http.MethodPost, path, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")

	resp, err := httpClient.Do(req)
	if err != nil {
		return requestError(http.MethodPost, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: HTTP %d", path, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return requestError(http.MethodPost, path, err)
	}
	return answerError(path, data)
}

// answer is WeChat's common JSON answer.
type answer struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// answerError returns the *APIError of a JSON answer, or nil for errcode 0.
func answerError(path string, data []byte) error {
	var a answer
	if err := json.Unmarshal(data, &a); err != nil {
		return fmt.Errorf("decode answer of %s: %w", path, err)
	}
	if a.ErrCode != 0 {
		return &APIError{Code: a.ErrCode, Msg: a.ErrMsg}
	}
	return nil
}
