package loginpage

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// FromHTML builds the Page of a document fetched over HTTP. Without layout,
// a control is visible unless it or an ancestor is type=hidden, has the
// hidden attribute, inline display:none or visibility:hidden, aria-hidden,
// or sits in <template> or <noscript>.
func FromHTML(pageURL *url.URL, body []byte) (*Page, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parsing the HTML of %s: %w", redactURL(urlString(pageURL)), err)
	}
	b := &htmlBuilder{p: &Page{URL: urlString(pageURL), IDs: map[string]int{}}, byID: map[string]*html.Node{},
		forms: map[*html.Node]int{}, labels: map[string]*html.Node{}}
	b.index(doc)
	b.walk(doc, "", false, -1)
	b.p.Text = bound(collapse(b.text.String()), MaxText)
	return b.p, nil
}

func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

// htmlBuilder carries what one FromHTML walk needs.
type htmlBuilder struct {
	p     *Page
	byID  map[string]*html.Node
	forms map[*html.Node]int
	// labels are the first label element for each for= value
	labels map[string]*html.Node
	text   strings.Builder
	// inMessage is the depth of message elements around the walk.
	inMessage bool
}

// index counts the ids and records the forms in document order, so that a
// form= attribute may name a form that comes later.
func (b *htmlBuilder) index(n *html.Node) {
	if n.Type == html.ElementNode {
		if id := attr(n, "id"); id != "" {
			b.p.IDs[id]++
			if _, dup := b.byID[id]; !dup {
				b.byID[id] = n
			}
		}
		if f := attr(n, "for"); n.Data == "label" && f != "" && b.labels[f] == nil {
			b.labels[f] = n
		}
		if n.Data == "form" {
			b.forms[n] = len(b.p.Forms)
			b.p.Forms = append(b.p.Forms, Form{
				ID: attr(n, "id"), Name: attr(n, "name"), Action: attr(n, "action"),
				Method: strings.ToLower(attr(n, "method")), Class: attr(n, "class"),
				Attrs: testAttrs(n), Visible: true, Path: nodePath(n),
			})
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.index(c)
	}
}

// walk visits n with hidden telling whether an ancestor hides it and form
// the index of the enclosing form.
func (b *htmlBuilder) walk(n *html.Node, _ string, hidden bool, form int) {
	switch n.Type {
	case html.TextNode:
		if !hidden {
			b.text.WriteString(n.Data)
			b.text.WriteByte(' ')
		}
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.walk(c, "", hidden, form)
		}
		return
	}
	tag := n.Data
	switch tag {
	case "head", "title":
		if t := findTag(n, "title"); t != nil && b.p.Title == "" {
			b.p.Title = collapse(textOf(t, false))
		}
		return
	case "script", "style", "template", "noscript":
		return
	}
	hidden = hidden || hiddenByMarkup(n)
	if i, ok := b.forms[n]; ok {
		form = i
		b.p.Forms[i].Visible = !hidden
	}
	if tag == "iframe" && !hidden {
		b.p.Frames = append(b.p.Frames, frameSelector(n, b.p.IDs))
	}
	if !hidden && !b.inMessage && isMessage(n) {
		if t := collapse(textOf(n, true)); t != "" && !contains(b.p.Messages, t) {
			b.p.Messages = append(b.p.Messages, bound(t, 300))
		}
		b.inMessage = true
		defer func() { b.inMessage = false }()
	}
	if isControl(n) && len(b.p.Controls) < MaxControls {
		b.p.Controls = append(b.p.Controls, b.control(n, hidden, form))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.walk(c, "", hidden, form)
	}
}

