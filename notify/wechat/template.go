package wechat

import (
	"context"
	"errors"
	"fmt"

	"github.com/silenceper/wechat/v2/officialaccount/message"
)

// Paths of the template-message and menu APIs.
const (
	templatePath = "/cgi-bin/message/template/send"
	menuPath     = "/cgi-bin/menu/create"
)

// Template is one template message: a card with a link.
type Template struct {
	TemplateID string
	URL        string
	// ClientMsgID lets WeChat drop a repeat of the same message.
	ClientMsgID string
	// Data maps the template's keys (first, keyword1…, remark) to values.
	Data map[string]string
}

// SendTemplate sends a template message (a notification card) to the
// user, with the same error handling and token refresh as SendText.
func (c *Client) SendTemplate(ctx context.Context, openID string, t Template) error {
	if openID == "" || t.TemplateID == "" {
		return errors.New("wechat: send template: no openid or template id")
	}
	msg := &message.TemplateMessage{ToUser: openID, TemplateID: t.TemplateID, URL: t.URL,
		ClientMsgID: t.ClientMsgID, Data: map[string]*message.TemplateDataItem{}}
	for k, v := range t.Data {
		msg.Data[k] = &message.TemplateDataItem{Value: v}
	}
	err := c.withToken(ctx, func(ctx context.Context, token string) error {
		return postJSON(ctx, templatePath, token, msg)
	})
	if err != nil {
		return fmt.Errorf("send template to %s: %w", MaskOpenID(openID), err)
	}
	return nil
}

// Button is one entry of the official account's menu: a click button
// with a key, or a parent with sub-buttons.
type Button struct {
	Type       string   `json:"type,omitempty"`
	Name       string   `json:"name"`
	Key        string   `json:"key,omitempty"`
	URL        string   `json:"url,omitempty"`
	SubButtons []Button `json:"sub_button,omitempty"`
}

// SetMenu replaces the official account's menu.
func (c *Client) SetMenu(ctx context.Context, buttons []Button) error {
	body := struct {
		Button []Button `json:"button"`
	}{buttons}
	err := c.withToken(ctx, func(ctx context.Context, token string) error {
		return postJSON(ctx, menuPath, token, body)
	})
	if err != nil {
		return fmt.Errorf("set menu: %w", err)
	}
	return nil
}
