package profiles

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
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

// authMethodNames are the client authentication methods a profile can name.
var authMethodNames = []string{AuthNone, AuthClientSecretBasic, AuthClientSecretPost, AuthPrivateKeyJWT}

// checkClientAuth applies the rules for a client's authentication methods
// and returns the effective method and method list: the first of
// auth_methods, else none without a secret, client_secret_basic with one and
// private_key_jwt with only a key by default; client_secret_* needs a
// secret; private_key_jwt needs private_key_jwt.key_file; none takes no
// secret; a confidential client must authenticate.
func (d *decoder) checkClientAuth(o *object, confidential bool, secret, method scalar, list []scalar, jwt *PrivateKeyJWT) (string, []string) {
	name := o.name("auth_method")
	m := AuthNone
	switch {
	case len(list) > 0:
		m = list[0].value
	case secret.set():
		m = AuthClientSecretBasic
	case jwt != nil:
		m = AuthPrivateKeyJWT
	}
	if method.set() {
		if !slices.Contains(authMethodNames, method.value) {
			d.errorf(method.node, "%s: unknown value %s; allowed values: %s",
				name, method.show(), strings.Join(authMethodNames, ", "))
			return m, nil
		}
		m = method.value
	}
	at := method.node
	if !method.set() {
		at = o.pos
	}
	switch {
	case confidential && m == AuthNone && method.set():
		d.errorf(method.node, "%s must not be none: a confidential client authenticates (use %s or %s with a secret, or %s with a key)",
			name, AuthClientSecretBasic, AuthClientSecretPost, AuthPrivateKeyJWT)
	case confidential && !secret.set() && jwt == nil:
		d.errorf(o.pos, "%s is required: a confidential client authenticates with a secret", o.name("secret"))
	case m == AuthNone && secret.set():
		d.errorf(method.node, "%s is none but a secret is set; remove the secret or use %s or %s",
			name, AuthClientSecretBasic, AuthClientSecretPost)
	default:
		d.checkMethodNeeds(name, at, m, secret, jwt)
	}
	if len(list) == 0 {
		return m, nil
	}
	methods := []string{m}
	for i, s := range list {
		item := fmt.Sprintf("%s[%d]", o.name("auth_methods"), i)
		switch {
		case !slices.Contains(authMethodNames, s.value):
			d.errorf(s.node, "%s: unknown value %s; allowed values: %s", item, s.show(), strings.Join(authMethodNames, ", "))
			continue
		case s.value == AuthNone && (confidential || secret.set() || jwt != nil):
			d.errorf(s.node, "%s must not be none: this client authenticates", item)
			continue
		case slices.Contains(methods[1:], s.value) || (i > 0 && s.value == m):
			d.errorf(s.node, "%s: %s is listed twice", item, s.value)
			continue
		}
		d.checkMethodNeeds(item, s.node, s.value, secret, jwt)
		if s.value != m {
			methods = append(methods, s.value)
		}
	}
	if method.set() && !slices.ContainsFunc(list, func(s scalar) bool { return s.value == m }) {
		d.errorf(method.node, "%s %s is not in %s", name, m, o.name("auth_methods"))
	}
	return m, methods
}

// checkMethodNeeds reports a method whose credentials the client lacks.
func (d *decoder) checkMethodNeeds(name string, at *yaml.Node, m string, secret scalar, jwt *PrivateKeyJWT) {
	switch {
	case (m == AuthClientSecretBasic || m == AuthClientSecretPost) && !secret.set():
		d.errorf(at, "%s %s needs a secret (%s)", name, m, strings.TrimSuffix(strings.TrimSuffix(name, "_method"), "_methods")+"secret")
	case m == AuthPrivateKeyJWT && jwt == nil:
		d.errorf(at, "%s %s needs private_key_jwt: {key_file: ...}", name, m)
	}
}

// authMethods decodes a client's auth_methods list (nil when absent).
func (d *decoder) authMethods(o *object) []scalar {
	f, ok := o.fields["auth_methods"]
	if !ok {
		return nil
	}
	n := resolve(f.val)
	if isNull(n) {
		return nil
	}
	name := o.name("auth_methods")
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list (e.g. [client_secret_basic, private_key_jwt]), not %s", name, describe(n))
		return nil
	}
	var out []scalar
	for i, item := range n.Content {
		s := d.scalarNode(fmt.Sprintf("%s[%d]", name, i), item)
		if !s.set() {
			d.errorf(resolve(item), "%s[%d] is empty", name, i)
			continue
		}
		out = append(out, s)
	}
	return out
}

// privateKeyJWT decodes a client's private_key_jwt block and reads its key
// file (relative to the profile's folder). Errors never quote the key.
func (d *decoder) privateKeyJWT(client *object) *PrivateKeyJWT {
	f, ok := client.fields["private_key_jwt"]
	if !ok || isNull(resolve(f.val)) {
		return nil
	}
	o := d.mapping(client.name("private_key_jwt"), f.key, f.val, "key_file", "kid", "alg", "audience")
	if o == nil {
		return nil
	}
	file := d.required(o, "key_file")
	if !file.set() {
		return nil
	}
	path := file.value
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(d.path), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		d.errorf(file.node, "%s: cannot read %s: %v", o.name("key_file"), path, unwrapPathError(err))
		return nil
	}
	key, err := ParsePrivateKey(data)
	if err != nil {
		d.errorf(file.node, "%s: %s: %v", o.name("key_file"), path, err)
		return nil
	}
	j := &PrivateKeyJWT{KeyFile: file.value, Key: key, KeyID: d.scalar(o, "kid").value}
	alg := d.scalar(o, "alg")
	j.Alg = alg.value
	switch {
	case alg.set():
		if err := CheckAlg(key, alg.value); err != nil {
			d.errorf(alg.node, "%s: %v", o.name("alg"), err)
		}
	default:
		if j.Alg = DefaultAlg(key); j.Alg == "" {
			d.errorf(file.node, "%s: the key is not RSA or EC P-256; set %s", o.name("key_file"), o.name("alg"))
		}
	}
	aud := d.scalar(o, "audience")
	d.checkURL(o.name("audience"), aud, false)
	j.Audience = aud.value
	return j
}

// unwrapPathError drops the path from an *fs.PathError (the message names it
// already).
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
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
