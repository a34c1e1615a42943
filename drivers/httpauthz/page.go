package httpauthz

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// page is a server-rendered HTML page parsed for replaying profile steps
// on it: the document (which fill and select steps change, as typing into
// the page would) and the URL it was served from.
type page struct {
	url *url.URL
	doc *html.Node
}

// parsePage parses an HTML body served from u.
func parsePage(u *url.URL, body []byte) (*page, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse the page: %w", err)
	}
	return &page{url: u, doc: doc}, nil
}

// isHTML reports whether a Content-Type names an HTML document (a missing
// one is sniffed as HTML by browsers for a page with tags).
func isHTML(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if ct == "" {
		return bytes.Contains(bytes.ToLower(body), []byte("<html")) || bytes.Contains(bytes.ToLower(body), []byte("<form"))
	}
	return strings.Contains(ct, "text/html") || strings.Contains(ct, "application/xhtml")
}

// find returns the first element matched by sel that a user could see:
// not <input type=hidden>, not hidden by the hidden attribute or an inline
// display:none, not inside a <template>. Without a visible match it
// returns nil (the browser would wait for the element, which a script may
// be about to show: not a page for plain HTTP).
func (p *page) find(sel cascadia.Matcher) *html.Node {
	for _, n := range cascadia.QueryAll(p.doc, sel) {
		if shown(n) {
			return n
		}
	}
	return nil
}

// shown reports whether n and its ancestors are not hidden by markup.
func shown(n *html.Node) bool {
	if n.DataAtom == atom.Input && strings.EqualFold(attr(n, "type"), "hidden") {
		return false
	}
	for a := n; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		if a.DataAtom == atom.Template || hasAttr(a, "hidden") {
			return false
		}
		style := strings.ToLower(strings.ReplaceAll(attr(a, "style"), " ", ""))
		if strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden") {
			return false
		}
	}
	return true
}

// scripted reports whether the page has a script: an element a selector
// misses may then be built by it later.
func (p *page) scripted() bool {
	return cascadia.Query(p.doc, cascadia.MustCompile("script")) != nil
}

// attr is n's attribute key ("" when absent).
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// hasAttr reports whether n has the attribute key.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}

// setAttr sets (or adds) n's attribute key.
func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

// removeAttr removes n's attribute key.
func removeAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Namespace != "" || !strings.EqualFold(a.Key, key) {
			out = append(out, a)
		}
	}
	n.Attr = out
}

// text is n's text content.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// squash trims s and collapses its runs of white space, as an option's
// label is compared.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// setText replaces n's children by one text node (a <textarea>'s value).
func setText(n *html.Node, s string) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		c = next
	}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: s})
}

// baseURL is the URL relative links of the page resolve against: its
// <base href> when there is one, else the URL it came from.
func (p *page) baseURL() *url.URL {
	if b := cascadia.Query(p.doc, cascadia.MustCompile("base[href]")); b != nil {
		if u, err := p.url.Parse(strings.TrimSpace(attr(b, "href"))); err == nil {
			return u
		}
	}
	return p.url
}
