package loginpage

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// extraPages are served beside testdata: what only a browser sees right.
var extraPages = map[string]string{
	// the form is built by a script after load, as single-page widgets do
	"/script-built": `<!doctype html><html><head><title>Sign in</title></head><body><div id="root">Loading…</div>
<script>setTimeout(() => { document.getElementById('root').innerHTML =
 '<form id="f" action="/x" method="post"><label for="u">Email</label><input id="u" name="email" type="email" autocomplete="username">' +
 '<label for="p">Password</label><input id="p" name="pass" type="password"><button type="submit">Sign in</button></form>'; }, 10);</script></body></html>`,
	// the login form lives in an iframe
	"/framed": `<!doctype html><html><head><title>Portal</title></head><body><h1>Portal</h1>
<iframe id="login" src="/refidp-login.html" width="600" height="400"></iframe></body></html>`,
	// an old library's Array.prototype.toJSON (Prototype.js) must not spoil
	// the snapshot's JSON
	"/prototype": `<!doctype html><html><head><title>Old</title><script>Array.prototype.toJSON = function () { return JSON.stringify(this.slice()); };</script></head>
<body><form action="/l" method="post"><input name="user" autocomplete="username"><input name="pass" type="password"><input type="submit" value="Login"></form></body></html>`,
	// a login form inside an open shadow root (a web component)
	"/shadow": `<!doctype html><html><head><title>Component</title></head><body><login-box></login-box>
<script>customElements.define('login-box', class extends HTMLElement { connectedCallback() {
 this.attachShadow({mode: 'open'}).innerHTML = '<form><input name="user" autocomplete="username"><input name="pass" type="password"><button>Sign in</button></form>'; } });</script></body></html>`,
	// a thousand links and buttons before the form: both feeds cut alike
	"/portal": string(bigPage(1000)),
	// decoys hidden only by a stylesheet or by layout come first
	"/decoys": `<!doctype html><html><head><title>Sign in</title><style>
.gone{display:none} .ghost{visibility:hidden} .faded{opacity:0} .tiny{width:0;height:0;border:0;padding:0} .away{position:absolute;left:-9999px}
</style></head><body><form action="/login" method="post">
<input class="gone" id="d1" name="user_gone" type="text">
<input class="ghost" id="d2" name="user_ghost" type="text">
<div class="faded"><input id="d3" name="user_faded" type="text"></div>
<input class="tiny" id="d4" name="user_tiny" type="text">
<input class="away" id="d5" name="user_away" type="text">
<label for="real-user">User name</label><input id="real-user" name="username" type="text">
<input class="gone" id="d6" name="pw_gone" type="password">
<label for="real-pw">Password</label><input id="real-pw" name="password" type="password">
<button class="faded" id="d7" type="submit">Sign in</button>
<button id="real-submit" type="submit">Sign in</button>
</form></body></html>`,
}

// startChromium starts a headless Chromium with the flags drivers/browser
// uses, stopped in Cleanup; tests skip only when no Chromium is installed.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	exe := os.Getenv("PKCECHECK_CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if exe != "" {
			break
		}
		if p, err := exec.LookPath(name); err == nil {
			exe = p
		}
	}
	if exe == "" {
		t.Skip("no Chromium: set $PKCECHECK_CHROMIUM (.ci/setup installs chromium)")
	}
	home := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.UserDataDir(filepath.Join(home, "profile")),
		chromedp.NoInheritEnv, chromedp.Env("PATH="+os.Getenv("PATH"), "HOME="+home, "TMPDIR="+home),
		chromedp.DisableGPU, chromedp.Flag("disable-component-update", true), chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	quiet := func(string, ...any) {}
	ctx, cancelTab := chromedp.NewContext(alloc, chromedp.WithLogf(quiet), chromedp.WithErrorf(quiet))
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// the first call starts the browser: no timeout on it (it would stop
	// the browser), the allocator's own start-up limit applies
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium %s: %v", exe, err)
	}
	return ctx
}

// fixtureServer serves testdata and extraPages on 127.0.0.1.
func fixtureServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	for path, body := range extraPages {
		mux.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		})
	}
	mux.Handle("/", http.FileServer(http.Dir("testdata")))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// snapshot loads url in the tab and returns SnapshotJS's Page; inFrame,
