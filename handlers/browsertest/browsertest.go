// Package browsertest starts the headless Chromium of the browser tests
// and finds where their screenshots go.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

// NewTab starts a headless Chromium for the test, with the flags this
// machine's closed network needs, and returns a tab that lives until the
// test ends or timeout passes. The test fails, with the command to
// install it, when Chromium is missing.
func NewTab(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Fatalf("Chromium is needed at %s for the browser test; install it with "+
			"`DEBIAN_FRONTEND=noninteractive apt-get install -y chromium`: %v", ChromiumPath, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	tab, cancelTab := chromedp.NewContext(alloc)
	tab, cancelTimeout := context.WithTimeout(tab, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	return tab
}

// RepoRoot returns the folder of go.mod above the test's directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// ArtifactsDir returns the repository's artifacts/ directory (git-ignored),
// made if need be: where browser tests keep their screenshots.
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	out := filepath.Join(RepoRoot(t), "artifacts")
	if err := os.MkdirAll(out, 0o750); err != nil {
		t.Fatalf("make artifacts directory: %v", err)
	}
	return out
}
