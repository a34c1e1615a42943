package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// bodyExcerpt is how much of an error page's text Authorize returns.
const bodyExcerpt = 500

// probeResult is one look at the tab's current document.
type probeResult struct {
	URL      string `json:"url"`
	Ready    string `json:"ready"`    // document.readyState
	Prev     bool   `json:"prev"`     // the document was there before this Authorize navigated
	LoginDoc bool   `json:"loginDoc"` // the document the login steps were submitted from
	// DetectDoc is the document a detected plan last acted on (a page of
	// a script that re-renders keeps it: see run.detect).
	DetectDoc bool     `json:"detectDoc"`
	Status    int      `json:"status"`  // HTTP status of the document (0 if unknown)
	Login     bool     `json:"login"`   // the first login step's selector is visible
	Consent   []bool   `json:"consent"` // each consent step's selector is visible
	Bad       []string `json:"bad"`     // selectors the browser rejects as invalid CSS
	Text      string   `json:"text"`    // start of body.innerText when Status >= 400
}

// Markers set on documents (as window properties) that the state machine
// must not act on again.
const (
	markPrev     = "__pkcecheckPrev"
	markLoginDoc = "__pkcecheckLoginDoc"
	// markDetectDoc is set on the document a detected plan acted on.
	markDetectDoc = "__pkcecheckDetectDoc"
)

// probeTarget is one element the probe looks for: a CSS selector or a
// click_text text, inside the iframe Frame when that is set.
type probeTarget struct {
	Sel   string `json:"sel,omitempty"`
	Text  string `json:"text,omitempty"`
	Frame string `json:"frame,omitempty"`
}

// targetOf is what shows that step s can run.
func targetOf(s profiles.Step) probeTarget {
	if s.Kind() == profiles.KindClickText {
		return probeTarget{Text: s.ClickText, Frame: s.Frame}
	}
	return probeTarget{Sel: s.Selector(), Frame: s.Frame}
}

// probeScript builds the expression that reports a probeResult. Visibility
// means: rendered with a box, not visibility:hidden. A target in an iframe
// counts as visible when the iframe is and, if its document can be read
// (same origin), the element in it is; the document of an iframe of
// another origin cannot be read from the page, so there the iframe showing
// is enough (the step itself then waits for its element).
func probeScript(login *probeTarget, consent []probeTarget) string {
	lj, _ := json.Marshal(login)
	if consent == nil {
		consent = []probeTarget{}
	}
	cj, _ := json.Marshal(consent)
	return fmt.Sprintf(`(() => {
%s
  const nav = performance.getEntriesByType('navigation')[0];
  const status = (nav && nav.responseStatus) || 0;
  return {
    url: location.href,
    ready: document.readyState,
    prev: !!window.%s,
    loginDoc: !!window.%s,
    detectDoc: !!window.%s,
    status: status,
    login: vis(%s),
    consent: %s.map(vis),
    bad: bad,
    text: (status >= 400 && document.body) ? document.body.innerText.slice(0, %d) : '',
  };
})()`, visJS, markPrev, markLoginDoc, markDetectDoc, lj, cj, bodyExcerpt+100)
}

// visJS defines, inside a script's function body, vis(target): whether a
// probeTarget shows (see probeScript), and bad: the selectors the browser
// rejected as invalid CSS.
var visJS = `  const bad = [];
  const findText = ` + findTextJS + `;
  const q = (root, s) => {
    try { return root.querySelector(s); } catch (e) { bad.push(s); return null; }
  };
  const shown = (el) => {
    if (!el || el.getClientRects().length === 0) return false;
    const st = (el.ownerDocument.defaultView || window).getComputedStyle(el);
    return st.visibility !== 'hidden' && st.display !== 'none';
  };
  const vis = (t) => {
    if (!t) return false;
    let root = document;
    if (t.frame) {
      const f = q(document, t.frame);
      if (!shown(f)) return false;
      let d = null;
      try { d = f.contentDocument; } catch (e) {}
      if (!d) return true;
      root = d;
    }
    if (t.text) return !!findText(root, t.text);
    return shown(q(root, t.sel));
  };`

// movedOnScript builds the expression that tells an optional step to give
// up early: its own element does not show but one of later does (a later
// login step's or a consent step's), so the page it was for is not coming.
func movedOnScript(own probeTarget, later []probeTarget) string {
	oj, _ := json.Marshal(own)
	lj, _ := json.Marshal(later)
	return fmt.Sprintf("(() => {\n%s\n  return !vis(%s) && %s.some((t) => vis(t));\n})()", visJS, oj, lj)
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
