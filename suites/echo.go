package suites

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
)

// redirectParams returns the query and fragment parameters of a redirect
// location, by name.
func redirectParams(location string) map[string][]string {
	out := map[string][]string{}
	u, err := url.Parse(location)
	if err != nil {
		return out
	}
	for k, vs := range u.Query() {
		out[k] = append(out[k], vs...)
	}
	if f, err := url.ParseQuery(u.Fragment); err == nil {
		for k, vs := range f {
			out[k] = append(out[k], vs...)
		}
	}
	return out
}

// jsonStrings returns the string members of a JSON object body, by name
// (nested objects flattened with dotted names).
func jsonStrings(body []byte) map[string][]string {
	out := map[string][]string{}
	var v any
	if json.Unmarshal(body, &v) != nil {
		out["body"] = []string{string(body)}
		return out
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case string:
			out[prefix] = append(out[prefix], x)
		case map[string]any:
			for k, e := range x {
				name := k
				if prefix != "" {
					name = prefix + "." + k
				}
				walk(name, e)
			}
		case []any:
			for _, e := range x {
				walk(prefix, e)
			}
		}
	}
	walk("", v)
	return out
}

// echoedIn returns a description of the first parameter that carries the
// challenge, or "" when none does. A value carries it when the challenge,
// its 32-byte digest or the digest in hex appears in the value as sent,
// URL-decoded, or decoded from base64url or base64 (as a whole or per
// dot-separated segment, as in a JWT).
func echoedIn(params map[string][]string, challenge string) string {
	digest, _ := base64.RawURLEncoding.DecodeString(challenge)
	needles := [][]byte{[]byte(challenge)}
	if len(digest) > 0 {
		needles = append(needles, digest, []byte(hex.EncodeToString(digest)), []byte(strings.ToUpper(hex.EncodeToString(digest))))
	}
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range params[name] {
			for _, text := range decodings(v) {
				for _, n := range needles {
					if bytes.Contains(text, n) {
						return "parameter " + name
					}
				}
			}
		}
	}
	return ""
}

// decodings returns v and what it decodes to, whole and per segment.
func decodings(v string) [][]byte {
	out := [][]byte{[]byte(v)}
	if u, err := url.QueryUnescape(v); err == nil && u != v {
		out = append(out, []byte(u))
	}
	parts := append([]string{v}, strings.Split(v, ".")...)
	for _, p := range parts {
		p = strings.TrimRight(p, "=")
		for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.RawStdEncoding} {
			if b, err := enc.DecodeString(p); err == nil {
				out = append(out, b)
			}
		}
	}
	return out
}
