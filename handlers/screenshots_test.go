package handlers_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestScreenshots_README regenerates the README's screenshots of the main pages (English, 1280
// px wide) in docs/. It runs only when asked: scripts/screenshots sets SMTPOAUTH_UPDATE_DOCS.
func TestScreenshots_README(t *testing.T) {
	if os.Getenv("SMTPOAUTH_UPDATE_DOCS") == "" {
		t.Skip("set SMTPOAUTH_UPDATE_DOCS=1 (scripts/screenshots) to regenerate docs/*.png")
	}
	p := newConsolePages(t)
	ctx, _ := tab(t, browserWithin(t, 3*time.Minute))
	must(t, chromedp.Do(ctx, desktop.emulate()), "setting the viewport")
	must(t, setLanguage(ctx, p.c.URL, "en"), "setting the language")
	signInTab(t, ctx, p.c)
	for _, shot := range []struct {
		file, path string
		full       bool
	}{
		{"screenshot-dashboard.png", "/", false},
		{"screenshot-connection.png", "/profiles/1", true},
		{"screenshot-run-failed.png", p.sendAsFail, true},
		{"screenshot-checklist.png", "/profiles/2/setup", false},
	} {
		must(t, chromedp.Do(ctx, chromedp.Navigate(p.c.URL+shot.path)), "opening "+shot.path)
		if _, err := checkLayout(ctx); err != nil {
			t.Fatalf("%s: %v", shot.path, err)
		}
		var png []byte
		var err error
		if shot.full {
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		} else {
			png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		}
		must(t, err, "taking "+shot.file)
		must(t, os.WriteFile(filepath.Join("..", "docs", shot.file), png, 0o644), "writing "+shot.file)
	}
}
