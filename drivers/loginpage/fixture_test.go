package loginpage

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// fixtureURL is where the fixtures pretend to come from.
var fixtureURL = &url.URL{Scheme: "http", Host: "127.0.0.1:8080", Path: "/login", RawQuery: "client_id=pkce-public&state=st-secret-1&code_challenge=ch-secret-2"}

// loadFixture reads testdata/name into a Page and the parsed document.
func loadFixture(t *testing.T, name string) (*Page, *html.Node) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := FromHTML(fixtureURL, body)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return p, doc
}

// checkSelector fails unless sel parses with cascadia and matches exactly
// the element of Controls[i] in doc.
func checkSelector(t *testing.T, p *Page, doc *html.Node, i int, sel string) {
	t.Helper()
	s, err := cascadia.ParseGroup(sel)
	if err != nil {
		t.Errorf("selector %q of control %d (%s) does not parse: %v", sel, i, p.Controls[i].Path, err)
		return
	}
	got := cascadia.QueryAll(doc, s)
	if len(got) != 1 {
		t.Errorf("selector %q of control %d (%s) matches %d elements, want 1", sel, i, p.Controls[i].Path, len(got))
		return
	}
	if path := nodePath(got[0]); path != p.Controls[i].Path {
		t.Errorf("selector %q matches %s, want control %d at %s", sel, path, i, p.Controls[i].Path)
	}
}

// fixtures lists testdata's HTML files.
func fixtures(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

// TestEverySelectorIsUniqueAndRight checks Selector for every control of
// every fixture against cascadia.
func TestEverySelectorIsUniqueAndRight(t *testing.T) {
	for _, name := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			p, doc := loadFixture(t, name)
			if len(p.Controls) == 0 {
				t.Fatal("no controls")
			}
			for i := range p.Controls {
				sel, _ := p.Selector(i)
				checkSelector(t, p, doc, i, sel)
				checkSelector(t, p, doc, i, p.Controls[i].Path)
			}
		})
	}
}

// parseForTest parses body into a Page and its document.
func parseForTest(t *testing.T, body string) (*Page, *html.Node) {
	t.Helper()
	p, err := FromHTML(nil, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return p, doc
}
