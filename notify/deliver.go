package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/imut/xuewu/models"
)

// Sender puts one message in front of one WeChat user.
type Sender interface {
	Send(ctx context.Context, openID string, m Outgoing) error
}

// PermanentError is implemented by sending errors that no retry can mend
// (the user unsubscribed, say); the delivery is then recorded as failed.
type PermanentError interface {
	error
	Permanent() bool
}

// Notifier turns workflow notices into deliveries, each recorded so that
// a retried job never sends twice what already went out.
type Notifier struct {
	store    *models.Store
	sender   Sender
	mini     *miniDelivery
	compose  composer
	evidence *EvidenceFetcher
	log      *slog.Logger
	now      func() time.Time
}

// NotifierConfig is what a Notifier needs.
type NotifierConfig struct {
	Store  *models.Store
	Sender Sender
	// Mini sends subscribe messages to mini-program accounts, besides
	// what Sender sends; nil (the mini-program is not configured) or an
	// empty MiniTemplate sends none.
	Mini MiniSender
	// MiniTemplate is the ID of the subscribe-message template
	// (WECHAT_MINI_TEMPLATE); see subscribeData for its keys.
	MiniTemplate string
	// PublicURL is the base of links in cards.
	PublicURL string
	Evidence  *EvidenceFetcher
	Log       *slog.Logger
	Now       func() time.Time
}

// NewNotifier returns a notifier.
func NewNotifier(cfg NotifierConfig) *Notifier {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Notifier{
		store: cfg.Store, sender: cfg.Sender, evidence: cfg.Evidence, log: log, now: now,
		mini:    newMiniDelivery(cfg, now),
		compose: composer{store: cfg.Store, publicURL: strings.TrimRight(cfg.PublicURL, "/")},
	}
}

// NoticeWorker runs notice jobs.
type NoticeWorker struct {
	river.WorkerDefaults[NoticeArgs]
	Notifier *Notifier
}

// Work handles one notice; an error makes River retry it with backoff.
func (w *NoticeWorker) Work(ctx context.Context, job *river.Job[NoticeArgs]) error {
	n := job.Args.Notice
	lastTry := job.Attempt >= job.MaxAttempts
	switch n.Type {
	case models.NoticeEvidence:
		if w.Notifier.evidence == nil {
			return errors.New("no evidence fetcher configured")
		}
		return w.Notifier.evidence.fetch(ctx, n.EvidenceID, lastTry)
	case models.NoticeBound:
		return w.Notifier.flush(ctx, n)
	}
	return w.Notifier.Notify(ctx, fmt.Sprintf("j%d", job.ID), n)
}

// Notify composes the notice's messages and delivers each once; key makes
// the deliveries of one notice distinct from every other's.
func (nt *Notifier) Notify(ctx context.Context, key string, n models.Notice) error {
	msgs, err := nt.compose.compose(ctx, n)
	if err != nil {
		return fmt.Errorf("compose %s: %w", n.Type, err)
	}
	purpose := string(n.Type)
	if n.Reminder != "" {
		purpose = n.Reminder
	}
	var firstErr error
	for _, m := range msgs {
		d := &models.Delivery{
			Key:       key + ":" + m.To.Type + ":" + m.To.No,
			RequestID: n.RequestID, RecipientType: m.To.Type, RecipientNo: m.To.No,
			Purpose: purpose, Title: m.Title, Body: m.Body(), URL: m.URL,
		}
		m.Key = d.Key
		if err := nt.deliver(ctx, d, m); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// deliver sends one message through the official account, and to the
// mini-program account too when there is one (see deliverMini).
func (nt *Notifier) deliver(ctx context.Context, d *models.Delivery, m Outgoing) error {
	miniID, err := nt.miniOpenID(ctx, d)
	if err != nil {
		return err
	}
	unsent := *d // deliverOfficial records its outcome in d
	return errors.Join(nt.deliverOfficial(ctx, d, m, miniID != ""),
		nt.deliverMini(ctx, unsent, m, miniID))
}

// deliverOfficial sends one message unless it already went out; a
// recipient who is not bound gets it on binding, unless the mini-program
// reaches them instead (hasMini).
func (nt *Notifier) deliverOfficial(ctx context.Context, d *models.Delivery, m Outgoing,
	hasMini bool) error {
	old, err := nt.store.DeliveryByKey(ctx, d.Key)
	switch {
	case err == nil && old.Status != models.DeliveryWaiting:
		return nil
	case err != nil && !errors.Is(err, models.ErrNotFound):
		return err
	}

	openID, err := nt.store.OpenIDOf(ctx, d.RecipientType, d.RecipientNo)
	if err != nil {
		return err
	}
	if openID == "" && hasMini {
		return nil
	}
	if openID == "" {
		d.Status = models.DeliveryWaiting
		return nt.store.SaveDelivery(ctx, d)
	}
	return nt.send(ctx, d, openID, m)
}

func (nt *Notifier) send(ctx context.Context, d *models.Delivery, openID string, m Outgoing) error {
	return nt.record(ctx, d, nt.sender.Send(ctx, openID, m))
}

// record saves the outcome of one send: sent, or failed for good; any
// other error is returned, unsaved, for a retry.
func (nt *Notifier) record(ctx context.Context, d *models.Delivery, err error) error {
	var perm PermanentError
	switch {
	case err == nil:
		now := nt.now()
		d.Status, d.SentAt, d.Error = models.DeliverySent, &now, ""
	case errors.As(err, &perm) && perm.Permanent():
		d.Status, d.Error = models.DeliveryFailed, clipError(err)
		nt.log.WarnContext(ctx, "notice not deliverable", "request_id", d.RequestID,
			"purpose", d.Purpose, "recipient", d.RecipientType, "error", err)
	default:
		return fmt.Errorf("send %s to %s %s: %w", d.Purpose, d.RecipientType, d.RecipientNo, err)
	}
	return nt.store.SaveDelivery(ctx, d)
}

// flush sends what waited for someone who has just bound their account.
func (nt *Notifier) flush(ctx context.Context, n models.Notice) error {
	typ, no := models.RecipientStudent, n.StudentNo
	if n.StaffNo != "" {
		typ, no = models.RecipientStaff, n.StaffNo
	}
	waiting, err := nt.store.WaitingDeliveries(ctx, typ, no)
	if err != nil {
		return err
	}
	openID, err := nt.store.OpenIDOf(ctx, typ, no)
	if err != nil || openID == "" {
		return err
	}
	for i := range waiting {
		d := &waiting[i]
		m := Outgoing{Key: d.Key, To: Recipient{Type: typ, No: no}, Card: cardOf(d.Purpose),
			Title: d.Title, Remark: strings.TrimPrefix(d.Body, d.Title+"\n"), URL: d.URL}
		if err := nt.send(ctx, d, openID, m); err != nil {
			return err
		}
	}
	return nil
}

// cardOf is the card a delivery of the purpose went out as: an approver's
// task, a reminder, or progress.
func cardOf(purpose string) CardKind {
	switch {
	case purpose == string(models.NoticeStepReady):
		return CardApproval
	case strings.HasPrefix(purpose, "deadline_") || strings.HasPrefix(purpose, "suspension_"):
		return CardReminder
	}
	return CardProgress
}

func clipError(err error) string {
	s := err.Error()
	if len(s) > 250 {
		s = s[:250]
	}
	return s
}
