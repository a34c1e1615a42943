package loginpage

import (
	"bytes"
	"fmt"
	"net/url"
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
		forms: map[*html.Node]int{}, labels: map[string]*html.Node{}, paths: pather{}}
	b.index(doc)
	b.walk(doc, false, -1)
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
	// inMessage is set inside a message element.
	inMessage bool
	// links counts the links seen, for MaxLinks.
	links int
	paths pather
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
				Attrs: testAttrs(n), Visible: true, Path: b.paths.path(n),
			})
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.index(c)
	}
}

// walk visits n with hidden telling whether an ancestor hides it and form
// the index of the enclosing form.
func (b *htmlBuilder) walk(n *html.Node, hidden bool, form int) {
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
			b.walk(c, hidden, form)
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
		b.p.Frames = append(b.p.Frames, frameSelector(n, b.p.IDs, b.paths))
	}
	if !hidden && !b.inMessage && isMessage(n) {
		if t := collapse(textOf(n, true)); t != "" && !contains(b.p.Messages, t) {
			b.p.Messages = append(b.p.Messages, bound(t, 300))
		}
		b.inMessage = true
		defer func() { b.inMessage = false }()
	}
	if isControl(n) && len(b.p.Controls) < MaxControls {
		if !isLinkNode(n) || b.links < MaxLinks {
			b.p.Controls = append(b.p.Controls, b.control(n, hidden, form))
		}
		if isLinkNode(n) {
			b.links++
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.walk(c, hidden, form)
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
		Checked:  hasAttr(n, "checked"), Path: b.paths.path(n),
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
	case n.Data == "input" && c.Type == "image":
		c.Text = bound(collapse(attr(n, "alt")), 200)
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
