package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// renderTestPage is 3000 CSS pixels tall, with a known title and colour.
const renderTestPage = `<!doctype html><html><head><title>render me</title></head>
<body style="margin:0"><div style="height:3000px;background:rgb(10,200,30)">tall</div></body></html>`

// TestRenderPage: the screenshot is as wide as asked and as tall as the
// page, shows the page's colour, and the script sees the loaded page; file:
// URLs work as well as http: ones.
func TestRenderPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(renderTestPage))
	}))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte(renderTestPage), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, url string }{{"http", srv.URL}, {"file", "file://" + file}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			p, err := RenderPage(ctx, Options{}, tc.url, RenderOptions{Width: 600, Script: `({title: document.title, width: innerWidth})`})
			if err != nil {
				t.Fatal(err)
			}
			var v struct {
				Title string
				Width int
			}
			if err := json.Unmarshal(p.Value, &v); err != nil || v.Title != "render me" || v.Width != 600 {
				t.Errorf("script value %s (%v): want the title and a 600-pixel viewport", p.Value, err)
			}
			img, err := png.Decode(bytes.NewReader(p.PNG))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			b := img.Bounds()
			if b.Dx() != 600 || b.Dy() < 3000 {
				t.Errorf("screenshot %dx%d, want 600 wide and the page's 3000 pixels tall", b.Dx(), b.Dy())
			}
			r, g, bl, _ := img.At(300, 2900).RGBA()
			if r>>8 > 40 || g>>8 < 170 || bl>>8 > 60 {
				t.Errorf("pixel near the bottom is rgb(%d,%d,%d), want the page's green", r>>8, g>>8, bl>>8)
			}
		})
	}
}

// TestRenderPageCancelled: a context already ended starts no browser.
func TestRenderPageCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	_, err := Screenshot(ctx, Options{}, "about:blank", 0)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}
