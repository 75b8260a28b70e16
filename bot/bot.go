package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/imut/xuewu/models"
)

// Config is what a Bot needs.
type Config struct {
	Store *models.Store
	Redis redis.UniversalClient
	// PublicURL is the base of links in replies, without a trailing slash.
	PublicURL string
	Log       *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// KeyPrefix starts every Redis key; default "xuewu:".
	KeyPrefix string
}

// Bot answers the messages of the official account.
type Bot struct {
	store     *models.Store
	dialogs   dialogs
	limits    BindLimits
	publicURL string
	log       *slog.Logger
	now       func() time.Time
}

// New returns a bot over the store and Redis of cfg.
func New(cfg Config) *Bot {
	prefix := cfg.KeyPrefix
	if prefix == "" {
		prefix = "xuewu:"
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Bot{
		store:     cfg.Store,
		dialogs:   dialogs{rdb: cfg.Redis, prefix: prefix},
		limits:    NewBindLimits(cfg.Redis, prefix+"bindfail:"),
		publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		log:       log,
		now:       now,
	}
}

// MaxReplyBytes is WeChat's limit on a text reply.
const MaxReplyBytes = 2048

// idleAfter is how long a half-filled form may rest before the student is
// asked whether to continue it rather than have a message taken as an answer.
const idleAfter = 30 * time.Minute

// Handle answers one message. A message seen before (WeChat re-sends
// unanswered ones) takes effect once; its copies get the same reply.
func (b *Bot) Handle(ctx context.Context, m Message) (string, error) {
	if m.OpenID == "" {
		return "", nil
	}
	sess, err := b.dialogs.begin(ctx, m.OpenID, m.key())
	var dup *errDuplicate
	if errors.As(err, &dup) {
		return b.dialogs.awaitReply(ctx, m.OpenID, m.key(), dup.reply), nil
	}
	if err != nil {
		return "", err
	}

	dl := sess.dialog
	reply, err := b.respondSafely(ctx, m, &dl, sess.lost)
	if err != nil {
		b.log.ErrorContext(ctx, "handle message", "openid", MaskOpenID(m.OpenID),
			"type", string(m.Type), "error", err)
		dl, reply = sess.dialog, txtInternal
	}
	dl.Seen = b.now().Unix()
	reply = fit(reply)
	if err := b.dialogs.end(context.WithoutCancel(ctx), sess, &dl, reply); err != nil {
		return "", err
	}
	return reply, nil
}

// respondSafely turns a panic while answering into an error, so that no
// panic reaches the student and the dialog is left as it was.
func (b *Bot) respondSafely(ctx context.Context, m Message, dl *Dialog, lost bool) (reply string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return b.respond(ctx, m, dl, lost)
}

func (b *Bot) respond(ctx context.Context, m Message, dl *Dialog, lost bool) (string, error) {
	id, err := b.store.IdentityByOpenID(ctx, m.OpenID)
	if err != nil {
		return "", err
	}
	var reply string
	switch m.Type {
	case MsgEvent:
		reply, err = b.onEvent(ctx, m, dl, id)
	case MsgImage:
		reply, err = b.onPhoto(ctx, m, id)
	case MsgText:
		reply, err = b.onText(ctx, m.OpenID, m.Content, dl, id)
	default:
		reply = txtUnsupported
	}
	if lost && err == nil {
		reply = txtLost + "\n" + reply
	}
	return reply, err
}

// Menu keys of the official account's click buttons.
const (
	MenuApply = "XUEWU_APPLY"
	MenuMine  = "XUEWU_MINE"
	MenuHelp  = "XUEWU_HELP"
)

func (b *Bot) onEvent(ctx context.Context, m Message, dl *Dialog, id models.Identity) (string, error) {
	switch strings.ToLower(m.Event) {
	case "subscribe":
		if id.Bound() {
			return txtWelcome + "\n" + whoIs(id), nil
		}
		return txtWelcome, nil
	case "click":
		cmd := map[string]string{MenuApply: "办理业务", MenuMine: "我的申请", MenuHelp: "帮助"}[m.EventKey]
		if cmd == "" {
			return "", nil
		}
		return b.onText(ctx, m.OpenID, cmd, dl, id)
	}
	return "", nil
}

func (b *Bot) onPhoto(ctx context.Context, m Message, id models.Identity) (string, error) {
	switch {
	case id.Staff != nil:
		return txtPhotoStaff, nil
	case id.Student == nil:
		return txtNeedBind, nil
	case m.MediaID == "":
		return txtUnsupported, nil
	}
	req, _, err := b.store.AddEvidence(ctx, id.Student.No, m.MediaID)
	if errors.Is(err, models.ErrNotFound) {
		return txtPhotoNone, nil
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(txtPhotoSaved, req.ID, kindLabel(req.Kind)), nil
}

func whoIs(id models.Identity) string {
	if id.Student != nil {
		return fmt.Sprintf(txtAlreadyBound, id.Student.Name, id.Student.No)
	}
	return fmt.Sprintf(txtAlreadyBound, id.Staff.Name, id.Staff.No)
}

func kindLabel(k models.Kind) string {
	r, _ := models.RuleFor(k)
	return r.Label
}

// fit cuts a reply to WeChat's limit at a character boundary.
func fit(s string) string {
	if len(s) <= MaxReplyBytes {
		return s
	}
	const ellipsis = "…"
	cut := MaxReplyBytes - len(ellipsis)
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

func utf8RuneStart(c byte) bool { return c&0xC0 != 0x80 }

// MaskOpenID shortens an openid for logs.
func MaskOpenID(id string) string {
	if len(id) <= 6 {
		return "…"
	}
	return id[:6] + "…"
}
