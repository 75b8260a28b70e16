package wechat

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// apiHost is the host of the real WeChat API, which APIBase replaces.
const apiHost = "api.weixin.qq.com"

// httpTimeout bounds each call to WeChat, reading the answer included.
const httpTimeout = 5 * time.Second

// httpClient is the one HTTP client of every WeChat call, the SDK's
// included: its transport sends requests for api.weixin.qq.com to the
// API base instead.
var httpClient = &http.Client{
	Timeout:   httpTimeout,
	Transport: &rewriter{next: http.DefaultTransport},
}

var (
	transportOnce sync.Once
	// defaultBase is the API base of the latest client built: the target
	// of SDK calls that carry no context of a client.
	defaultBase atomic.Pointer[url.URL]
)

// installTransport makes httpClient the SDK's HTTP client (a process-wide
// setting of the SDK) and base the target of calls without a client's
// context.
func installTransport(base *url.URL) {
	defaultBase.Store(base)
	transportOnce.Do(func() { util.DefaultHTTPClient = httpClient })
}

type baseKey struct{}

// withBase marks ctx so that the calls made with it go to base, whatever
// other clients of the process use.
func withBase(ctx context.Context, base *url.URL) context.Context {
	return context.WithValue(ctx, baseKey{}, base)
}

// rewriter is a RoundTripper that sends requests for api.weixin.qq.com to
// the API base of the context (or the default one), keeping their path
// and query. Other hosts pass through unchanged.
type rewriter struct {
	next http.RoundTripper
}

// RoundTrip rewrites the request's scheme and host, then sends it.
func (rt *rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != apiHost {
		return rt.next.RoundTrip(req)
	}
	base, _ := req.Context().Value(baseKey{}).(*url.URL)
	if base == nil {
		base = defaultBase.Load()
	}
	if base == nil {
		return rt.next.RoundTrip(req)
	}

	out := req.Clone(req.Context())
	u := *req.URL
	u.Scheme, u.Host = base.Scheme, base.Host
	if base.Path != "" {
		u.Path = base.Path + u.Path
		u.RawPath = ""
	}
	out.URL = &u
	out.Host = ""
	return rt.next.RoundTrip(out)
}
