package loginpage

import (
	"regexp"
	"slices"
	"strings"
)

// Selector is the most robust CSS selector that matches Controls[i] and no
// other element of the page (judged over Controls and IDs), valid for both
// document.querySelector and cascadia, and how it was made. Ranked as
// Playwright does: a test id ("data-testid", "data-se", ...), "id" (#id,
// generated ids skipped), "name" (with "name+type" or "name+value" when
// needed), "aria-label", "placeholder", "class" (a class of its own),
// "tag" (the only one), the form's selector plus "form+name", "form+type"
// or "form+tag", else the structural "path". Every selector but #id starts
// with the element's tag (and its role for role-made controls), so only
// controls can match it.
func (p *Page) Selector(i int) (sel, how string) {
	c := &p.Controls[i]
	base := c.Tag
	if !nativeControl(c.Tag) {
		base += "[role=" + quote(c.Role) + "]"
	}
	same := func(pred func(d *Control) bool) bool { return p.unique(i, pred) }
	for _, a := range testIDAttrs {
		if v := c.Attr(a); v != "" && same(func(d *Control) bool { return d.Attr(a) == v }) {
			return base + "[" + a + "=" + quote(v) + "]", a
		}
	}
	if c.ID != "" && !generatedID(c.ID) && p.idUnique(i) {
		if s := idSelector(c.ID); strings.HasPrefix(s, "#") {
			return s, "id"
		} else {
			return base + s, "id"
		}
	}
	explicitType := c.Tag == "input" && c.Type != "text" || c.Tag == "button" && c.Type != "submit"
	if c.Name != "" {
		if same(func(d *Control) bool { return d.Name == c.Name }) {
			return base + "[name=" + quote(c.Name) + "]", "name"
		}
		if explicitType && same(func(d *Control) bool { return d.Name == c.Name && d.Type == c.Type }) {
			return base + "[name=" + quote(c.Name) + "][type=" + quote(c.Type) + "]", "name+type"
		}
		if c.Value != "" && valueIsAttribute(c) && same(func(d *Control) bool { return d.Name == c.Name && d.Value == c.Value }) {
			return base + "[name=" + quote(c.Name) + "][value=" + quote(c.Value) + "]", "name+value"
		}
	}
	if c.AriaLabel != "" && same(func(d *Control) bool { return d.AriaLabel == c.AriaLabel }) {
		return base + "[aria-label=" + quote(c.AriaLabel) + "]", "aria-label"
	}
	if c.Placeholder != "" && same(func(d *Control) bool { return d.Placeholder == c.Placeholder }) {
		return base + "[placeholder=" + quote(c.Placeholder) + "]", "placeholder"
	}
	for _, cls := range strings.Fields(c.Class) {
		if plainIdent.MatchString(cls) && !generatedID(cls) && same(func(d *Control) bool { return hasClass(d, cls) }) {
			return base + "." + cls, "class"
		}
	}
	if same(func(*Control) bool { return true }) {
		return base, "tag"
	}
	if s, how := p.formScoped(i, base, explicitType); s != "" {
		return s, how
	}
	return c.Path, "path"
}

func hasClass(c *Control, cls string) bool {
	for _, f := range strings.Fields(c.Class) {
		if f == cls {
			return true
		}
	}
	return false
}

// formScoped is a selector inside the control's form (when the form
// encloses it): the form's own selector, then name, type or the tag alone.
func (p *Page) formScoped(i int, base string, explicitType bool) (string, string) {
	c := &p.Controls[i]
	if c.Form < 0 || c.Form >= len(p.Forms) || c.Shadow {
		return "", ""
	}
	f := p.Forms[c.Form]
	if !strings.HasPrefix(c.Path, f.Path+" > ") {
		return "", ""
	}
	fsel := p.formSelector(c.Form)
	in := func(pred func(d *Control) bool) bool {
		return p.unique(i, func(d *Control) bool { return strings.HasPrefix(d.Path, f.Path+" > ") && pred(d) })
	}
	switch {
	case c.Name != "" && in(func(d *Control) bool { return d.Name == c.Name }):
		return fsel + " " + base + "[name=" + quote(c.Name) + "]", "form+name"
	case explicitType && in(func(d *Control) bool { return d.Type == c.Type }):
		return fsel + " " + base + "[type=" + quote(c.Type) + "]", "form+type"
	case in(func(*Control) bool { return true }):
		return fsel + " " + base, "form+tag"
	}
	return "", ""
}

