package handlers

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/imut/xuewu/notify/wechat"

	"github.com/gin-gonic/gin"
	"github.com/silenceper/wechat/v2/officialaccount"

	"github.com/imut/xuewu/bot"
)

// Conversation answers one message of a WeChat user: the text to send
// back, empty for no answer.
type Conversation interface {
	Handle(ctx context.Context, m bot.Message) (string, error)
}

// Messenger sends a customer-service text message, for answers that miss
// the passive-reply window.
type Messenger interface {
	SendText(ctx context.Context, openID, text string) error
}

// Defaults and limits of the WeChat callback.
const (
	// DefaultReplyWindow is how long the callback waits for the
	// conversation before it answers "success": WeChat gives up after 5 s.
	DefaultReplyWindow = 4200 * time.Millisecond
	// defaultHandleTimeout bounds the conversation's work on one message.
	defaultHandleTimeout = 30 * time.Second
	// defaultSendTimeout bounds the delivery of a late answer.
	defaultSendTimeout = 10 * time.Second
	// maxClockSkew is how far a callback's timestamp may be from the clock.
	maxClockSkew = 5 * time.Minute
	// maxCallbackBody is the largest callback body read: 64 KiB.
	maxCallbackBody = 64 << 10
)

// CallbackConfig is what the WeChat callback needs. Account, Conversation
// and Messenger are required; the other fields have the defaults their
// comments name.
type CallbackConfig struct {
	// Account gives the token, app ID and AES key (set: safe mode) of the
	// official account. An empty token refuses every callback with 500.
	Account *officialaccount.OfficialAccount
	// Conversation answers the messages.
	Conversation Conversation
	// Messenger delivers answers that were late for the passive reply.
	Messenger Messenger
	// Logger receives one line per refused callback or late answer; nil
	// discards them. Bodies and full openids are never logged.
	Logger *slog.Logger
	// Now is the clock that timestamps are checked against; nil means
	// time.Now.
	Now func() time.Time
	// ReplyWindow is how long the passive reply waits for the
	// conversation; default DefaultReplyWindow (4.2 s).
	ReplyWindow time.Duration
	// HandleTimeout bounds the conversation's work on one message, late
	// or not; default 30 s.
	HandleTimeout time.Duration
	// SendTimeout bounds the delivery of a late answer; default 10 s.
	SendTimeout time.Duration
}

// WeChatCallback serves GET and POST /wechat, the official account's
// callback: it checks the signature, reads the message (plain or safe
// mode), asks the conversation and answers within WeChat's window.
type WeChatCallback struct {
	cfg    CallbackConfig
	token  string
	appID  string
	aesKey string
	// late counts the answers being delivered in the background.
	late sync.WaitGroup
}

// NewWeChatCallback checks the configuration and returns the callback.
func NewWeChatCallback(cfg CallbackConfig) (*WeChatCallback, error) {
	switch {
	case cfg.Account == nil:
		return nil, errors.New("wechat callback: Account is required")
	case cfg.Conversation == nil:
		return nil, errors.New("wechat callback: Conversation is required")
	case cfg.Messenger == nil:
		return nil, errors.New("wechat callback: Messenger is required")
	}
	ac := cfg.Account.GetContext().Config
	if ac.EncodingAESKey != "" && !validAESKey(ac.EncodingAESKey) {
		return nil, errors.New("wechat callback: the AES key is not 43 characters of base64")
	}
	return &WeChatCallback{cfg: cfg.withDefaults(), token: ac.Token, appID: ac.AppID,
		aesKey: ac.EncodingAESKey}, nil
}

func (cfg CallbackConfig) withDefaults() CallbackConfig {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ReplyWindow <= 0 {
		cfg.ReplyWindow = DefaultReplyWindow
	}
	if cfg.HandleTimeout <= 0 {
		cfg.HandleTimeout = defaultHandleTimeout
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = defaultSendTimeout
	}
	return cfg
}

// validAESKey reports whether key is an EncodingAESKey: 43 characters of
// base64 that make 32 bytes.
func validAESKey(key string) bool {
	b, err := base64.StdEncoding.DecodeString(key + "=")
	return len(key) == 43 && err == nil && len(b) == 32
}

// Register adds GET and POST /wechat to r.
func (cb *WeChatCallback) Register(r gin.IRoutes) {
	h := gin.WrapH(cb)
	r.GET("/wechat", h)
	r.POST("/wechat", h)
}

// ServeHTTP answers one callback: the echo of URL verification (GET) or
// the reply to a message (POST).
func (cb *WeChatCallback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		cb.refuse(w, r, &refusal{http.StatusMethodNotAllowed, "method not allowed"})
		return
	}

	q := r.URL.Query()
	if ref := cb.verify(q); ref != nil {
		cb.refuse(w, r, ref)
		return
	}
	if r.Method == http.MethodGet {
		cb.echo(w, r, q)
		return
	}

	in, ref := cb.readMessage(w, r, q)
	if ref != nil {
		cb.refuse(w, r, ref)
		return
	}

	text := cb.answer(r.Context(), in.msg, start)
	cb.reply(w, r, in, text)
}

// Drain waits until the late answers being delivered are sent, or ctx
// ends. Call it after the HTTP server has shut down.
func (cb *WeChatCallback) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		cb.late.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// refusal is why a callback is refused, and the status that says so.
type refusal struct {
	status int
	reason string
}

// refuse answers a refused callback and logs why, without the body.
func (cb *WeChatCallback) refuse(w http.ResponseWriter, r *http.Request, ref *refusal) {
	ctx := r.Context()
	level := slog.LevelWarn
	if ref.status >= http.StatusInternalServerError {
		level = slog.LevelError
	}
	cb.logger(ctx).Log(ctx, level, "wechat callback refused",
		"reason", ref.reason, "status", ref.status)
	http.Error(w, http.StatusText(ref.status), ref.status)
}

// echo answers WeChat's URL verification with its echostr.
func (cb *WeChatCallback) echo(w http.ResponseWriter, r *http.Request, q url.Values) {
	echostr := q.Get("echostr")
	if !wechat.TokenLike(echostr, maxEchostr) {
		cb.refuse(w, r, &refusal{http.StatusBadRequest, "missing or malformed echostr"})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	//nolint:gosec // G705: WeChat's signed echostr must be echoed; it is letters and digits only.
	_, _ = w.Write([]byte(echostr))
}

// maxEchostr is the longest echostr echoed.
const maxEchostr = 128

// logger returns the request's logger (with its request ID) when the
// router's middleware set one, else the configured logger.
func (cb *WeChatCallback) logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return cb.cfg.Logger
}

// maskOpenID shortens an openid for logs: its first four characters and
// an ellipsis.
func maskOpenID(openID string) string {
	r := []rune(openID)
	if len(r) <= 4 {
		return "…"
	}
	return string(r[:4]) + "…"
}