// control reads one control element.
func (b *htmlBuilder) control(n *html.Node, hidden bool, form int) Control {
	c := Control{
		Tag: n.Data, Type: strings.ToLower(attr(n, "type")), ID: attr(n, "id"), Name: attr(n, "name"),
		Autocomplete: strings.ToLower(strings.TrimSpace(attr(n, "autocomplete"))), Placeholder: attr(n, "placeholder"),
		AriaLabel: attr(n, "aria-label"), Value: attr(n, "value"), Title: attr(n, "title"),
		Class: attr(n, "class"), Role: strings.ToLower(attr(n, "role")), Attrs: testAttrs(n), Form: form,
		Enabled:  !hasAttr(n, "disabled") && !inDisabledFieldset(n),
		ReadOnly: (n.Data == "input" || n.Data == "textarea") && hasAttr(n, "readonly"),
		Checked:  hasAttr(n, "checked"), Path: nodePath(n),
	}
	c.Type = defaultType(c.Tag, c.Type)
	if f := attr(n, "form"); f != "" {
		c.Form = -1
		if fn := b.byID[f]; fn != nil {
			if i, ok := b.forms[fn]; ok {
				c.Form = i
			}
		}
	}
	if v := attr(n, "aria-controls"); v != "" {
		c.setAttr("aria-controls", v)
	}
	if v := attr(n, "href"); v != "" && n.Data == "a" {
		c.setAttr("href", v)
	}
	if inner := innerDataSe(n); inner != "" {
		c.setAttr("inner-data-se", inner)
	}
	if n.Parent != nil && n.Parent.Type == html.ElementNode {
		if v := attr(n.Parent, "data-se"); v != "" {
			c.setAttr("parent-data-se", v)
		}
	}
	if v := attr(n, "aria-checked"); v != "" && c.Role == "checkbox" {
		c.Checked = v == "true"
	}
	c.Visible = !hidden && c.Type != "hidden"
	c.Label = b.label(n)
	switch {
	case n.Data == "input" && (c.Type == "submit" || c.Type == "button" || c.Type == "reset"):
		c.Text = bound(collapse(c.Value), 200)
	case n.Data != "input" && n.Data != "select" && n.Data != "textarea":
		c.Text = bound(collapse(textOf(n, true)), 200)
	}
	if n.Data == "select" {
		c.Value = selectedOption(n)
	}
	if n.Data == "textarea" {
		c.Value = textOf(n, false)
	}
	return c
}

// label is the text of the control's labels: aria-labelledby, else
// label[for=id], else the enclosing label (without the control's own text).
func (b *htmlBuilder) label(n *html.Node) string {
	if ids := strings.Fields(attr(n, "aria-labelledby")); len(ids) > 0 {
		var parts []string
		for _, id := range ids {
			if l := b.byID[id]; l != nil {
				parts = append(parts, textOf(l, false))
			}
		}
		if s := collapse(strings.Join(parts, " ")); s != "" {
			return bound(s, 200)
		}
	}
	if id := attr(n, "id"); id != "" {
		if s := b.labelFor(id); s != "" {
			return s
		}
	}
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && a.Data == "label" {
			return bound(collapse(textOf(a, false)), 200)
		}
	}
	return ""
}

// labelFor is the text of the first label[for=id].
func (b *htmlBuilder) labelFor(id string) string {
	if l := b.labels[id]; l != nil {
		return bound(collapse(textOf(l, false)), 200)
	}
	return ""
}

// hiddenByMarkup reports whether the element hides itself and its subtree
// in a way HTML alone shows.
func hiddenByMarkup(n *html.Node) bool {
	if hasAttr(n, "hidden") || strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	if n.Data == "input" && strings.EqualFold(attr(n, "type"), "hidden") {
		return true
	}
	style := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", ""))
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

// isControl reports whether n is an element Page.Controls lists.
func isControl(n *html.Node) bool {
	switch n.Data {
	case "input", "select", "textarea", "button", "a":
		return true
	}
	return controlRoles[strings.ToLower(attr(n, "role"))]
}

// controlRoles are the ARIA roles that make any element a control.
var controlRoles = map[string]bool{"button": true, "link": true, "checkbox": true}

// defaultType is the type a browser gives an element without one.
func defaultType(tag, typ string) string {
	switch {
	case typ != "":
		return typ
	case tag == "input":
		return "text"
	case tag == "button":
		return "submit"
	}
	return ""
}

func inDisabledFieldset(n *html.Node) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && a.Data == "fieldset" && hasAttr(a, "disabled") {
			return true
		}
	}
	return false
}

