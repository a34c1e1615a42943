package httpauthz

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// submission is the request a click sends: a form submitted with its
// fields, or a link followed.
type submission struct {
	method      string
	url         *url.URL
	body        []byte
	contentType string
	from        *url.URL // the page the click was on (Origin, Referer); nil for a redirect
}

// needsBrowser is why a step cannot be replayed over plain HTTP: the
// browser answers the authorization instead.
type needsBrowser struct{ reason string }

func (e *needsBrowser) Error() string { return e.reason }

func browserOnly(format string, args ...any) error {
	return &needsBrowser{fmt.Sprintf(format, args...)}
}

// fill sets the value of an <input> or <textarea>, as typing would.
func fill(n *html.Node, value string) error {
	switch n.DataAtom {
	case atom.Textarea:
		setText(n, value)
		return nil
	case atom.Input:
		switch strings.ToLower(attr(n, "type")) {
		case "checkbox", "radio", "submit", "image", "button", "reset", "file":
			return browserOnly("the element is an <input type=%s>, not a text field", strings.ToLower(attr(n, "type")))
		}
		setAttr(n, "value", value)
		return nil
	}
	return browserOnly("the element is a <%s>, not an input (a script may make it editable)", n.Data)
}

// choose selects the option of a <select> whose value, or else whose text,
// is value.
func choose(n *html.Node, value string) error {
	if n.DataAtom != atom.Select {
		return browserOnly("the element is a <%s>, not a <select>", n.Data)
	}
	opts := descendants(n, atom.Option)
	pick := -1
	for i, o := range opts {
		if optionValue(o) == value {
			pick = i
			break
		}
	}
	if pick < 0 {
		for i, o := range opts {
			if squash(text(o)) == squash(value) {
				pick = i
				break
			}
		}
	}
	if pick < 0 {
		return browserOnly("the <select> has no option with that value or text (a script may add it)")
	}
	multiple := hasAttr(n, "multiple")
	for i, o := range opts {
		switch {
		case i == pick:
			setAttr(o, "selected", "")
		case !multiple:
			removeAttr(o, "selected")
		}
	}
	return nil
}

// click is what clicking n does without JavaScript: a submit button
// submits its form, a link is followed. Anything else needs a script.
func (p *page) click(n *html.Node) (*submission, error) {
	// The click lands on the innermost element; the button or link around
	// it (a <span> inside a <button>) is what acts.
	for a := n; a != nil && a.Type == html.ElementNode; a = a.Parent {
		switch {
		case isSubmitter(a):
			return p.submit(a)
		case a.DataAtom == atom.A && hasAttr(a, "href"):
			href := strings.TrimSpace(attr(a, "href"))
			if strings.HasPrefix(strings.ToLower(href), "javascript:") || strings.HasPrefix(href, "#") {
				return nil, browserOnly("the clicked link runs a script")
			}
			u, err := p.baseURL().Parse(href)
			if err != nil {
				return nil, browserOnly("the clicked link's href does not parse")
			}
			return &submission{method: http.MethodGet, url: u, from: p.url}, nil
		case a.DataAtom == atom.Button:
			return nil, browserOnly("the clicked <button type=%s> does not submit a form (a script handles it)", attr(a, "type"))
		}
	}
	return nil, browserOnly("the clicked <%s> is neither a submit button nor a link (a script handles it)", n.Data)
}

// isSubmitter reports whether n is a submit button.
func isSubmitter(n *html.Node) bool {
	t := strings.ToLower(strings.TrimSpace(attr(n, "type")))
	switch n.DataAtom {
	case atom.Button:
		return t == "" || t == "submit"
	case atom.Input:
		return t == "submit" || t == "image"
	}
	return false
}

// formOf is the form owner of a control: the form its form attribute
// names, else the nearest <form> around it.
func (p *page) formOf(n *html.Node) *html.Node {
	if id := attr(n, "form"); id != "" {
		for _, f := range descendants(p.doc, atom.Form) {
			if attr(f, "id") == id {
				return f
			}
		}
		return nil
	}
	for a := n.Parent; a != nil; a = a.Parent {
		if a.DataAtom == atom.Form {
			return a
		}
	}
	return nil
}

