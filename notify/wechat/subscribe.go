package wechat

import (
	"context"
	"errors"
	"fmt"
)

// subscribePath is the mini-program's subscribe-message API.
const subscribePath = "/cgi-bin/message/subscribe/send"

// Subscribe is one subscribe message: a notice in WeChat's service
// notifications that opens a page of the mini-program.
type Subscribe struct {
	TemplateID string
	// Page is the mini-program page the message opens, with its query,
	// such as "pages/request/detail?id=12"; empty opens the home page.
	Page string
	// Data maps the template's keys (thing1, time2…) to values, which
	// must fit the key's type (a thing is at most 20 characters).
	Data map[string]string
}

// subscribeValue is one value of a subscribe message's data.
type subscribeValue struct {
	Value string `json:"value"`
}

// subscribeBody is the JSON the subscribe-message API takes.
type subscribeBody struct {
	ToUser     string                    `json:"touser"`
	TemplateID string                    `json:"template_id"`
	Page       string                    `json:"page,omitempty"`
	Data       map[string]subscribeValue `json:"data"`
	Lang       string                    `json:"lang"`
}

// SendSubscribe sends a subscribe message to the mini-program user, with
// the mini-program's access token and the same refresh and retry as the
// official account's messages. A user who has not allowed the template,
// or has used up the allowance, is errcode 43101: an *APIError that is
// Permanent.
func (m *MiniClient) SendSubscribe(ctx context.Context, openID string, s Subscribe) error {
	if openID == "" || s.TemplateID == "" {
		return errors.New("wechat: send subscribe message: no openid or template id")
	}
	body := subscribeBody{ToUser: openID, TemplateID: s.TemplateID, Page: s.Page,
		Data: make(map[string]subscribeValue, len(s.Data)), Lang: "zh_CN"}
	for k, v := range s.Data {
		body.Data[k] = subscribeValue{Value: v}
	}
	err := m.token.call(withBase(ctx, m.apiBase), func(ctx context.Context, token string) error {
		return postJSON(ctx, subscribePath, token, body)
	})
	if err != nil {
		return fmt.Errorf("send subscribe message to %s: %w", MaskOpenID(openID), err)
	}
	return nil
}