// testAttrs reads the attributes selectors and detection use beyond the
// common ones.
func testAttrs(n *html.Node) map[string]string {
	var m map[string]string
	for _, a := range n.Attr {
		if testAttrNames[a.Key] {
			if m == nil {
				m = map[string]string{}
			}
			m[a.Key] = a.Val
		}
	}
	return m
}

// testAttrNames are the test-id and marker attributes read into Attrs.
var testAttrNames = map[string]bool{
	"data-se": true, "data-type": true, "data-testid": true, "data-test-id": true, "data-test": true,
	"data-qa": true, "data-cy": true, "data-action": true,
}

func (c *Control) setAttr(k, v string) {
	if c.Attrs == nil {
		c.Attrs = map[string]string{}
	}
	c.Attrs[k] = v
}

// innerDataSe lists the data-se values of n's descendants (Okta's
// authenticator buttons name their authenticator there), space-separated.
func innerDataSe(n *html.Node) string {
	var out []string
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(out) < 20; c = c.NextSibling {
			if c.Type == html.ElementNode {
				if v := attr(c, "data-se"); v != "" {
					out = append(out, v)
				}
				visit(c)
			}
		}
	}
	visit(n)
	return strings.Join(out, " ")
}

func selectedOption(n *html.Node) string {
	first := ""
	var found string
	var visit func(*html.Node) bool
	visit = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == "option" {
				v := attr(c, "value")
				if !hasAttr(c, "value") {
					v = collapse(textOf(c, false))
				}
				if first == "" {
					first = v
				}
				if hasAttr(c, "selected") {
					found = v
					return true
				}
			}
			if visit(c) {
				return true
			}
		}
		return false
	}
	if visit(n) {
		return found
	}
	return first
}

// textOf is the text of n's subtree; visible leaves out hidden subtrees.
func textOf(n *html.Node, visible bool) string {
	var sb strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				sb.WriteString(c.Data)
			case c.Type == html.ElementNode:
				if c.Data == "script" || c.Data == "style" || c.Data == "template" || (visible && hiddenByMarkup(c)) {
					continue
				}
				visit(c)
				if c.Data == "br" || c.Data == "p" || c.Data == "div" || c.Data == "li" {
					sb.WriteByte(' ')
				}
			}
		}
	}
	visit(n)
	return sb.String()
}

// nodePath is the structural selector of n: from html down, each step the
// tag with :nth-of-type when the tag has siblings.
func nodePath(n *html.Node) string {
	var steps []string
	for e := n; e != nil && e.Type == html.ElementNode; e = e.Parent {
		same, index := 0, 0
		for s := e.Parent.FirstChild; s != nil; s = s.NextSibling {
			if s.Type == html.ElementNode && s.Data == e.Data {
				same++
				if s == e {
					index = same
				}
			}
		}
		step := e.Data
		if same > 1 {
			step += ":nth-of-type(" + strconv.Itoa(index) + ")"
		}
		steps = append(steps, step)
	}
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	return strings.Join(steps, " > ")
}

// frameSelector is a unique selector for an iframe element.
func frameSelector(n *html.Node, ids map[string]int) string {
	if id := attr(n, "id"); id != "" && ids[id] == 1 {
		return "iframe" + idSelector(id)
	}
	if name := attr(n, "name"); name != "" {
		return `iframe[name=` + quote(name) + `]`
	}
	return nodePath(n)
}

// findTag is n itself or its first descendant with the tag, nil if none.
func findTag(n *html.Node, tag string) *html.Node {
	if n.Type == html.ElementNode && n.Data == tag {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findTag(c, tag); f != nil {
			return f
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}
