package loginpage

import (
	"fmt"
	"io"
	"net/url"
	"strings"
)

// Listing writes what the page offers, for a user whose login is stuck:
// the URL (per-request and secret query values masked), title, messages,
// each visible form, then each visible input and button or link with a
// unique selector ready to paste into a profile step. It never prints the
// value of a password, hidden or text field.
func (p *Page) Listing(w io.Writer) {
	where := "page"
	if p.Frame != "" {
		where = "frame " + p.Frame + ":"
	}
	fmt.Fprintf(w, "%s %s\n  title: %q\n", where, redactURL(p.URL), p.Title)
	for _, m := range p.Messages {
		fmt.Fprintf(w, "  message: %q\n", m)
	}
	for i, f := range p.Forms {
		if f.Visible {
			fmt.Fprintf(w, "  form %s (method %s, action %q)\n", p.formSelector(i), orDefault(f.Method, "get"), redactURL(f.Action))
		}
	}
	inputs, buttons := 0, 0
	for i := range p.Controls {
		c := &p.Controls[i]
		if !c.Visible {
			continue
		}
		sel, _ := p.Selector(i)
		if c.Shadow {
			sel = "(in a shadow root: no CSS selector step reaches it)"
		}
		state := ""
		if !c.Enabled {
			state += " (disabled)"
		}
		if c.ReadOnly {
			state += " (readonly)"
		}
		switch {
		case isButton(c):
			buttons++
			fmt.Fprintf(w, "  %-8s %-40s text %q%s\n", buttonWord(c), sel, bound(collapse(c.Text+" "+c.AriaLabel), 80), state)
		case c.Tag == "input" || c.Tag == "select" || c.Tag == "textarea":
			inputs++
			fmt.Fprintf(w, "  %-8s %-40s %s%s\n", "input", sel, describeInput(c), state)
		}
	}
	if inputs+buttons == 0 {
		fmt.Fprintln(w, "  no visible inputs, buttons or links")
	}
	for _, f := range p.Frames {
		fmt.Fprintf(w, "  iframe   %s (its controls: a step with frame: %q)\n", f, f)
	}
}

func buttonWord(c *Control) string {
	if c.Tag == "a" || c.Role == "link" {
		return "link"
	}
	return "button"
}

// describeInput names an input's type, name, id, autocomplete and label or
// placeholder; the value only for boxes, radios and selects.
func describeInput(c *Control) string {
	typ := c.Type
	if c.Tag != "input" {
		typ = c.Tag
	}
	parts := []string{"type=" + typ}
	for _, kv := range [][2]string{{"name", c.Name}, {"id", c.ID}, {"autocomplete", c.Autocomplete}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+quote(kv[1]))
		}
	}
	switch {
	case c.Label != "":
		parts = append(parts, "label "+quote(bound(c.Label, 80)))
	case c.Placeholder != "":
		parts = append(parts, "placeholder "+quote(bound(c.Placeholder, 80)))
	case c.AriaLabel != "":
		parts = append(parts, "aria-label "+quote(bound(c.AriaLabel, 80)))
	}
	if (c.Type == "checkbox" || c.Type == "radio") && c.Value != "" {
		parts = append(parts, "value="+quote(c.Value))
	}
	if c.Checked {
		parts = append(parts, "checked")
	}
	return strings.Join(parts, " ")
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// keptParams are the query parameters whose values a listing shows: they
// describe the request, not a secret or a per-request value.
var keptParams = map[string]bool{
	"client_id": true, "response_type": true, "scope": true, "redirect_uri": true, "response_mode": true,
	"code_challenge_method": true, "prompt": true, "ui_locales": true, "kc_idp_hint": true, "tab_id": false,
}

// redactURL masks every query and fragment value of u except those in
// keptParams (code, state, nonce, code_challenge, tokens, session and
// transaction handles all become "***").
func redactURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			return u[:i] + "?***"
		}
		return u
	}
	parsed.RawQuery = maskValues(parsed.RawQuery)
	if strings.Contains(parsed.Fragment, "=") {
		parsed.Fragment = maskValues(parsed.Fragment)
		parsed.RawFragment = ""
	}
	return parsed.String()
}

func maskValues(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, kv := range parts {
		k, v, ok := strings.Cut(kv, "=")
		name, _ := url.QueryUnescape(k)
		if ok && v != "" && !keptParams[name] {
			parts[i] = k + "=***"
		}
	}
	return strings.Join(parts, "&")
}
