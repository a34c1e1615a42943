package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// maxArtifactIndex bounds the search for a free login-failure-<n> name.
const maxArtifactIndex = 10000

// fail saves a screenshot and the page HTML for e (when ArtifactDir is set),
// names them in e, logs the failure and returns e.
func (r *run) fail(e *LoginError) error {
	b := r.b
	if b.opts.ArtifactDir != "" && !b.isClosing() {
		png, html, err := b.saveArtifacts()
		e.Screenshot, e.HTML = png, html
		if err != nil {
			b.opts.Logf("browser: could not save the login failure page: %v", err)
		}
	}
	b.opts.Logf("browser: %v", e)
	return e
}

// saveArtifacts writes login-failure-<n>.png and login-failure-<n>.html into
// ArtifactDir, with n the first number not used there yet. Fill values
// (passwords) are masked in the HTML.
func (b *Browser) saveArtifacts() (pngPath, htmlPath string, err error) {
	dir := b.opts.ArtifactDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("create artifact dir: %w", err)
	}
	ctx, cancel := context.WithTimeout(b.tabCtx, cdpTimeout)
	defer cancel()
	png, pngErr := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	html, htmlErr := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.documentElement ? document.documentElement.outerHTML : ''`))
	if pngErr != nil && htmlErr != nil {
		return "", "", fmt.Errorf("read the page: %w", errors.Join(pngErr, htmlErr))
	}
	for n := int(b.failures.Load()) + 1; n <= maxArtifactIndex; n++ {
		base := filepath.Join(dir, fmt.Sprintf("login-failure-%d", n))
		if exists(base+".png") || exists(base+".html") {
			continue
		}
		b.failures.Store(int64(n))
		if pngErr == nil {
			if err := writeNew(base+".png", png); err != nil {
				return "", "", err
			}
			pngPath = base + ".png"
		}
		if htmlErr == nil {
			if err := writeNew(base+".html", []byte(b.maskFillValues(html))); err != nil {
				return pngPath, "", err
			}
			htmlPath = base + ".html"
		}
		return pngPath, htmlPath, errors.Join(pngErr, htmlErr)
	}
	return "", "", fmt.Errorf("no free login-failure-<n> name in %s", dir)
}

// maskFillValues replaces the login and consent steps' fill values and the
// TOTP codes typed in s. Values shorter than 4 characters are left alone:
// masking them would garble the page.
func (b *Browser) maskFillValues(s string) string {
	var values []string
	for _, st := range append(append([]profiles.Step(nil), b.opts.Login...), b.opts.Consent...) {
		if st.Fill != "" {
			values = append(values, st.Value)
		}
	}
	if d := b.opts.Detect; d != nil {
		values = append(values, d.Username, d.Password)
	}
	b.maskMu.Lock()
	values = append(values, b.masked...)
	b.maskMu.Unlock()
	for _, v := range values {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, redacted)
		}
	}
	return s
}

// addMasked records a typed value to mask in saved pages.
func (b *Browser) addMasked(v string) {
	b.maskMu.Lock()
	defer b.maskMu.Unlock()
	b.masked = append(b.masked, v)
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// writeNew creates path (failing if it exists) with data.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}
