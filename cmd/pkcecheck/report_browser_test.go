package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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
	BadgeLeft    float64  `json:"badgeLeft"`
	BadgeRight   float64  `json:"badgeRight"`
	DetailBadge  float64  `json:"detailBadgeRight"`
	FailHeight   float64  `json:"failHeight"`
	FailEvidence int      `json:"failEvidence"`
	PassHeight   float64  `json:"passHeight"`
	// PassLine is the height of the passing requirement's summary line,
	// PassBody whether anything under it is drawn.
	PassLine  float64 `json:"passLine"`
	PassBody  bool    `json:"passBody"`
	FailBody  bool    `json:"failBody"`
	Outcome   string  `json:"outcome"`
	FailCount string  `json:"failCount"`
	Overflows bool    `json:"overflows"`
	// Scrollers are the elements that scroll sideways; Cut those that
	// reach past the screen's edges (outside any element that clips them).
	Scrollers []string `json:"scrollers"`
	Cut       []string `json:"cut"`
	// The failed row's cells as laid out: the requirement (ID), the level,
	// what the server must do (the summary) and the status badge.
	ID      box `json:"id"`
	Level   box `json:"level"`
	Summary box `json:"summary"`
	Status  box `json:"status"`
}

// box is an element's rectangle on the page, in CSS pixels.
type box struct{ Left, Top, Right, Bottom float64 }

// stacked: the summary starts below the requirement, level and status,
// which share a line (each one's vertical middle within the others' span).
func (f reportFacts) stacked() bool {
	mid := func(b box) float64 { return (b.Top + b.Bottom) / 2 }
	within := func(y float64, b box) bool { return y >= b.Top && y <= b.Bottom }
	return f.Summary.Top >= max(f.ID.Bottom, f.Level.Bottom, f.Status.Bottom)-1 &&
		within(mid(f.Level), f.ID) && within(mid(f.Status), f.ID) && within(mid(f.ID), f.Status)
}

// sideBySide: a table row, the requirement, level, summary and status
// from left to right, starting on the same line.
func (f reportFacts) sideBySide() bool {
	return f.ID.Right <= f.Level.Left && f.Level.Right <= f.Summary.Left && f.Summary.Right <= f.Status.Left &&
		f.Summary.Top < f.ID.Bottom && f.Status.Top < f.ID.Bottom
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
  const rect = e => { const r = e ? e.getBoundingClientRect() : {left: -1, top: -1, right: -1, bottom: -1};
    return {Left: r.left, Top: r.top + scrollY, Right: r.right, Bottom: r.bottom + scrollY}; };
  const cell = s => row ? row.querySelector(s) : null;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
  const clipped = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o !== 'visible') return true; } return false; };
  const all = q('body *');
  return {
    rows: q('#matrix tbody tr:not(.area-head)').length,
    details: q('details.req').length,
    open: q('details.req[open]').map(d => d.id),
    badge: badge ? badge.innerText : '',
    badgeColor: badge ? getComputedStyle(badge).backgroundColor : '',
    badgeLeft: badge ? badge.getBoundingClientRect().left : -1,
    badgeRight: badge ? badge.getBoundingClientRect().right : -1,
    detailBadgeRight: fail ? fail.querySelector('summary .badge').getBoundingClientRect().right : -1,
    failHeight: height(fail),
    failEvidence: fail ? fail.querySelectorAll('.ev pre').length : 0,
    passHeight: height(pass),
    passLine: pass ? height(pass.querySelector('summary')) : -1,
    passBody: pass ? pass.querySelector('.body').checkVisibility() : true,
    failBody: fail ? fail.querySelector('.body').checkVisibility() : false,
    outcome: document.querySelector('#outcome strong').innerText,
    failCount: document.querySelector('#count-fail .n').innerText,
    overflows: document.documentElement.scrollWidth > innerWidth || document.body.scrollWidth > innerWidth,
    scrollers: all.filter(e => e.scrollWidth > e.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(e).overflowX)).map(name).slice(0, 5),
    cut: all.filter(e => { const r = e.getBoundingClientRect();
      return r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5) && !clipped(e); }).map(name).slice(0, 5),
    id: rect(cell('td.id')), level: rect(cell('td.lv')), summary: rect(cell('td.what')), status: rect(badge),
  };
})()`

// failRed is --fail in report.html.tmpl, as computed styles spell it.
const failRed = "rgb(207, 34, 46)"

// reportBreakpoint is the widest viewport (CSS px) at which report.html's
// requirements table is stacked (the @media rule in report.html.tmpl).
const reportBreakpoint = 760

// TestReportInBrowser looks at report.html of a real run (one flaw) the way
// a person would: rendered by headless Chromium, with the fonts the machine
// has (Debian's DejaVu after .ci/setup; the layout must not depend on
// them), at a desktop and two phone widths. One matrix row per result, the
// failed requirement's badge reads FAIL in red and is on the screen, its
// details are open with the evidence showing, the others are folded,
// nothing scrolls sideways or reaches past the screen's edge; at phone
// widths each row is stacked (requirement, level and status on a line, the
// summary under it), at the desktop width it is a table row. The
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
	logFonts(t)
	page := "file://" + filepath.Join(r.out, "report.html")
	shots := t.TempDir()
	for _, width := range []int{1280, 390, 320} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
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
		if f.BadgeLeft < 0 || f.BadgeRight > float64(width) || f.DetailBadge < 0 || f.DetailBadge > float64(width) {
			t.Errorf("%d px: the failed requirement's badge spans %.0f to %.0f px (in its details, ends at %.0f px), off the screen",
				width, f.BadgeLeft, f.BadgeRight, f.DetailBadge)
		}
		if f.FailHeight < 300 || !f.FailBody || f.FailEvidence < 2 || f.PassHeight <= 0 || f.PassBody || f.PassHeight > f.PassLine+3 {
			t.Errorf("%d px: failed requirement %.0f px high with %d evidence blocks (body drawn: %v), a passing one %.0f px (its summary line %.0f px, body drawn: %v): want the failure unfolded, the pass folded to its summary line",
				width, f.FailHeight, f.FailEvidence, f.FailBody, f.PassHeight, f.PassLine, f.PassBody)
		}
		if f.Outcome != "Failed" || f.FailCount != "1" {
			t.Errorf("%d px: banner %q, fail tile %q", width, f.Outcome, f.FailCount)
		}
		if f.Overflows || len(f.Scrollers) > 0 || len(f.Cut) > 0 {
			t.Errorf("%d px: the page scrolls sideways (%v), these scroll sideways: %v, these reach past the screen: %v",
				width, f.Overflows, f.Scrollers, f.Cut)
		}
		if width <= reportBreakpoint && !f.stacked() {
			t.Errorf("%d px: the failed row is not stacked (requirement, level, status on a line, the summary under it): requirement %v, level %v, status %v, summary %v",
				width, f.ID, f.Level, f.Status, f.Summary)
		}
		if width > reportBreakpoint && !f.sideBySide() {
			t.Errorf("%d px: the failed row is not a table row: requirement %v, level %v, summary %v, status %v",
				width, f.ID, f.Level, f.Summary, f.Status)
		}
		checkScreenshot(t, p.PNG, width)
	}
}

// logFonts logs the fonts fontconfig gives Chromium for the page's
// families, when fc-match is there: what the layout was measured with.
func logFonts(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("fc-match"); err != nil {
		return
	}
	for _, family := range []string{"sans-serif", "monospace"} {
		out, err := exec.Command("fc-match", family).Output()
		if err == nil {
			t.Logf("font for %s: %s", family, strings.TrimSpace(string(out)))
		}
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
