package handlers

import (
	"context"
	"crypto/rand"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	"github.com/imut/xuewu/bot"
)

// answered is what the conversation made of a message.
type answered struct {
	text string
	err  error
}

// answer asks the conversation about m and returns its text if it comes
// within the reply window counted from start. A later answer is delivered
// by the Messenger, and answer returns "" at once.
func (cb *WeChatCallback) answer(ctx context.Context, m bot.Message, start time.Time) string {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cb.cfg.HandleTimeout)
	done := make(chan answered, 1)
	go func() { done <- cb.handle(hctx, m) }()

	window := time.NewTimer(cb.cfg.ReplyWindow - time.Since(start))
	defer window.Stop()
	select {
	case a := <-done:
		cancel()
		return cb.textOf(ctx, m, a)
	case <-window.C:
	case <-ctx.Done(): // WeChat hung up; it will send the message again
	}

	cb.logger(ctx).InfoContext(ctx, "wechat answer late, replying by customer message",
		"openid", maskOpenID(m.OpenID))
	cb.late.Add(1)
	go cb.deliverLate(ctx, m, done, cancel)
	return ""
}

// handle calls the conversation, turning a panic into an error: it runs
// on its own goroutine, where no middleware would catch one.
func (cb *WeChatCallback) handle(ctx context.Context, m bot.Message) (a answered) {
	defer func() {
		if v := recover(); v != nil {
			a = answered{err: fmt.Errorf("conversation panicked: %v", v)}
		}
	}()
	text, err := cb.cfg.Conversation.Handle(ctx, m)
	return answered{text: text, err: err}
}

// textOf is the text to send for an answer: an apology when the
// conversation failed, which is logged.
func (cb *WeChatCallback) textOf(ctx context.Context, m bot.Message, a answered) string {
	if a.err == nil {
		return a.text
	}
	cb.logger(ctx).ErrorContext(ctx, "wechat conversation failed",
		"openid", maskOpenID(m.OpenID), "error", a.err)
	return textSorry
}

// deliverLate waits for the conversation's answer and sends it as a
// customer-service message, with a context of its own.
func (cb *WeChatCallback) deliverLate(ctx context.Context, m bot.Message,
	done <-chan answered, cancel context.CancelFunc) {
	defer cb.late.Done()
	defer cancel()
	log := cb.logger(ctx)
	defer func() {
		if v := recover(); v != nil {
			log.ErrorContext(ctx, "wechat late answer panicked",
				"openid", maskOpenID(m.OpenID), "panic", v)
		}
	}()

	text := cb.textOf(ctx, m, <-done)
	if text == "" {
		return
	}
	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), cb.cfg.SendTimeout)
	defer scancel()
	if err := cb.cfg.Messenger.SendText(sctx, m.OpenID, text); err != nil {
		log.ErrorContext(ctx, "wechat late answer not delivered",
			"openid", maskOpenID(m.OpenID), "error", err)
		return
	}
	log.InfoContext(ctx, "wechat late answer delivered", "openid", maskOpenID(m.OpenID))
}

// reply writes the passive reply: "success" for no text, else a text
// message, encrypted when the message came encrypted.
func (cb *WeChatCallback) reply(w http.ResponseWriter, r *http.Request, in *incoming,
	text string) {
	if text == "" {
		writeSuccess(w)
		return
	}
	body, err := cb.replyBody(in, text)
	if err != nil {
		ctx := r.Context()
		cb.logger(ctx).ErrorContext(ctx, "wechat reply not built",
			"openid", maskOpenID(in.msg.OpenID), "error", err)
		writeSuccess(w)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write(body)
}

// writeSuccess answers "success", which tells WeChat there is no reply;
// it is plain text in safe mode too.
func writeSuccess(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("success"))
}

// replyBody builds the XML of a text reply to in.
func (cb *WeChatCallback) replyBody(in *incoming, text string) ([]byte, error) {
	now := cb.cfg.Now().Unix()
	msg := message.NewText(text)
	msg.SetToUserName(message.CDATA(in.msg.OpenID))
	msg.SetFromUserName(message.CDATA(in.from))
	msg.SetMsgType(message.MsgTypeText)
	msg.SetCreateTime(now)
	plain, err := xml.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("marshal reply: %w", err)
	}
	if !in.safe {
		return plain, nil
	}
	return cb.encrypt(plain, now)
}

// encrypt wraps a reply for safe mode: the AES-encrypted message with its
// msg_signature, timestamp and nonce.
func (cb *WeChatCallback) encrypt(plain []byte, now int64) ([]byte, error) {
	encrypted, err := util.EncryptMsg([]byte(rand.Text()[:16]), plain, cb.appID, cb.aesKey)
	if err != nil {
		return nil, fmt.Errorf("encrypt reply: %w", err)
	}
	timestamp, nonce := strconv.FormatInt(now, 10), rand.Text()[:10]
	out, err := xml.Marshal(message.ResponseEncryptedXMLMsg{
		EncryptedMsg: string(encrypted),
		MsgSignature: util.Signature(cb.token, timestamp, nonce, string(encrypted)),
		Timestamp:    now,
		Nonce:        nonce,
	})
	if err != nil {
		return nil, fmt.Errorf("marshal encrypted reply: %w", err)
	}
	return out, nil
}
