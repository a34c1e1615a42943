package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/results"
)

// reportFacts is what a person sees in report.html, read from the rendered
// page (reportScript).
type reportFacts struct {
	Rows         int      `json:"rows"`
	Details      int      `json:"details"`
	Open         []string `json:"open"`
	Badge        string   `json:"badge"`
	BadgeColor   string   `json:"badgeColor"`
	BadgeRight   float64  `json:"badgeRight"`
	FailHeight   float64  `json:"failHeight"`
	FailEvidence int      `json:"failEvidence"`
	PassHeight   float64  `json:"passHeight"`
	Outcome      string   `json:"outcome"`
	FailCount    string   `json:"failCount"`
	Overflows    bool     `json:"overflows"`
}

// reportScript reads reportFacts off the page. innerText is the text as
// rendered (after text-transform), heights are as laid out.
const reportScript = `(() => {
  const q = s => Array.from(document.querySelectorAll(s));
  const row = document.getElementById('row-rfc7636.verifier-mismatch');
  const badge = row ? row.querySelector('.badge') : null;
  const fail = document.getElementById('req-rfc7636.verifier-mismatch');
  const pass = document.getElementById('req-rfc7636.s256-roundtrip');
  const height = e => e ? e.getBoundingClientRect().height : -1;
  return {
    rows: q('#matrix tbody tr').length,
    details: q('details.req').length,
    open: q('details.req[open]').map(d => d.id),
    badge: badge ? badge.innerText : '',
    badgeColor: badge ? getComputedStyle(badge).backgroundColor : '',
    badgeRight: badge ? badge.getBoundingClientRect().right : -1,
    failHeight: height(fail),
    failEvidence: fail ? fail.querySelectorAll('.ev pre').length : 0,
    passHeight: height(pass),
    outcome: document.querySelector('#outcome strong').innerText,
    failCount: document.querySelector('#count-fail .n').innerText,
    overflows: document.documentElement.scrollWidth > window.innerWidth,
  };
})()`

// failRed is --fail in report.html.tmpl, as computed styles spell it.
const failRed = "rgb(207, 34, 46)"

// TestReportInBrowser looks at report.html of a real run (one flaw) the way
// a person would: rendered by headless Chromium at a desktop and a phone
// width. One matrix row per result, the failed requirement's badge reads
// FAIL in red and is on the screen, its details are open with the evidence
// showing, the others are folded, the page does not scroll sideways; the
// screenshots (saved, their paths logged) are real pictures of the whole
// page.
func TestReportInBrowser(t *testing.T) {
	r := pkcecheck(t, nil, "demo", "--flaws", "prefix-compare")
	if r.code != exitFailed || r.run == nil {
		t.Fatalf("exit %d, want %d with results\n%s", r.code, exitFailed, r.stderr)
	}
	if statuses(r.run)["rfc7636.verifier-mismatch"] != results.Fail {
		t.Fatalf("verifier-mismatch did not fail: %v", statuses(r.run))
	}
	page := "file://" + filepath.Join(r.out, "report.html")
	shots := t.TempDir()
	for _, width := range []int{1280, 390} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		p, err := browser.RenderPage(ctx, browser.Options{}, page, browser.RenderOptions{Width: width, Script: reportScript})
		cancel()
		if err != nil {
			t.Fatalf("render at %d px: %v", width, err)
		}
		shot := filepath.Join(shots, "report-"+strconv.Itoa(width)+".png")
		if err := os.WriteFile(shot, p.PNG, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot at %d px: %s (%d bytes)", width, shot, len(p.PNG))

		var f reportFacts
		if err := json.Unmarshal(p.Value, &f); err != nil {
			t.Fatalf("page facts %s: %v", p.Value, err)
		}
		n := len(r.run.Results)
		if f.Rows != n || f.Details != n {
			t.Errorf("%d px: %d matrix rows and %d details, want one per result (%d)", width, f.Rows, f.Details, n)
		}
		if f.Badge != "FAIL" || f.BadgeColor != failRed {
			t.Errorf("%d px: the failed requirement's badge reads %q in %s, want FAIL in %s", width, f.Badge, f.BadgeColor, failRed)
		}
		if len(f.Open) != 1 || f.Open[0] != "req-rfc7636.verifier-mismatch" {
			t.Errorf("%d px: open details %v, want only the failed requirement's", width, f.Open)
		}
		if f.BadgeRight > float64(width) {
			t.Errorf("%d px: the failed requirement's badge ends at %.0f px, off the screen", width, f.BadgeRight)
		}
		if f.FailHeight < 300 || f.FailEvidence < 2 || f.PassHeight <= 0 || f.PassHeight > 80 {
			t.Errorf("%d px: failed requirement %.0f px high with %d evidence blocks, a passing one %.0f px: want the failure unfolded, the pass folded to its summary line",
				width, f.FailHeight, f.FailEvidence, f.PassHeight)
		}
		if f.Outcome != "Failed" || f.FailCount != "1" {
			t.Errorf("%d px: banner %q, fail tile %q", width, f.Outcome, f.FailCount)
		}
		if f.Overflows {
			t.Errorf("%d px: the page scrolls sideways", width)
		}
		checkScreenshot(t, p.PNG, width)
	}
}

// checkScreenshot: a PNG of the given width, taller than a screen, with
// the colours of a real page (not blank), including the fail red.
func checkScreenshot(t *testing.T, data []byte, width int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != width || b.Dy() < 1500 {
		t.Errorf("screenshot %dx%d, want %d wide and the whole page (over 1500 px)", b.Dx(), b.Dy(), width)
	}
	if len(data) < 30<<10 {
		t.Errorf("screenshot of %d bytes: too small for a page of text", len(data))
	}
	colours, red := pixelStats(img)
	if colours < 50 || red < 50 {
		t.Errorf("screenshot has %d colours and %d fail-red pixels: not the report as drawn", colours, red)
	}
}

// pixelStats counts the distinct colours (on a grid of every 3rd pixel) and
// the pixels of the fail red.
func pixelStats(img image.Image) (colours, red int) {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := [3]uint32{r >> 8, g >> 8, bl >> 8}
			seen[c] = true
			if c == [3]uint32{207, 34, 46} {
				red++
			}
		}
	}
	return len(seen), red
}
