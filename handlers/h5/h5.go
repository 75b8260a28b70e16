// Package h5 serves the mobile pages under /h5 that WeChat cards and bot
// replies link to: the approval page, the pending list with bulk
// approval, the evidence photos, and the print and verify pages. Visitors
// are identified by WeChat OAuth (snsapi_base) and then by a signed
// session cookie; every page checks the visitor's role and scope.
package h5

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/imut/xuewu/models"
)

// OAuth is the part of WeChat's web authorization the pages use.
// *wechat.Client of notify/wechat implements it.
type OAuth interface {
	// AuthorizeURL is the link (on WECHAT_OPEN_BASE) that sends the user
	// to WeChat and back to redirectURI with a code and the state.
	AuthorizeURL(redirectURI, state string) string
	// OpenID exchanges the code of that redirect for the user's openid.
	OpenID(ctx context.Context, code string) (string, error)
}

// Config is what the pages need. Store, OAuth and PublicURL are required;
// the other fields have the defaults their comments name.
type Config struct {
	Store *models.Store
	OAuth OAuth
	// PublicURL is PUBLIC_URL, the base of the links in cards. The OAuth
	// redirect goes back to it, POSTs must come from its origin, and an
	// https URL makes the cookies Secure.
	PublicURL string
	// DataDir is XUEWU_DATA; evidence photos are served only from under
	// it. Default "./data".
	DataDir string
	// Log receives one line per decision and per failure; nil discards.
	// Openids are masked and phone numbers never logged.
	Log *slog.Logger
	// Now is the clock of sessions and of the days left; nil means
	// time.Now.
	Now func() time.Time
}

// defaultDataDir is XUEWU_DATA's default.
const defaultDataDir = "./data"

// Pages serves the /h5 pages. Build it with New and mount it with
// Register; it is safe for concurrent use.
type Pages struct {
	oauth  OAuth
	store  *models.Store
	log    *slog.Logger
	now    func() time.Time
	public *url.URL
	// base is PublicURL without a trailing slash.
	base    string
	dataDir string
	// secure marks the cookies Secure (PublicURL is https).
	secure     bool
	sessionKey []byte
	csrfKey    []byte
	verifyKey  []byte
	pages      map[string]*template.Template

	engineOnce sync.Once
	engine     *gin.Engine
}

// New checks the configuration and returns the pages.
func New(cfg Config) (*Pages, error) {
	if cfg.Store == nil || cfg.OAuth == nil {
		return nil, errors.New("h5: Store and OAuth are required")
	}
	public, err := url.Parse(strings.TrimRight(cfg.PublicURL, "/"))
	if err != nil || (public.Scheme != "http" && public.Scheme != "https") || public.Host == "" {
		return nil, fmt.Errorf("h5: PublicURL %q is not an http(s) URL", cfg.PublicURL)
	}
	if cfg.DataDir == "" {
		cfg.DataDir = defaultDataDir
	}
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("h5: DataDir: %w", err)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}

	p := &Pages{
		oauth: cfg.OAuth, store: cfg.Store, log: cfg.Log, now: cfg.Now,
		public: public, base: public.String(), dataDir: dataDir,
		secure:     public.Scheme == "https",
		sessionKey: cfg.Store.DeriveKey("session"),
		csrfKey:    cfg.Store.DeriveKey("csrf"),
		verifyKey:  cfg.Store.DeriveKey("verify"),
		pages:      pages,
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.now == nil {
		p.now = time.Now
	}
	return p, nil
}

// ServeHTTP serves the pages as a plain handler of the whole /h5 subtree
// (it sees full paths, such as /h5/pending), for handlers.Deps.Mounts.
// Its router is made on first use, when the server has set gin's mode.
func (p *Pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.engineOnce.Do(func() {
		e := gin.New()
		e.ContextWithFallback = true
		_ = e.SetTrustedProxies(nil)
		p.Register(e)
		e.NoRoute(p.headers, p.notFound)
		p.engine = e
	})
	p.engine.ServeHTTP(w, r)
}

// notFound answers a path under /h5 that is no page.
func (p *Pages) notFound(c *gin.Context) {
	p.message(c, http.StatusNotFound, titleError, msgNoPage, "")
}

// Register adds the pages to r under /h5, for a gin router that mounts
// them directly.
func (p *Pages) Register(r gin.IRouter) {
	g := r.Group("/h5", p.headers, p.recoverPanic)
	g.GET("/oauth", p.oauthCallback)
	p.registerPublic(g)

	in := g.Group("", p.authenticate)
	in.GET("/approve/:id", p.showApproval)
	in.POST("/approve/:id", p.decide)
	in.GET("/pending", p.showPending)
	in.GET("/overdue", p.showOverdue)
	in.POST("/pending", p.bulkApprove)
	in.GET("/evidence/:id", p.evidence)
	p.registerPrint(in)
}