// formSelector is a unique selector for Forms[i].
func (p *Page) formSelector(i int) string {
	f := p.Forms[i]
	uniqueForm := func(pred func(g Form) bool) bool {
		n := 0
		for _, g := range p.Forms {
			if pred(g) {
				n++
			}
		}
		return n == 1
	}
	if f.ID != "" && !generatedID(f.ID) && p.IDs[f.ID] == 1 {
		return "form" + idSelector(f.ID)
	}
	for _, a := range testIDAttrs {
		if v := f.Attrs[a]; v != "" && uniqueForm(func(g Form) bool { return g.Attrs[a] == v }) {
			return "form[" + a + "=" + quote(v) + "]"
		}
	}
	if f.Name != "" && uniqueForm(func(g Form) bool { return g.Name == f.Name }) {
		return "form[name=" + quote(f.Name) + "]"
	}
	for _, cls := range strings.Fields(f.Class) {
		if plainIdent.MatchString(cls) && !generatedID(cls) &&
			uniqueForm(func(g Form) bool { return slices.Contains(strings.Fields(g.Class), cls) }) {
			return "form." + cls
		}
	}
	return f.Path
}

// unique reports whether Controls[i] is the only control of its tag (and
// role, for role-made controls) that pred accepts. Controls in shadow roots
// count apart: a document selector does not reach them.
func (p *Page) unique(i int, pred func(d *Control) bool) bool {
	c := &p.Controls[i]
	if !pred(c) {
		return false
	}
	for j := range p.Controls {
		d := &p.Controls[j]
		if j != i && d.Tag == c.Tag && d.Shadow == c.Shadow && (nativeControl(c.Tag) || d.Role == c.Role) && pred(d) {
			return false
		}
	}
	return true
}

// idUnique reports whether the control's id names one element only.
func (p *Page) idUnique(i int) bool {
	c := &p.Controls[i]
	if p.IDs != nil {
		return p.IDs[c.ID] == 1
	}
	for j := range p.Controls {
		if j != i && p.Controls[j].ID == c.ID {
			return false
		}
	}
	return true
}

// nativeControl reports whether every element with this tag is a control
// (the others are controls by their role).
func nativeControl(tag string) bool {
	switch tag {
	case "input", "select", "textarea", "button", "a":
		return true
	}
	return false
}

// valueIsAttribute reports whether Value is the value attribute (buttons,
// submit inputs, checkboxes, radios), not what a user typed.
func valueIsAttribute(c *Control) bool {
	switch {
	case c.Tag == "button":
		return true
	case c.Tag == "input":
		switch c.Type {
		case "submit", "button", "reset", "checkbox", "radio", "image":
			return true
		}
	}
	return false
}

// testIDAttrs are the test-id attributes, most specific first.
var testIDAttrs = []string{"data-testid", "data-test-id", "data-test", "data-qa", "data-cy", "data-se", "data-type"}

// generatedIDs match ids that frameworks make up per render: React's :r1:,
// Ember's ember123, Okta Gen2's input28, ExtJS's ext-gen12, MUI's
// mui-12, long digit or hex runs, UUIDs.
var generatedIDs = []*regexp.Regexp{
	regexp.MustCompile(`:`),
	regexp.MustCompile(`^(ember|input|field|ext-gen|ext-comp|mui-|radix-|headlessui-|react-select-|downshift-|rc_|el-id-|j_id|yui_)[-_a-z]*\d+`),
	regexp.MustCompile(`\d{4,}`),
	regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}`),
	regexp.MustCompile(`(^|[^a-z])[0-9a-f]*[0-9][0-9a-f]*[a-f][0-9a-f]*$|(^|[^a-z])[0-9a-f]*[a-f][0-9a-f]*[0-9][0-9a-f]*$`),
}

// generatedID reports whether an id looks made up per render.
func generatedID(id string) bool {
	low := strings.ToLower(id)
	for _, re := range generatedIDs[:4] {
		if re.MatchString(low) {
			return true
		}
	}
	// a hex run of 6+ characters mixing digits and letters at the end
	m := generatedIDs[4].FindString(low)
	return len(strings.TrimLeft(m, "-_.")) >= 6
}