// when set, evaluates it in that same-origin iframe's window instead.
func snapshot(t *testing.T, ctx context.Context, url, inFrame string, settle time.Duration) *Page {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	expr := SnapshotJS
	if inFrame != "" {
		src, _ := json.Marshal(SnapshotJS)
		expr = fmt.Sprintf(`document.querySelector(%q).contentWindow.eval(%s)`, inFrame, src)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.Sleep(settle)); err != nil {
		t.Fatalf("loading %s: %v", url, err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("snapshot of %s: %v", url, err)
	}
	p, err := FromJSON([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	p.Frame = inFrame
	return p
}

// browserMatch is what document.querySelectorAll(sel) finds in the tab:
// how many elements and the structural path of the first.
type browserMatch struct {
	Count int    `json:"count"`
	Path  string `json:"path"`
	Small bool   `json:"small"`
}

// queryAll runs each selector in the current page (inside frame when set).
func queryAll(t *testing.T, ctx context.Context, frame string, sels []string) []browserMatch {
	t.Helper()
	list, _ := json.Marshal(sels)
	doc := "document"
	if frame != "" {
		doc = fmt.Sprintf("document.querySelector(%q).contentDocument", frame)
	}
	expr := fmt.Sprintf(`(() => { const doc = %s;
  const path = (el) => { const s = []; for (let e = el; e && e.nodeType === 1; e = e.parentNode) {
    let same = 0, i = 0; for (const x of e.parentNode ? e.parentNode.children : [e]) { if (x.localName === e.localName) { same++; if (x === e) i = same; } }
    s.unshift(same > 1 ? e.localName + ':nth-of-type(' + i + ')' : e.localName); } return s.join(' > '); };
  return %s.map((sel) => { const m = doc.querySelectorAll(sel); const r = m[0] ? m[0].getBoundingClientRect() : null;
    return {count: m.length, path: m[0] ? path(m[0]) : '', small: !!r && (r.width < 10 || r.height < 10)}; }); })()`, doc, list)
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]browserMatch](expr))
	if err != nil {
		t.Fatalf("querySelectorAll: %v", err)
	}
	return out
}

// TestSnapshotAgreesWithHTML loads every fixture in Chromium: the snapshot
// has the same controls, roles and selectors as FromHTML, Detect plans the
// same steps from both, and every selector matches exactly its element in
// Chromium too.
func TestSnapshotAgreesWithHTML(t *testing.T) {
	ctx := startChromium(t)
	srv := fixtureServer(t)
	for _, name := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			fromHTML, _ := loadFixture(t, name)
			live := snapshot(t, ctx, srv.URL+"/"+name, "", 0)
			if len(live.Controls) != len(fromHTML.Controls) {
				t.Fatalf("snapshot has %d controls, FromHTML %d", len(live.Controls), len(fromHTML.Controls))
			}
			var sels []string
			for i := range live.Controls {
				sel, _ := live.Selector(i)
				sels = append(sels, sel)
			}
			matches := queryAll(t, ctx, "", sels)
			for i := range live.Controls {
				a, b := live.Controls[i], fromHTML.Controls[i]
				if a.Visible != b.Visible && !matches[i].Small {
					t.Errorf("control %d (%s): visible %v in Chromium, %v from HTML", i, a.Path, a.Visible, b.Visible)
				}
				a.Visible, b.Visible = false, false
				a.Value, b.Value = "", "" // live values (a select's, a typed field's) may differ
				if !reflect.DeepEqual(a, b) {
					t.Errorf("control %d differs:\n Chromium %+v\n     HTML %+v", i, a, b)
				}
				if want, _ := fromHTML.Selector(i); sels[i] != want {
					t.Errorf("control %d: selector %q in Chromium, %q from HTML", i, sels[i], want)
				}
				if m := matches[i]; m.Count != 1 || m.Path != a.Path {
					t.Errorf("selector %q matches %d elements in Chromium, first %s; want 1, %s", sels[i], m.Count, m.Path, a.Path)
				}
			}
			if !reflect.DeepEqual(live.Messages, fromHTML.Messages) {
				t.Errorf("messages %q in Chromium, %q from HTML", live.Messages, fromHTML.Messages)
			}
			if live.Title != fromHTML.Title || len(live.Forms) != len(fromHTML.Forms) {
				t.Errorf("title %q, %d forms in Chromium; %q, %d from HTML", live.Title, len(live.Forms), fromHTML.Title, len(fromHTML.Forms))
			}
			c := Creds{Username: "u", Password: "p", TOTPSecret: "s", Scopes: []string{"openid"}}
			p1, err1 := Detect(live, c)
			p2, err2 := Detect(fromHTML, c)
			if fmt.Sprint(planSteps(p1), err1 != nil) != fmt.Sprint(planSteps(p2), err2 != nil) {
				t.Errorf("Detect in Chromium: %v %v; from HTML: %v %v", planSteps(p1), err1, planSteps(p2), err2)
			}
		})
	}
}

