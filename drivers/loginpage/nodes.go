package loginpage

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

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

// isLinkNode reports whether n is a link (a, or role=link).
func isLinkNode(n *html.Node) bool {
	return n.Data == "a" || strings.EqualFold(attr(n, "role"), "link")
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
	"data-qa": true, "data-cy": true, "data-action": true, "maxlength": true, "inputmode": true,
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
func nodePath(n *html.Node) string { return pather{}.path(n) }

// pather makes structural selectors, counting each parent's children once.
type pather map[*html.Node]string

func (ps pather) path(n *html.Node) string {
	var steps []string
	for e := n; e != nil && e.Type == html.ElementNode; e = e.Parent {
		steps = append(steps, ps.step(e))
	}
	slices.Reverse(steps)
	return strings.Join(steps, " > ")
}

// step is e's own part of its path.
func (ps pather) step(e *html.Node) string {
	if s, ok := ps[e]; ok {
		return s
	}
	total := map[string]int{}
	for s := e.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			total[s.Data]++
		}
	}
	seen := map[string]int{}
	for s := e.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type != html.ElementNode {
			continue
		}
		seen[s.Data]++
		step := s.Data
		if total[s.Data] > 1 {
			step += ":nth-of-type(" + strconv.Itoa(seen[s.Data]) + ")"
		}
		ps[s] = step
	}
	return ps[e]
}

// frameSelector is a unique selector for an iframe element.
func frameSelector(n *html.Node, ids map[string]int, paths pather) string {
	if id := attr(n, "id"); id != "" && ids[id] == 1 {
		return "iframe" + idSelector(id)
	}
	if name := attr(n, "name"); name != "" {
		return `iframe[name=` + quote(name) + `]`
	}
	return paths.path(n)
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
