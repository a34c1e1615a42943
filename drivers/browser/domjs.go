package browser

import (
	"context"
	"errors"
	"fmt"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// findTextJS is a function (root, text) that returns the visible clickable
// element of root (a document) whose text is text, case and white space
// aside, else the one with the shortest text that contains it (the
// innermost one on a tie), else null. The probe and click_text share it.
const findTextJS = `function (root, text) {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim().toLowerCase();
  const want = norm(text);
  if (!want || !root || !root.querySelectorAll) return null;
  const shown = (el) => {
    if (el.getClientRects().length === 0) return false;
    const st = (el.ownerDocument.defaultView || window).getComputedStyle(el);
    return st.visibility !== 'hidden' && st.display !== 'none';
  };
  const label = (el) => norm(el.tagName === 'INPUT' ? (el.value || el.getAttribute('aria-label')) : (el.innerText || el.getAttribute('aria-label')));
  const candidates = root.querySelectorAll('button, a, input[type=submit], input[type=button], [role=button], [role=link], [role=option], [role=menuitem], [role=radio], [role=tab], li, label, [onclick], [tabindex]');
  let exact = null, near = null, nearLen = Infinity;
  for (const el of candidates) {
    const t = label(el);
    if (!t || !t.includes(want) || !shown(el)) continue;
    if (t === want) {
      if (!exact || exact.contains(el)) exact = el;
    } else if (t.length < nearLen || (t.length === nearLen && near && near.contains(el))) {
      near = el;
      nearLen = t.length;
    }
  }
  return exact || near;
}`

// selectJS chooses the option of a <select> (this) whose value, else
// whose text, is v, and fires input and change as a user's choice would. It
// returns "" when done, "no-option" when no option matches (yet), or
// "not-select".
const selectJS = `function (v) {
  if (this.tagName !== 'SELECT') return 'not-select';
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const opts = Array.prototype.slice.call(this.options);
  let i = opts.findIndex((o) => o.value === v);
  if (i < 0) i = opts.findIndex((o) => norm(o.text) === norm(v));
  if (i < 0) return 'no-option';
  this.focus();
  const proto = Object.getPrototypeOf(this);
  const desc = Object.getOwnPropertyDescriptor(proto, 'value') || Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value');
  desc.set.call(this, opts[i].value);
  this.dispatchEvent(new Event('input', {bubbles: true}));
  this.dispatchEvent(new Event('change', {bubbles: true}));
  return '';
}`

// clearJS empties an input (this) before typing, so autofill or an earlier
// value does not stay.
const clearJS = `function () { if ('value' in this) { this.value = ''; } }`

// errPermanent marks step failures that waiting longer cannot fix.
var errPermanent = errors.New("permanent")

// permanentError is a step failure that is not retried.
type permanentError struct{ msg string }

func (e *permanentError) Error() string        { return e.msg }
func (e *permanentError) Is(target error) bool { return target == errPermanent }

// callOnNode calls the JavaScript function fn with the node n as this and
// decodes its result into T.
func callOnNode[T any](ctx context.Context, t *chromedp.Target, n cdp.NodeID, fn string, args ...any) (T, error) {
	var zero T
	r, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{NodeID: n})
	if err != nil {
		return zero, err
	}
	defer func() {
		_, _ = cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: r.Object.ObjectID})
	}()
	return chromedp.CallFunctionOn[T](fn, func(p *runtime.CallFunctionOnParams) {
		p.ObjectID = r.Object.ObjectID
	}, args...)(ctx, t)
}

// byText is a query option that finds the element findTextJS picks for
// text in the document the query starts at (the page's, or an iframe's).
func byText(text string) chromedp.QueryOption {
	return chromedp.ByFunc(func(ctx context.Context, t *chromedp.Target, root *chromedp.Node) ([]cdp.NodeID, error) {
		r, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{NodeID: root.NodeID})
		if err != nil {
			return nil, err
		}
		defer func() {
			_, _ = cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: r.Object.ObjectID})
		}()
		obj, err := chromedp.CallFunctionOn[*runtime.RemoteObject](
			fmt.Sprintf("function (text) { return (%s)(this, text); }", findTextJS),
			func(p *runtime.CallFunctionOnParams) { p.ObjectID = r.Object.ObjectID }, text)(ctx, t)
		if err != nil {
			return nil, err
		}
		if obj == nil || obj.Subtype != runtime.RemoteObjectSubtypeNode || obj.ObjectID == "" {
			return []cdp.NodeID{}, nil
		}
		defer func() {
			_, _ = cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: obj.ObjectID})
		}()
		res, err := cdp.Call(ctx, t, dom.RequestNode, dom.RequestNodeParams{ObjectID: obj.ObjectID})
		if err != nil {
			return nil, err
		}
		if res.NodeID == 0 {
			return []cdp.NodeID{}, nil
		}
		return []cdp.NodeID{res.NodeID}, nil
	})
}
