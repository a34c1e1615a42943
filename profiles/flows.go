package profiles

import (
	"fmt"
	"net/url"
	"slices"
	"time"

	"gopkg.in/yaml.v3"
)

// Response modes a profile may offer besides query (OAuth 2.0 Form Post
// Response Mode; OAuth 2.0 Multiple Response Type Encoding Practices).
const (
	ResponseModeFormPost = "form_post"
	ResponseModeFragment = "fragment"
)

// DefaultMaxCodeAge is the longest code lifetime RFC 6749 §4.1.2
// recommends. FAPI 2.0 profiles set 60s.
const DefaultMaxCodeAge = 10 * time.Minute

// Flows are the optional flows a target offers beyond the authorization
// code with query responses (the `flows` key of a profile).
type Flows struct {
	// ResponseModes the public client may use besides query: form_post,
	// fragment (a fragment response is asked for with response_type
	// "code id_token" where the server offers that hybrid flow, else with
	// response_mode=fragment).
	ResponseModes []string
	// MaxCodeAge is the longest an unredeemed code may stay redeemable
	// (rfc6749.code-lifetime, off by default); 0 means DefaultMaxCodeAge.
	MaxCodeAge time.Duration
}

// CodeAge is MaxCodeAge, or DefaultMaxCodeAge when unset.
func (f Flows) CodeAge() time.Duration {
	if f.MaxCodeAge > 0 {
		return f.MaxCodeAge
	}
	return DefaultMaxCodeAge
}

// Has reports whether the profile offers response mode m.
func (f Flows) Has(m string) bool { return slices.Contains(f.ResponseModes, m) }

// flows decodes the optional flows section.
func (d *decoder) flows(top *object) Flows {
	var out Flows
	f, ok := top.fields["flows"]
	if !ok {
		return out
	}
	o := d.mapping("flows", f.key, f.val, "response_modes", "max_code_age")
	if o == nil {
		return out
	}
	if s := d.scalar(o, "max_code_age"); s.set() {
		name := o.name("max_code_age")
		v, err := time.ParseDuration(s.value)
		switch {
		case err != nil:
			d.errorf(s.node, "%s must be a duration with a unit such as 60s or 10m, not %s", name, s.show())
		case v < time.Second || v > time.Hour:
			d.errorf(s.node, "%s %s is out of range: use 1s to 1h", name, s.show())
		default:
			out.MaxCodeAge = v
		}
	}
	if mf, ok := o.fields["response_modes"]; ok {
		out.ResponseModes = d.responseModes(o.name("response_modes"), resolve(mf.val))
	}
	return out
}

// responseModes decodes the list of response modes.
func (d *decoder) responseModes(name string, n *yaml.Node) []string {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list (e.g. [form_post, fragment]), not %s", name, describe(n))
		return nil
	}
	var out []string
	for i, item := range n.Content {
		s := d.scalarNode(fmt.Sprintf("%s[%d]", name, i), item)
		if !s.ok {
			continue
		}
		switch s.value {
		case ResponseModeFormPost, ResponseModeFragment:
			if slices.Contains(out, s.value) {
				d.errorf(s.node, "%s[%d]: %s is listed twice", name, i, s.value)
				continue
			}
			out = append(out, s.value)
		default:
			d.errorf(s.node, "%s[%d]: unknown response mode %s; allowed values: %s, %s (query is always used)",
				name, i, s.show(), ResponseModeFormPost, ResponseModeFragment)
		}
	}
	return out
}

// queryRedirectProblem says what is wrong with a client's
// redirect_uri_with_query, "" when nothing.
func queryRedirectProblem(raw, redirect string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "is not a valid URL"
	}
	if u.RawQuery == "" {
		return "must have a query (e.g. ?from=pkcecheck): it is the redirect URI whose own parameters the redirects must keep"
	}
	if r, err := url.Parse(redirect); err == nil && (r.Scheme != u.Scheme || r.Host != u.Host || r.Path != u.Path) {
		return "must have the scheme, host and path of redirect_uri (pkcecheck catches redirects there)"
	}
	return ""
}
