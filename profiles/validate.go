package profiles

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Bounds on limits.
const (
	maxRequestsPerSecond = 1000
	maxTimeout           = 10 * time.Minute
	maxMaxRequests       = 1_000_000
)

// urlProblem says what is wrong with raw as the URL of an issuer (issuer
// true) or of an endpoint or redirect URI, or returns "" when it is fine:
// an absolute http or https URL with a host, no user info and no fragment;
// an issuer also has no query (RFC 8414 §2).
func urlProblem(raw string, issuer bool) string {
	if strings.ContainsAny(raw, " \t\r\n") {
		return "must not contain white space"
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "is not a valid URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "must be an absolute http or https URL"
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return "must be an absolute http or https URL with a host"
	case u.User != nil:
		return "must not contain user info (credentials do not belong in URLs)"
	case strings.Contains(raw, "#"):
		return "must not have a fragment"
	case issuer && (u.RawQuery != "" || u.ForceQuery):
		return "must not have a query"
	}
	return ""
}

// checkURL reports a bad URL value named name.
func (d *decoder) checkURL(name string, s scalar, issuer bool) {
	if !s.set() {
		return
	}
	if p := urlProblem(s.value, issuer); p != "" {
		shown := s.show()
		if strings.Contains(s.value, "@") && len(s.vars) == 0 {
			shown = "(not shown: it may hold credentials)"
		}
		d.errorf(s.node, "%s %s %s", name, shown, p)
	}
}

// oneOf returns the value of key in o, def when it is absent or empty, and
// reports a value outside allowed.
func (d *decoder) oneOf(o *object, key, def string, allowed ...string) string {
	s := d.scalar(o, key)
	if !s.set() {
		return def
	}
	for _, a := range allowed {
		if s.value == a {
			return a
		}
	}
	d.errorf(s.node, "%s: unknown value %s; allowed values: %s", o.name(key), s.show(), strings.Join(allowed, ", "))
	return def
}

// checkClientAuth applies the rules for a client's authentication method
// and returns the effective method: none without a secret and
// client_secret_basic with one by default; client_secret_* needs a secret;
// none takes no secret; a confidential client must authenticate.
func (d *decoder) checkClientAuth(o *object, confidential bool, secret, method scalar) string {
	name := o.name("auth_method")
	m := AuthNone
	if secret.set() {
		m = AuthClientSecretBasic
	}
	if method.set() {
		switch method.value {
		case AuthNone, AuthClientSecretBasic, AuthClientSecretPost:
			m = method.value
		default:
			d.errorf(method.node, "%s: unknown value %s; allowed values: %s, %s, %s",
				name, method.show(), AuthNone, AuthClientSecretBasic, AuthClientSecretPost)
			return m
		}
	}
	switch {
	case confidential && m == AuthNone && method.set():
		d.errorf(method.node, "%s must not be none: a confidential client authenticates (use %s or %s with a secret)",
			name, AuthClientSecretBasic, AuthClientSecretPost)
	case confidential && !secret.set():
		d.errorf(o.pos, "%s is required: a confidential client authenticates with a secret", o.name("secret"))
	case m != AuthNone && !secret.set():
		d.errorf(method.node, "%s %s needs a secret (%s)", name, m, o.name("secret"))
	case m == AuthNone && secret.set():
		d.errorf(method.node, "%s is none but a secret is set; remove the secret or use %s or %s",
			name, AuthClientSecretBasic, AuthClientSecretPost)
	}
	return m
}

// scopeProblem says what is wrong with one scope token (RFC 6749 §3.3:
// 1*( %x21 / %x23-5B / %x5D-7E )), or returns "".
func scopeProblem(s string) string {
	if s == "" {
		return "is empty"
	}
	for _, c := range s {
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return fmt.Sprintf("contains %q, which a scope token cannot hold (list scopes one by one)", c)
		}
	}
	return ""
}

// checkRate reports a requests_per_second outside (0, maxRequestsPerSecond].
func (d *decoder) checkRate(name string, s scalar, v float64) {
	if !(v > 0 && v <= maxRequestsPerSecond) {
		d.errorf(s.node, "%s must be more than 0 and at most %d, got %s", name, maxRequestsPerSecond, s.show())
	}
}

// checkTimeout reports a timeout outside (0, maxTimeout].
func (d *decoder) checkTimeout(name string, s scalar, v time.Duration) {
	if v <= 0 || v > maxTimeout {
		d.errorf(s.node, "%s must be more than 0 and at most %s, got %s", name, "10m", s.show())
	}
}
