package redact

import (
	"github.com/pkcecheck/pkcecheck/protocol/form"

	"net/url"
	"sort"
	"strings"
)

// formSecrets are the form parameters whose values are masked by name.
// code_verifier is deliberately absent: it is the evidence PKCE checks are
// about, and a verifier is worthless once its code is spent.
var formSecrets = map[string]bool{
	"code":             true,
	"client_secret":    true,
	"password":         true,
	"refresh_token":    true,
	"access_token":     true,
	"id_token":         true,
	"assertion":        true,
	"client_assertion": true,
}

// urlSecrets are the query (and fragment) parameters masked by name in URLs;
// state is kept, it is evidence.
var urlSecrets = map[string]bool{
	"code":          true,
	"access_token":  true,
	"id_token":      true,
	"refresh_token": true,
	"client_secret": true,
	"password":      true,
}

// Form encodes a form for evidence, sorted by name as url.Values.Encode does,
// with the values of credential parameters (code, client_secret, password,
// refresh_token, access_token, id_token, assertion, client_assertion)
// replaced by Mask and every known secret masked.
func (r *Redactor) Form(v url.Values) string {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	var pairs form.Params
	for _, k := range names {
		for _, val := range v[k] {
			pairs = append(pairs, [2]string{k, val})
		}
	}
	return r.Params(pairs)
}

// Params is Form for parameters kept in the order they are sent, duplicates
// and empty values included.
func (r *Redactor) Params(params form.Params) string {
	return r.String(params.EncodeWith(func(name, value string) string {
		if formSecrets[name] && value != "" {
			return Mask
		}
		return url.QueryEscape(value)
	}))
}

// URL returns u with the values of its credential query and fragment
// parameters (code, access_token, id_token, refresh_token, client_secret,
// password) and any userinfo password replaced by Mask, the order of the
// parameters kept, and every known secret masked. state is kept. A string
// that does not parse as a URL only has its known secrets masked.
func (r *Redactor) URL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return r.String(u)
	}
	if p.User != nil {
		if _, ok := p.User.Password(); ok {
			p.User = url.UserPassword(p.User.Username(), Mask)
		}
	}
	p.RawQuery = maskQuery(p.RawQuery, urlSecrets)
	if p.Fragment != "" {
		// Implicit-style responses carry tokens in the fragment.
		p.RawFragment = maskQuery(p.EscapedFragment(), urlSecrets)
		p.Fragment, _ = url.PathUnescape(p.RawFragment)
	}
	return r.String(p.String())
}

// maskQuery replaces the values of the named parameters in a raw query,
// leaving everything else byte for byte as it was.
func maskQuery(raw string, names map[string]bool) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, part := range parts {
		k, v, ok := strings.Cut(part, "=")
		if !ok || v == "" {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if names[name] {
			parts[i] = k + "=" + Mask
		}
	}
	return strings.Join(parts, "&")
}
