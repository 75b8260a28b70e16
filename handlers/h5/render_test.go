package h5

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
)

func TestAPanicBecomesAnApologyPage(t *testing.T) {
	t.Parallel()
	e := setup(t)
	engine := gin.New()
	engine.GET("/h5/boom", e.pages.headers, e.pages.recoverPanic, func(*gin.Context) {
		panic("boom")
	})

	w := httptest.NewRecorder()
	engine.ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, "/h5/boom", nil))
	require.Equal(t, http.StatusInternalServerError, w.Code)
	require.Contains(t, w.Body.String(), "系统暂时无法处理，请稍后再试。")
	require.NotContains(t, w.Body.String(), "boom")
	require.Equal(t, "no-store", w.Header().Get("Cache-Control"))
}

func TestTemplatesParseAndTheStylesheetIsAllowedByItsHash(t *testing.T) {
	t.Parallel()
	pages, err := parsePages()
	require.NoError(t, err)
	require.Len(t, pages, len(pageNames))
	require.Contains(t, contentSecurityPolicy, "style-src 'sha256-"+styleHash(styleCSS)+"'")
}

func TestPagesMountInAGinRouterEitherWay(t *testing.T) {
	t.Parallel()
	e := setup(t)
	registered := gin.New()
	e.pages.Register(registered)
	mounted := gin.New() // as handlers.Deps.Mounts does
	mounted.Any("/h5/*path", gin.WrapH(e.pages))

	for name, engine := range map[string]*gin.Engine{"Register": registered, "Mounts": mounted} {
		w := httptest.NewRecorder()
		engine.ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, "/h5/pending", nil))
		require.Equal(t, http.StatusFound, w.Code, name)
		require.Contains(t, w.Header().Get("Location"), "/connect/oauth2/authorize?", name)
	}

	w := httptest.NewRecorder()
	e.pages.ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, "/h5/nothing", nil))
	require.Equal(t, http.StatusNotFound, w.Code)
	require.Contains(t, w.Body.String(), "没有这个页面")
	require.Equal(t, "no-store", w.Header().Get("Cache-Control"))
}
