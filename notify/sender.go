package notify

import (
	"context"
	"fmt"
	"strconv"

	"golang.org/x/time/rate"

	"github.com/imut/xuewu/notify/wechat"
)

// WeChatSender sends messages through the official account: as template
// messages (cards) where a template is configured for the card, otherwise
// as customer-service text with the link. It keeps under an outgoing rate.
type WeChatSender struct {
	client    *wechat.Client
	templates map[CardKind]string
	limit     *rate.Limiter
}

// DefaultSendRate is how many messages a second one instance sends at most.
const DefaultSendRate = 20

// NewWeChatSender returns a sender over the client; templates maps cards to
// template IDs, and perSecond bounds the rate (DefaultSendRate when 0).
func NewWeChatSender(client *wechat.Client, templates map[CardKind]string,
	perSecond float64) *WeChatSender {
	if perSecond <= 0 {
		perSecond = DefaultSendRate
	}
	return &WeChatSender{client: client, templates: templates,
		limit: rate.NewLimiter(rate.Limit(perSecond), int(perSecond))}
}

// Send delivers one message.
func (s *WeChatSender) Send(ctx context.Context, openID string, m Outgoing) error {
	if err := s.limit.Wait(ctx); err != nil {
		return fmt.Errorf("wait for send rate: %w", err)
	}
	if id := s.templates[m.Card]; id != "" {
		return s.client.SendTemplate(ctx, openID, wechat.Template{
			TemplateID: id, URL: m.URL, ClientMsgID: m.Key, Data: templateData(m),
		})
	}
	text := m.Body()
	if m.URL != "" {
		text += "\n" + `<a href="` + m.URL + `">点击查看</a>`
	}
	return s.client.SendText(ctx, openID, text)
}

// templateData fills the classic template keys: first, keyword1…, remark.
func templateData(m Outgoing) map[string]string {
	data := map[string]string{"first": m.Title, "remark": m.Remark}
	n := 0
	for _, f := range m.Fields {
		if f.Value == "" {
			continue
		}
		n++
		data["keyword"+strconv.Itoa(n)] = f.Value
	}
	return data
}
