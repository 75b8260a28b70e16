package handlers

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	"github.com/imut/xuewu/bot"
)

// maxOpenID is the longest openid accepted (WeChat's are 28 characters).
const maxOpenID = 128

// incoming is a message read from a callback.
type incoming struct {
	msg bot.Message
	// from is the official account's ID (ToUserName), the sender of
	// the reply.
	from string
	// safe is set when the message came encrypted: so goes the reply.
	safe bool
}

// readMessage reads the body (at most maxCallbackBody), decrypts it in
// safe mode after checking msg_signature, and parses the message.
func (cb *WeChatCallback) readMessage(w http.ResponseWriter, r *http.Request,
	q url.Values) (*incoming, *refusal) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCallbackBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, &refusal{http.StatusRequestEntityTooLarge, "body too large"}
		}
		return nil, &refusal{http.StatusBadRequest, "body unreadable"}
	}

	in := &incoming{}
	switch q.Get("encrypt_type") {
	case "", "raw":
		// The signature covers no body: with an AES key, only encrypted
		// messages (whose msg_signature does) are believed.
		if cb.aesKey != "" {
			return nil, &refusal{http.StatusForbidden, "plain message in safe mode"}
		}
	case "aes":
		in.safe = true
		var ref *refusal
		if body, ref = cb.decrypt(q, body); ref != nil {
			return nil, ref
		}
	default:
		return nil, &refusal{http.StatusBadRequest, "unknown encrypt_type"}
	}

	var mix message.MixMessage
	// encoding/xml expands no external entities, and body is capped.
	if err := xml.Unmarshal(body, &mix); err != nil { //nolint:gosec // G709: see above
		return nil, &refusal{http.StatusBadRequest, "malformed XML"}
	}
	if ref := checkMessage(&mix); ref != nil {
		return nil, ref
	}
	in.msg, in.from = toBotMessage(&mix), string(mix.ToUserName)
	return in, nil
}

// decrypt checks the msg_signature of a safe-mode body and returns the
// message it carries.
func (cb *WeChatCallback) decrypt(q url.Values, body []byte) ([]byte, *refusal) {
	if cb.aesKey == "" {
		return nil, &refusal{http.StatusBadRequest, "safe mode without an AES key"}
	}
	var env message.EncryptedXMLMsg
	if err := xml.Unmarshal(body, &env); err != nil || env.EncryptedMsg == "" {
		return nil, &refusal{http.StatusBadRequest, "malformed encrypted XML"}
	}
	if ref := cb.verifyMsgSignature(q, env.EncryptedMsg); ref != nil {
		return nil, ref
	}
	_, plain, err := util.DecryptMsg(cb.appID, env.EncryptedMsg, cb.aesKey)
	if err != nil {
		return nil, &refusal{http.StatusBadRequest, "undecryptable message"}
	}
	return plain, nil
}

// checkMessage refuses a message without a sender or a type.
func checkMessage(mix *message.MixMessage) *refusal {
	switch {
	case mix.FromUserName == "" || len(mix.FromUserName) > maxOpenID:
		return &refusal{http.StatusBadRequest, "missing or malformed FromUserName"}
	case mix.MsgType == "":
		return &refusal{http.StatusBadRequest, "missing MsgType"}
	}
	return nil
}

// toBotMessage converts the SDK's message to the conversation's. A short
// video counts as a video; a voice message carries WeChat's speech
// recognition, when there is one, as its content.
func toBotMessage(mix *message.MixMessage) bot.Message {
	m := bot.Message{
		OpenID:     string(mix.FromUserName),
		MsgID:      mix.MsgID,
		CreateTime: mix.CreateTime,
		Type:       bot.MsgType(mix.MsgType),
		Content:    mix.Content,
		MediaID:    mix.MediaID,
		PicURL:     mix.PicURL,
		Event:      string(mix.Event),
		EventKey:   mix.EventKey,
	}
	switch mix.MsgType {
	case message.MsgTypeShortVideo:
		m.Type = bot.MsgVideo
	case message.MsgTypeVoice:
		if m.Content == "" {
			m.Content = mix.Recognition
		}
	}
	return m
}
