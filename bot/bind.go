package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/imut/xuewu/models"
)

// Binding limits: at most bindMaxFails failed tries per account and per
// number within bindWindow.
const (
	bindMaxFails = 5
	bindWindow   = 15 * time.Minute
)

var (
	studentNoRe = regexp.MustCompile(`^\d{6,12}$`)
	staffNoRe   = regexp.MustCompile(`^[A-Za-z]{1,3}\d{2,8}$`)
	idTailRe    = regexp.MustCompile(`^\d{5}[\dXx]$`)
	codeRe      = regexp.MustCompile(`^[A-Za-z0-9]{4,16}$`)
)

// BindLimits counts failed binding tries in Redis, per account ("a:" +
// openid) and per 学号 or 工号 ("n:" + number). The chat and the
// mini-program share it, so both ways in share one allowance per number.
type BindLimits struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewBindLimits returns the limits kept under the key prefix (the bot's
// is KeyPrefix + "bindfail:").
func NewBindLimits(rdb redis.UniversalClient, prefix string) BindLimits {
	return BindLimits{rdb: rdb, prefix: prefix}
}

func (l BindLimits) keys(openID, no string) []string {
	return []string{l.prefix + "a:" + openID, l.prefix + "n:" + no}
}

// Wait returns how long the account or number must wait, 0 when it may try.
func (l BindLimits) Wait(ctx context.Context, openID, no string) (time.Duration, error) {
	var longest time.Duration
	for _, k := range l.keys(openID, no) {
		n, err := l.rdb.Get(ctx, k).Int()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("read binding tries: %w", err)
		}
		if n < bindMaxFails {
			continue
		}
		ttl, err := l.rdb.PTTL(ctx, k).Result()
		if err != nil {
			return 0, fmt.Errorf("read binding lock: %w", err)
		}
		longest = max(longest, ttl, time.Second)
	}
	return longest, nil
}

// Fail counts one failed try against the account and the number.
func (l BindLimits) Fail(ctx context.Context, openID, no string) error {
	for _, k := range l.keys(openID, no) {
		pipe := l.rdb.TxPipeline()
		pipe.Incr(ctx, k)
		pipe.ExpireNX(ctx, k, bindWindow)
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("count binding try: %w", err)
		}
	}
	return nil
}

func (b *Bot) startBind(id models.Identity, dl *Dialog) string {
	if id.Bound() {
		return whoIs(id)
	}
	dl.Bind, dl.Form = &BindState{}, nil
	return txtAskNo
}

// onBind takes the next answer of a binding in progress.
func (b *Bot) onBind(ctx context.Context, openID, text string, dl *Dialog) (string, error) {
	text = strings.ReplaceAll(text, " ", "")
	if text == "取消" {
		dl.Bind = nil
		return txtBindCancel, nil
	}
	if dl.Bind.No == "" {
		switch {
		case studentNoRe.MatchString(text):
			dl.Bind.No = text
			return txtAskID, nil
		case staffNoRe.MatchString(text):
			dl.Bind.No, dl.Bind.Staff = strings.ToUpper(text), true
			return txtAskCode, nil
		}
		return fmt.Sprintf(txtBadNo, clip(text, 20)), nil
	}

	no := dl.Bind.No
	if wait, err := b.limits.Wait(ctx, openID, no); err != nil || wait > 0 {
		dl.Bind = nil
		return lockedText(wait), err
	}
	if !dl.Bind.Staff && !idTailRe.MatchString(text) {
		return txtBadID, nil
	}
	if dl.Bind.Staff && !codeRe.MatchString(text) {
		return txtAskCode, nil
	}
	return b.finishBind(ctx, openID, text, dl)
}

func (b *Bot) finishBind(ctx context.Context, openID, secret string, dl *Dialog) (string, error) {
	no, staff := dl.Bind.No, dl.Bind.Staff
	var reply string
	var err error
	if staff {
		var sf *models.Staff
		if sf, err = b.store.BindStaff(ctx, openID, no, secret); err == nil {
			reply = fmt.Sprintf(txtBoundStaff, sf.Name, sf.No)
		}
	} else {
		var st *models.Student
		if st, err = b.store.BindStudent(ctx, openID, no, secret); err == nil {
			class := ""
			if st.Class != nil {
				class = st.Class.Name
			}
			reply = fmt.Sprintf(txtBoundStudent, st.Name, st.No, class)
		}
	}
	if errors.Is(err, models.ErrNotFound) {
		b.log.InfoContext(ctx, "binding refused", "openid", MaskOpenID(openID), "staff", staff)
		dl.Bind.No = ""
		if err := b.limits.Fail(ctx, openID, no); err != nil {
			return "", err
		}
		return models.UserMessage(err) + "\n" + txtAskNo, nil
	}
	if err != nil {
		return "", err
	}
	b.log.InfoContext(ctx, "account bound", "openid", MaskOpenID(openID), "staff", staff)
	dl.Bind = nil
	return reply, nil
}

func lockedText(wait time.Duration) string {
	mins := int((wait + time.Minute - 1) / time.Minute)
	return fmt.Sprintf(txtBindLocked, max(mins, 1))
}

func (b *Bot) unbind(ctx context.Context, openID string, dl *Dialog) (string, error) {
	had, err := b.store.Unbind(ctx, openID)
	if err != nil {
		return "", err
	}
	*dl = Dialog{}
	if !had {
		return txtNotBound, nil
	}
	return txtUnbound, nil
}

// clip shortens user text quoted back in a reply.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