// submit builds the submission of submitter's form as a browser without
// scripts would send it (HTML "form submission algorithm").
func (p *page) submit(submitter *html.Node) (*submission, error) {
	form := p.formOf(submitter)
	if form == nil {
		return nil, browserOnly("the clicked button is in no <form> (a script handles it)")
	}
	if disabled(submitter) {
		return nil, browserOnly("the clicked button is disabled (a script enables it)")
	}
	method := strings.ToLower(firstSet(attr(submitter, "formmethod"), attr(form, "method"), "get"))
	if method != "get" && method != "post" {
		return nil, browserOnly("the form's method is %q", method)
	}
	action := strings.TrimSpace(firstSet(attr(submitter, "formaction"), attr(form, "action")))
	if strings.HasPrefix(strings.ToLower(action), "javascript:") {
		return nil, browserOnly("the form's action runs a script")
	}
	target, err := p.baseURL().Parse(action)
	if action == "" {
		target, err = p.url, nil
	}
	if err != nil {
		return nil, browserOnly("the form's action does not parse")
	}
	fields := p.entries(form, submitter)
	enctype := strings.ToLower(firstSet(attr(submitter, "formenctype"), attr(form, "enctype"), "application/x-www-form-urlencoded"))
	u := *target
	u.Fragment = ""
	if method == "get" {
		u.RawQuery = encode(fields)
		return &submission{method: http.MethodGet, url: &u, from: p.url}, nil
	}
	switch enctype {
	case "multipart/form-data":
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for _, f := range fields {
			if err := w.WriteField(f[0], f[1]); err != nil {
				return nil, fmt.Errorf("build the form body: %w", err)
			}
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("build the form body: %w", err)
		}
		return &submission{method: http.MethodPost, url: &u, body: buf.Bytes(), contentType: w.FormDataContentType(), from: p.url}, nil
	case "application/x-www-form-urlencoded":
		return &submission{method: http.MethodPost, url: &u, body: []byte(encode(fields)), contentType: "application/x-www-form-urlencoded", from: p.url}, nil
	}
	return nil, browserOnly("the form's enctype is %q", enctype)
}

// entries are the name-value pairs form submits when submitter is
// clicked, in tree order.
func (p *page) entries(form, submitter *html.Node) [][2]string {
	var out [][2]string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Datalist {
			return
		}
		if n.Type == html.ElementNode && isControl(n) && p.formOf(n) == form && !disabled(n) {
			out = append(out, controlEntries(n, n == submitter)...)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.doc)
	return out
}

// isControl reports whether n is a control that can submit a value.
func isControl(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Input, atom.Select, atom.Textarea, atom.Button:
		return true
	}
	return false
}

// controlEntries are the entries of one control.
func controlEntries(n *html.Node, isSubmitter bool) [][2]string {
	name := attr(n, "name")
	t := strings.ToLower(strings.TrimSpace(attr(n, "type")))
	switch n.DataAtom {
	case atom.Button:
		if !isSubmitter || name == "" {
			return nil
		}
		return [][2]string{{name, attr(n, "value")}}
	case atom.Select:
		if name == "" {
			return nil
		}
		return selectEntries(n, name)
	case atom.Textarea:
		if name == "" {
			return nil
		}
		return [][2]string{{name, strings.TrimPrefix(normalizeNewlines(text(n)), "\n")}}
	}
	// <input>
	switch t {
	case "image":
		if !isSubmitter {
			return nil
		}
		if name == "" {
			return [][2]string{{"x", "0"}, {"y", "0"}}
		}
		return [][2]string{{name + ".x", "0"}, {name + ".y", "0"}}
	case "submit", "reset", "button":
		if !isSubmitter || t != "submit" || name == "" {
			return nil
		}
		return [][2]string{{name, attr(n, "value")}}
	case "file":
		return nil
	case "checkbox", "radio":
		if name == "" || !hasAttr(n, "checked") {
			return nil
		}
		v := attr(n, "value")
		if !hasAttr(n, "value") {
			v = "on"
		}
		return [][2]string{{name, v}}
	}
	if name == "" {
		return nil
	}
	v := attr(n, "value")
	if t == "hidden" && strings.EqualFold(name, "_charset_") {
		v = "UTF-8"
	}
	if t != "hidden" {
		v = strings.NewReplacer("\r", "", "\n", "").Replace(v)
	}
	return [][2]string{{name, v}}
}

// selectEntries are the selected options of a <select>: those marked
// selected, or else (a single-choice list) the first enabled option.
func selectEntries(n *html.Node, name string) [][2]string {
	var out [][2]string
	opts := descendants(n, atom.Option)
	for _, o := range opts {
		if hasAttr(o, "selected") && !hasAttr(o, "disabled") {
			out = append(out, [2]string{name, optionValue(o)})
			if !hasAttr(n, "multiple") {
				break
			}
		}
	}
	if len(out) == 0 && !hasAttr(n, "multiple") {
		for _, o := range opts {
			if !hasAttr(o, "disabled") {
				return [][2]string{{name, optionValue(o)}}
			}
		}
	}
	return out
}

// optionValue is an <option>'s value attribute, else its text.
func optionValue(o *html.Node) string {
	if hasAttr(o, "value") {
		return attr(o, "value")
	}
	return squash(text(o))
}

// disabled reports whether a control is disabled, itself or by a disabled
// <fieldset> around it (outside that fieldset's first <legend>).
func disabled(n *html.Node) bool {
	if hasAttr(n, "disabled") {
		return true
	}
	child := n
	for a := n.Parent; a != nil; child, a = a, a.Parent {
		if a.DataAtom == atom.Fieldset && hasAttr(a, "disabled") {
			if child.DataAtom == atom.Legend && firstLegend(a) == child {
				continue
			}
			return true
		}
	}
	return false
}

func firstLegend(fieldset *html.Node) *html.Node {
	for c := fieldset.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Legend {
			return c
		}
	}
	return nil
}

// descendants lists the elements of kind a under n, in tree order.
func descendants(n *html.Node, a atom.Atom) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == a {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// encode is application/x-www-form-urlencoded, in the entries' order.
func encode(fields [][2]string) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f[1]))
	}
	return b.String()
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// firstSet is the first non-empty value.
func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