func planSteps(p Plan) []string {
	out := []string{string(p.Kind)}
	for _, a := range p.Actions {
		out = append(out, a.Step.Kind()+" "+a.Step.Selector())
	}
	return out
}

// TestSnapshotWhereOnlyLayoutKnows: a script-built form, a form in an
// iframe, and decoys hidden by a stylesheet or by layout.
func TestSnapshotWhereOnlyLayoutKnows(t *testing.T) {
	ctx := startChromium(t)
	srv := fixtureServer(t)
	creds := Creds{Username: "u", Password: "p"}

	t.Run("script-built", func(t *testing.T) {
		p := snapshot(t, ctx, srv.URL+"/script-built", "", 300*time.Millisecond)
		plan, err := Detect(p, creds)
		if err != nil || plan.Kind != KindLogin || strings.Join(planSteps(plan), ",") != "login,fill #u,fill #p,click button" {
			t.Errorf("Detect = %v, %v", planSteps(plan), err)
		}
		static, _ := FromHTML(nil, []byte(extraPages["/script-built"]))
		if _, err := Detect(static, creds); err == nil {
			t.Error("the HTML before the script ran has a login form?")
		}
	})

	t.Run("iframe", func(t *testing.T) {
		top := snapshot(t, ctx, srv.URL+"/framed", "", 0)
		if !reflect.DeepEqual(top.Frames, []string{"iframe#login"}) {
			t.Fatalf("frames %q", top.Frames)
		}
		if _, err := Detect(top, creds); err == nil {
			t.Error("the top document has a login form?")
		}
		inner := snapshot(t, ctx, srv.URL+"/framed", "iframe#login", 300*time.Millisecond)
		plan, err := Detect(inner, creds)
		if err != nil || plan.Kind != KindLogin {
			t.Fatalf("Detect in the frame = %v, %v", planSteps(plan), err)
		}
		var sels []string
		for _, a := range plan.Actions {
			if a.Step.Frame != "iframe#login" {
				t.Errorf("step %s has frame %q", a.Step.Selector(), a.Step.Frame)
			}
			sels = append(sels, a.Step.Selector())
		}
		for i, m := range queryAll(t, ctx, "iframe#login", sels) {
			if m.Count != 1 {
				t.Errorf("%s matches %d elements in the frame", sels[i], m.Count)
			}
		}
	})

	t.Run("prototype.js", func(t *testing.T) {
		p := snapshot(t, ctx, srv.URL+"/prototype", "", 0)
		plan, err := Detect(p, creds)
		if err != nil || plan.Kind != KindLogin || len(p.Forms) != 1 {
			t.Errorf("Detect = %v, %v (forms %v)", planSteps(plan), err, p.Forms)
		}
	})

	t.Run("shadow root", func(t *testing.T) {
		p := snapshot(t, ctx, srv.URL+"/shadow", "", 100*time.Millisecond)
		if len(p.Controls) != 3 {
			t.Fatalf("%d controls, want the 3 in the shadow root", len(p.Controls))
		}
		for _, c := range p.Controls {
			if !c.Shadow || !c.Visible || c.Usable() {
				t.Errorf("%s: shadow %v visible %v usable %v", c.Path, c.Shadow, c.Visible, c.Usable())
			}
		}
		if _, err := Detect(p, creds); err == nil || !strings.Contains(err.Error(), "shadow root") {
			t.Errorf("Detect = %v, want a NotFound naming the shadow root", err)
		}
		var b strings.Builder
		p.Listing(&b)
		if !strings.Contains(b.String(), "in a shadow root") {
			t.Errorf("listing:\n%s", b.String())
		}
	})

	t.Run("bounds", func(t *testing.T) {
		p := snapshot(t, ctx, srv.URL+"/portal", "", 0)
		static, _ := FromHTML(nil, []byte(extraPages["/portal"]))
		if len(p.Controls) != len(static.Controls) || p.Controls[len(p.Controls)-1].Path != static.Controls[len(static.Controls)-1].Path {
			t.Errorf("%d controls in Chromium, %d from HTML", len(p.Controls), len(static.Controls))
		}
	})

	t.Run("decoys", func(t *testing.T) {
		p := snapshot(t, ctx, srv.URL+"/decoys", "", 0)
		for _, c := range p.Controls {
			if want := strings.HasPrefix(c.ID, "real-"); c.Visible != want {
				t.Errorf("%s: visible %v, want %v", c.ID, c.Visible, want)
			}
		}
		plan, err := Detect(p, creds)
		if err != nil || strings.Join(planSteps(plan), ",") != "login,fill #real-user,fill #real-pw,click #real-submit" {
			t.Errorf("Detect = %v, %v", planSteps(plan), err)
		}
	})
}
