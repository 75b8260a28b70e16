package notify

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/notify/wechat"
)

// MiniSender sends subscribe messages to mini-program users;
// *wechat.MiniClient is one.
type MiniSender interface {
	SendSubscribe(ctx context.Context, openID string, s wechat.Subscribe) error
}

// Pages of the mini-program that subscribe messages open. They are the
// mini-program's side of the contract (README, "Mini-program API"): a
// request's detail page takes the request ID as the query parameter id.
const (
	miniRequestPage = "pages/request/detail"
	miniHomePage    = "pages/index/index"
)

// miniKeySuffix sets a subscribe message's delivery apart from the
// official account's delivery of the same message, so that each is
// recorded, and sent, once.
const miniKeySuffix = ":mp"

// miniDelivery is the notifier's mini-program side: the sender and the
// one template every subscribe message uses.
type miniDelivery struct {
	sender   MiniSender
	template string
	now      func() time.Time
}

// newMiniDelivery returns the mini-program side of cfg, or nil when it
// has no sender or no template.
func newMiniDelivery(cfg NotifierConfig, now func() time.Time) *miniDelivery {
	if cfg.Mini == nil || cfg.MiniTemplate == "" {
		return nil
	}
	return &miniDelivery{sender: cfg.Mini, template: cfg.MiniTemplate, now: now}
}

// miniOpenID returns the recipient's mini-program account, or "" when
// subscribe messages are off or the recipient has not bound one.
func (nt *Notifier) miniOpenID(ctx context.Context, d *models.Delivery) (string, error) {
	if nt.mini == nil {
		return "", nil
	}
	return nt.store.MiniOpenIDOf(ctx, d.RecipientType, d.RecipientNo)
}

// deliverMini sends the message to the recipient's mini-program account
// as a subscribe message, once, recorded under the official account's key
// plus ":mp". It does nothing when miniID is "". A subscribe message
// never waits for a binding: it goes out now or not at all.
func (nt *Notifier) deliverMini(ctx context.Context, d models.Delivery, m Outgoing,
	miniID string) error {
	if miniID == "" {
		return nil
	}
	d.Key += miniKeySuffix
	_, err := nt.store.DeliveryByKey(ctx, d.Key)
	switch {
	case err == nil:
		return nil // sent, or failed for good, before
	case !errors.Is(err, models.ErrNotFound):
		return err
	}

	s := wechat.Subscribe{TemplateID: nt.mini.template, Page: miniPage(&d),
		Data: subscribeData(m, d.Purpose, nt.mini.now())}
	d.URL = s.Page
	return nt.record(ctx, &d, nt.mini.sender.SendSubscribe(ctx, miniID, s))
}

// miniPage is the page a subscribe message opens: a student's request
// page, or the home page for a notice about no request and for staff,
// who approve on the /h5 pages that the official account's cards open.
func miniPage(d *models.Delivery) string {
	if d.RequestID == 0 || d.RecipientType != models.RecipientStudent {
		return miniHomePage
	}
	return miniRequestPage + "?id=" + strconv.FormatUint(d.RequestID, 10)
}

// Limits of WeChat's subscribe-message value types, in characters.
const (
	thingMax  = 20
	phraseMax = 5
)

// subscribeData fills the one generic template (WECHAT_MINI_TEMPLATE),
// whose keys are, in the mini-program's admin console:
//
//	thing1   事项: the request's kind (and course), or the title
//	phrase2  状态: a short word for what happened (see miniStatus)
//	time3    时间: the request's deadline, or when the message went out
//	thing4   说明: the remark, or the title
//
// Every value is cut to its type's limit and none is left empty, since
// WeChat refuses the message otherwise.
func subscribeData(m Outgoing, purpose string, now time.Time) map[string]string {
	subject, at := "", when(now)
	for _, f := range m.Fields {
		switch {
		case f.Label == lblKind && f.Value != "":
			subject = f.Value
		case f.Label == lblDeadline && f.Value != "":
			at = f.Value
		}
	}
	note := m.Remark
	if note == "" || subject == "" {
		note = m.Title
	}
	return map[string]string{
		"thing1":  clip(firstOf(subject, m.Title, miniFallback), thingMax),
		"phrase2": clip(miniStatus(purpose), phraseMax),
		"time3":   at,
		"thing4":  clip(firstOf(note, miniFallback), thingMax),
	}
}

// miniStatus is the status word of a notice type or reminder kind.
func miniStatus(purpose string) string {
	if s, ok := miniStatuses[purpose]; ok {
		return s
	}
	return miniStatusOther
}

// firstOf returns the first of values that is not empty.
func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// clip cuts s to at most n characters, the last an ellipsis when cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
