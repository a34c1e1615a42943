package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// bodyExcerpt is how much of an error page's text Authorize returns.
const bodyExcerpt = 500

// probeResult is one look at the tab's current document.
type probeResult struct {
	URL      string   `json:"url"`
	Ready    string   `json:"ready"`    // document.readyState
	Prev     bool     `json:"prev"`     // the document was there before this Authorize navigated
	LoginDoc bool     `json:"loginDoc"` // the document the login steps were submitted from
	Status   int      `json:"status"`   // HTTP status of the document (0 if unknown)
	Login    bool     `json:"login"`    // the first login step's selector is visible
	Consent  []bool   `json:"consent"`  // each consent step's selector is visible
	Bad      []string `json:"bad"`      // selectors the browser rejects as invalid CSS
	Text     string   `json:"text"`     // start of body.innerText when Status >= 400
}

// Markers set on documents (as window properties) that the state machine
// must not act on again.
const (
	markPrev     = "__pkcecheckPrev"
	markLoginDoc = "__pkcecheckLoginDoc"
)

// probeScript builds the expression that reports a probeResult. Visibility
// means: in the main document, rendered with a box, not visibility:hidden.
func probeScript(login string, consent []string) string {
	lj, _ := json.Marshal(login)
	if consent == nil {
		consent = []string{}
	}
	cj, _ := json.Marshal(consent)
	return fmt.Sprintf(`(() => {
  const bad = [];
  const vis = (s) => {
    if (!s) return false;
    let el;
    try { el = document.querySelector(s); } catch (e) { bad.push(s); return false; }
    if (!el || el.getClientRects().length === 0) return false;
    const st = getComputedStyle(el);
    return st.visibility !== 'hidden' && st.display !== 'none';
  };
  const nav = performance.getEntriesByType('navigation')[0];
  const status = (nav && nav.responseStatus) || 0;
  return {
    url: location.href,
    ready: document.readyState,
    prev: !!window.%s,
    loginDoc: !!window.%s,
    status: status,
    login: vis(%s),
    consent: %s.map(vis),
    bad: bad,
    text: (status >= 400 && document.body) ? document.body.innerText.slice(0, %d) : '',
  };
})()`, markPrev, markLoginDoc, lj, cj, bodyExcerpt+100)
}

// probe evaluates the probe script in the tab. It fails while a navigation
// replaces the document; callers poll again.
func (r *run) probe(ctx context.Context) (probeResult, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[probeResult](r.script))
}

// mark sets a marker on the current document, ignoring failures (the
// document may be going away, which is what the marker is about).
func (r *run) mark(name string) {
	ctx, cancel := context.WithTimeout(r.opCtx, cdpTimeout)
	defer cancel()
	_ = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void]("window."+name+" = true"))
}

// excerpt trims an error page's text to about bodyExcerpt characters.
func excerpt(s string) string {
	s = strings.TrimSpace(s)
	if rs := []rune(s); len(rs) > bodyExcerpt {
		s = string(rs[:bodyExcerpt])
	}
	return s
}
