// Package dev is the WeChat simulator of demo mode, served under /dev/: a
// phone-like chat page where anyone from the imported school can talk to
// the bot through the real /wechat callback, and a built-in fake of the
// WeChat API and OAuth page (under /dev/wx) that the app's WeChat client
// calls instead of api.weixin.qq.com and open.weixin.qq.com. It exists only
// for trying xuewu out without an official account: serve it only when no
// WECHAT_APP_ID is configured.
package dev

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/imut/xuewu/models"
)

// Paths of the simulator.
const (
	// Prefix is where the simulator is mounted.
	Prefix = "/dev"
	// FakePath is where the fake WeChat answers: the API base and the
	// OAuth page base of demo mode are PUBLIC_URL + FakePath.
	FakePath = Prefix + "/wx"
)

// MenuButton is a click button of the official account's menu, shown
// under the chat until the app installs a menu of its own.
type MenuButton struct {
	Name string
	Key  string
}

// Config is what the simulator needs. Store, Callback, AppID, AppSecret,
// Token and PublicURL are required; the other fields have the defaults
// their comments name.
type Config struct {
	// Store lists the people to choose from and whom they are bound to.
	Store *models.Store
	// Callback is the app's /wechat handler, which the simulator posts
	// signed messages to, in process, as WeChat would.
	Callback http.Handler
	// AppID and AppSecret are the demo official account's: the fake
	// gives access tokens and OAuth codes only for them.
	AppID, AppSecret string
	// Token signs the callbacks (plain mode).
	Token string
	// PublicURL is PUBLIC_URL: the origin POSTs must come from, the base
	// of the links that cards open, and where OAuth may send people back.
	PublicURL string
	// Secrets are the binding secrets of the demo school by 学号 (last six
	// ID characters) and 工号 (activation code). The page shows one only
	// when it matches the stored hash, so real people's are never shown.
	Secrets map[string]string
	// Menu is the menu shown under the chat until the app creates one
	// through the fake API.
	Menu []MenuButton
	// Log receives one line per refused request or failure; nil discards.
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Simulator serves the simulator's page and the fake WeChat. Build it with
// New; it is safe for concurrent use and keeps its state (chats, photos,
// tokens, codes) in memory, lost on exit.
type Simulator struct {
	cfg     Config
	public  *url.URL
	log     *slog.Logger
	now     func() time.Time
	csrfKey []byte
	page    *template.Template
	mux     *http.ServeMux

	chats *chats
	media *mediaStore
	fake  *fake
	// msgID numbers the messages sent to the callback.
	msgID atomic.Int64
}

// New checks the configuration and returns the simulator.
func New(cfg Config) (*Simulator, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	public, err := url.Parse(strings.TrimRight(cfg.PublicURL, "/"))
	if err != nil || (public.Scheme != "http" && public.Scheme != "https") || public.Host == "" {
		return nil, fmt.Errorf("dev: PublicURL %q is not an http(s) URL", cfg.PublicURL)
	}
	page, err := parsePage()
	if err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}

	s := &Simulator{
		cfg: cfg, public: public, log: cfg.Log, now: cfg.Now, page: page,
		csrfKey: cfg.Store.DeriveKey("dev-csrf"),
		chats:   newChats(), media: newMediaStore(),
	}
	s.fake = newFake(s)
	s.msgID.Store(cfg.Now().UnixNano())
	s.mux = s.routes()
	return s, nil
}

func (cfg Config) check() error {
	switch {
	case cfg.Store == nil || cfg.Callback == nil:
		return errors.New("dev: Store and Callback are required")
	case cfg.AppID == "" || cfg.AppSecret == "" || cfg.Token == "":
		return errors.New("dev: AppID, AppSecret and Token are required")
	}
	return nil
}

// ServeHTTP serves the whole /dev subtree; it sees full paths, such as
// /dev/wx/cgi-bin/token, for handlers.Deps.Mounts.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.recoverPanic(w, r)
	s.mux.ServeHTTP(w, r)
}

// routes registers the page, its API and the fake WeChat.
func (s *Simulator) routes() *http.ServeMux {
	mux := http.NewServeMux()
	page := pageHeaders

	mux.Handle("GET "+Prefix+"/{$}", page(s.showPage))
	mux.Handle("GET "+Prefix+"/static/{file}", page(s.static))
	mux.Handle("POST "+Prefix+"/person", page(s.guard(s.choosePerson)))
	mux.Handle("GET "+Prefix+"/api/messages", page(s.messages))
	mux.Handle("POST "+Prefix+"/api/say", page(s.guard(s.say)))
	mux.Handle("POST "+Prefix+"/api/photo", page(s.guard(s.sendPhoto)))
	mux.Handle("POST "+Prefix+"/api/click", page(s.guard(s.click)))
	mux.Handle("POST "+Prefix+"/api/bind", page(s.guard(s.bindWithExample)))
	mux.Handle("GET "+Prefix+"/open", page(s.open))
	mux.Handle("GET "+Prefix+"/photo/{id}", page(s.photo))

	s.fake.register(mux)
	mux.Handle(Prefix+"/", page(s.notFound))
	return mux
}

// notFound answers a path under /dev that is nothing.
func (s *Simulator) notFound(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, textNotFound, http.StatusNotFound)
}

// recoverPanic turns a panic into a logged error and a 500, so that no
// panic reaches the person at the simulator.
func (s *Simulator) recoverPanic(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
		panic(v)
	}
	s.log.ErrorContext(r.Context(), "panic in the simulator", "panic", fmt.Sprint(v),
		"path", r.URL.Path)
	http.Error(w, textInternal, http.StatusInternalServerError)
}
