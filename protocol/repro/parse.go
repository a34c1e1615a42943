package repro

import (
	"net/url"
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// request is one recorded request, parsed from its evidence text:
// "METHOD URL", header lines, a blank line and the form body.
type request struct {
	method, url string
	headers     [][2]string
	body        []bodyPair
	hasBody     bool
}

// bodyPair is one form parameter as recorded: its name decoded, its value
// still form-encoded (so that NUL, newlines and non-UTF-8 survive), and
// whether the value was masked.
type bodyPair struct {
	name, raw string
	masked    bool
}

// value is the pair's value decoded.
func (p bodyPair) value() string {
	v, err := url.QueryUnescape(p.raw)
	if err != nil {
		return p.raw
	}
	return v
}

// parseRequest reads a request's evidence text; false when it is not one
// ("POST <url>" alone, for instance, is a request without headers).
func parseRequest(text string) (request, bool) {
	head, body, hasBody := strings.Cut(text, "\n\n")
	lines := strings.Split(head, "\n")
	method, u, ok := strings.Cut(lines[0], " ")
	if !ok || method == "" || strings.ToUpper(method) != method || !strings.Contains(u, "://") {
		return request{}, false
	}
	r := request{method: method, url: u, hasBody: hasBody}
	for _, l := range lines[1:] {
		if name, v, ok := strings.Cut(l, ": "); ok {
			r.headers = append(r.headers, [2]string{name, v})
		}
	}
	if hasBody && body != "" {
		for _, part := range strings.Split(body, "&") {
			k, v, _ := strings.Cut(part, "=")
			name, err := url.QueryUnescape(k)
			if err != nil {
				name = k
			}
			r.body = append(r.body, bodyPair{name: name, raw: v, masked: v == redact.Mask || v == url.QueryEscape(redact.Mask)})
		}
	}
	return r, true
}

// param returns the body's decoded values of name.
func (r request) param(name string) []string {
	var out []string
	for _, p := range r.body {
		if p.name == name {
			out = append(out, p.value())
		}
	}
	return out
}

// query parses the URL's query into ordered parameters (masked values
// stay masked).
func query(u string) form.Params {
	_, q, _ := strings.Cut(u, "?")
	q, _, _ = strings.Cut(q, "#")
	var out form.Params
	if q == "" {
		return nil
	}
	for _, part := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			val = v
		}
		out = append(out, [2]string{name, val})
	}
	return out
}

// all returns every value of name in p.
func all(p form.Params, name string) []string {
	var out []string
	for _, kv := range p {
		if kv[0] == name {
			out = append(out, kv[1])
		}
	}
	return out
}

// answer is the first line of a recorded response, e.g. "HTTP 400 Bad
// Request", "redirect to ..." or "error page HTTP 400 at ...", with the
// error code and whether tokens were issued.
func answer(response string) string {
	first, rest, _ := strings.Cut(response, "\n")
	var notes []string
	if code := jsonMember(rest, "error"); code != "" {
		notes = append(notes, "error="+code)
	}
	if strings.Contains(rest, `"access_token"`) {
		notes = append(notes, "tokens issued")
	}
	if a := jsonLiteral(rest, "active"); a != "" {
		notes = append(notes, "active="+a)
	}
	if d := jsonMember(rest, "error_description"); d != "" && !descriptionOK(d) {
		notes = append(notes, "error_description outside RFC 6749 §5.2's characters")
	}
	if headers, _, _ := strings.Cut(rest, "\n\n"); strings.HasPrefix(first, "HTTP ") && strings.TrimSpace(headers) != "" {
		cc, challenge := "no Cache-Control", ""
		for _, l := range strings.Split(headers, "\n") {
			if v, ok := strings.CutPrefix(l, "Cache-Control: "); ok {
				cc = "Cache-Control: " + v
			}
			if v, ok := strings.CutPrefix(l, "WWW-Authenticate: "); ok {
				challenge = "WWW-Authenticate: " + v
			}
		}
		notes = append(notes, cc)
		if challenge != "" {
			notes = append(notes, challenge)
		} else if strings.Contains(first, " 401") {
			notes = append(notes, "no WWW-Authenticate")
		}
	}
	if strings.HasPrefix(first, "redirect to ") {
		q := query(strings.TrimPrefix(first, "redirect to "))
		if len(all(q, "code")) > 0 {
			notes = append(notes, "a code was issued")
		}
		if e := all(q, "error"); len(e) > 0 {
			notes = append(notes, "error="+e[0])
		}
	}
	if len(notes) > 0 {
		first += " (" + strings.Join(notes, "; ") + ")"
	}
	return first
}

// jsonMember finds the string value of a top-level-looking member in a
// JSON text, without parsing it (the evidence may be cut short).
func jsonMember(text, name string) string {
	i := strings.Index(text, `"`+name+`"`)
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(text[i+len(name)+2:], " \t\r\n")
	rest, ok := strings.CutPrefix(rest, ":")
	if !ok {
		return ""
	}
	rest = strings.TrimLeft(rest, " \t\r\n")
	rest, ok = strings.CutPrefix(rest, `"`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return v
}

// jsonLiteral finds the value of a member that is a literal (true, false,
// a number) in a JSON text, without parsing it.
func jsonLiteral(text, name string) string {
	i := strings.Index(text, `"`+name+`"`)
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(text[i+len(name)+2:], " \t\r\n")
	rest, ok := strings.CutPrefix(rest, ":")
	if !ok {
		return ""
	}
	rest = strings.TrimLeft(rest, " \t\r\n")
	end := strings.IndexAny(rest, ",} \t\r\n")
	if end <= 0 || rest[0] == '"' {
		return ""
	}
	return rest[:end]
}

// descriptionOK says whether an error_description, as it appears in a JSON
// text (escapes kept), keeps to RFC 6749 §5.2: %x20-21 / %x23-5B / %x5D-7E.
func descriptionOK(d string) bool {
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
