// Package mp is the mini-program's JSON API under /api/mp. A user logs in
// with the code of wx.login, which code2session turns into the
// mini-program openid, and gets a signed bearer token; binds that openid
// to a student (学号 and the last six ID characters) or staff member (工号
// and activation code); and, as a student, files, follows, corrects and
// deletes requests through the same workflow as the chat. Every answer is
// JSON; every error is {"error": "…"} in Chinese, ready to show.
package mp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/models"
)

// Sessions exchanges the code of the mini-program's wx.login for the
// user's mini-program openid. *wechat.MiniClient of notify/wechat
// implements it. An error that has a CodeRefused method returning true
// means the code itself was refused (invalid, expired or used).
type Sessions interface {
	Code2Session(ctx context.Context, code string) (openID string, err error)
}

// Config is what the API needs. Store, Sessions, Redis and PublicURL are
// required; the other fields have the defaults their comments name.
type Config struct {
	Store    *models.Store
	Sessions Sessions
	// Redis counts failed binding tries.
	Redis redis.UniversalClient
	// PublicURL is PUBLIC_URL, the base of the print links.
	PublicURL string
	// KeyPrefix starts the Redis keys; default "xuewu:", so that the
	// failed tries on one 学号 or 工号 count together with the chat's.
	KeyPrefix string
	// Log receives one line per login, binding and change; nil discards.
	// Openids are masked; codes, tokens, ID digits and phone numbers are
	// never logged.
	Log *slog.Logger
	// Now is the clock of tokens; nil means time.Now.
	Now func() time.Time
}

// API serves /api/mp. Build it with New; it is safe for concurrent use.
type API struct {
	store    *models.Store
	sessions Sessions
	limits   bot.BindLimits
	base     string
	tokenKey []byte
	log      *slog.Logger
	now      func() time.Time

	engineOnce sync.Once
	engine     *gin.Engine
}

// New checks the configuration and returns the API.
func New(cfg Config) (*API, error) {
	if cfg.Store == nil || cfg.Sessions == nil || cfg.Redis == nil {
		return nil, errors.New("mp: Store, Sessions and Redis are required")
	}
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mp: PublicURL %q is not an http(s) URL", cfg.PublicURL)
	}
	if cfg.KeyPrefix == "" {
		cfg.KeyPrefix = "xuewu:"
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &API{
		store: cfg.Store, sessions: cfg.Sessions,
		limits:   bot.NewBindLimits(cfg.Redis, cfg.KeyPrefix+"bindfail:"),
		base:     strings.TrimRight(cfg.PublicURL, "/"),
		tokenKey: cfg.Store.DeriveKey("mp-session"),
		log:      cfg.Log, now: cfg.Now,
	}, nil
}

// ServeHTTP serves the whole /api/mp subtree (it sees full paths, such as
// /api/mp/login), for handlers.Deps.Mounts. Its router is made on first
// use, when the server has set gin's mode.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.engineOnce.Do(func() {
		e := gin.New()
		e.ContextWithFallback = true
		e.HandleMethodNotAllowed = true
		_ = e.SetTrustedProxies(nil)
		a.Register(e)
		e.NoRoute(a.headers, a.noRoute)
		e.NoMethod(a.headers, a.noMethod)
		a.engine = e
	})
	a.engine.ServeHTTP(w, r)
}

// Register adds the API to r under /api/mp.
func (a *API) Register(r gin.IRouter) {
	g := r.Group("/api/mp", a.headers, a.recoverPanic)
	g.POST("/login", a.login)

	in := g.Group("", a.authenticate)
	in.GET("/me", a.me)
	in.POST("/bind", a.bind)
	in.POST("/unbind", a.unbind)
	in.GET("/kinds", a.kinds)

	st := in.Group("", a.requireStudent)
	st.GET("/courses", a.courses)
	st.GET("/requests", a.listRequests)
	st.POST("/requests", a.createRequest)
	st.GET("/requests/:id", a.showRequest)
	st.PUT("/requests/:id", a.editRequest)
	st.DELETE("/requests/:id", a.deleteRequest)
}

func (a *API) noRoute(c *gin.Context) { fail(c, http.StatusNotFound, msgNoAPI) }

func (a *API) noMethod(c *gin.Context) { fail(c, http.StatusMethodNotAllowed, msgNoMethod) }
