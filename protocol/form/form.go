// Package form holds ordered form parameters. Unlike url.Values, Params keep
// their order, duplicates and empty values exactly as a probe builds them:
// probes send `code_verifier=`, two code_challenge parameters, and so on.
package form

import (
	"net/url"
	"strings"
)

// Params are name/value pairs in the order they are sent.
type Params [][2]string

// Add appends a parameter, even if one of that name is already there.
func (p *Params) Add(name, value string) { *p = append(*p, [2]string{name, value}) }

// Set makes value the only value of name: the first occurrence is replaced
// in place and later ones removed; a missing parameter is appended.
func (p *Params) Set(name, value string) {
	out := (*p)[:0]
	found := false
	for _, kv := range *p {
		if kv[0] != name {
			out = append(out, kv)
			continue
		}
		if !found {
			out = append(out, [2]string{name, value})
			found = true
		}
	}
	if !found {
		out = append(out, [2]string{name, value})
	}
	*p = out
}

// Del removes every parameter named name.
func (p *Params) Del(name string) {
	out := (*p)[:0]
	for _, kv := range *p {
		if kv[0] != name {
			out = append(out, kv)
		}
	}
	*p = out
}

// Get returns the first value of name and whether it is present.
func (p Params) Get(name string) (string, bool) {
	for _, kv := range p {
		if kv[0] == name {
			return kv[1], true
		}
	}
	return "", false
}

// Encode form-encodes the parameters in order
// (application/x-www-form-urlencoded, as in a query string).
func (p Params) Encode() string {
	return p.EncodeWith(func(_, value string) string { return url.QueryEscape(value) })
}

// EncodeWith is Encode with the encoded form of each value given by value
// (which must escape what it returns), for redacted renderings.
func (p Params) EncodeWith(value func(name, value string) string) string {
	var b strings.Builder
	for i, kv := range p {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[0]))
		b.WriteByte('=')
		b.WriteString(value(kv[0], kv[1]))
	}
	return b.String()
}
