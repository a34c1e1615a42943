// Package redact keeps secrets out of logs, error messages and reports. A
// Redactor learns the secret values of a run (client secrets, login
// passwords, authorization codes, issued tokens) and masks them, and its
// Form, URL, JSON and Header methods also mask the parameters, members and
// headers that carry credentials by name, whether or not their values are
// known.
package redact

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Mask is what every redacted value is replaced with.
const Mask = "[REDACTED]"

// MinSecretLen is the shortest value (in characters) Add accepts. Shorter
// values are ignored: masking every "a" or "42" in a report would mangle it
// beyond use, and values that short are not secrets worth the name.
const MinSecretLen = 4

// Redactor masks known secret values. The zero value and a nil *Redactor are
// usable (they know no values but still mask credentials by name). It is safe
// for concurrent use.
type Redactor struct {
	mu       sync.RWMutex
	secrets  map[string]struct{} // every form of every secret
	replacer *strings.Replacer   // built lazily from secrets; nil when stale
}

// New returns a Redactor that knows secrets (see Add).
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add makes the Redactor mask each secret, together with its URL query
// escaped, URL path escaped and base64 forms. Empty values and values shorter
// than MinSecretLen characters are ignored, so that common short strings are
// not masked all over the text.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if utf8.RuneCountInString(s) < MinSecretLen {
			continue
		}
		if r.secrets == nil {
			r.secrets = map[string]struct{}{}
		}
		for _, f := range forms(s) {
			if _, ok := r.secrets[f]; !ok {
				r.secrets[f] = struct{}{}
				r.replacer = nil
			}
		}
	}
}

// forms returns the spellings of s that are cheap to recognise.
func forms(s string) []string {
	b := []byte(s)
	return []string{
		s,
		url.QueryEscape(s),
		url.PathEscape(s),
		base64.StdEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b),
		base64.RawURLEncoding.EncodeToString(b),
	}
}

// String returns s with every known secret replaced by Mask. Longer secrets
// are matched first, so a secret that contains another is masked whole.
func (r *Redactor) String(s string) string {
	rep := r.getReplacer()
	if rep == nil {
		return s
	}
	return rep.Replace(s)
}

// getReplacer returns the replacer for the current secrets, building it if
// the set changed; nil when there is nothing to replace.
func (r *Redactor) getReplacer() *strings.Replacer {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	rep, n := r.replacer, len(r.secrets)
	r.mu.RUnlock()
	if rep != nil || n == 0 {
		return rep
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.replacer == nil {
		all := make([]string, 0, len(r.secrets))
		for s := range r.secrets {
			all = append(all, s)
		}
		// strings.Replacer prefers earlier pairs at the same position, so
		// longest first masks a secret whole when another is its prefix.
		sort.Slice(all, func(i, j int) bool {
			if len(all[i]) != len(all[j]) {
				return len(all[i]) > len(all[j])
			}
			return all[i] < all[j]
		})
		pairs := make([]string, 0, 2*len(all))
		for _, s := range all {
			pairs = append(pairs, s, Mask)
		}
		r.replacer = strings.NewReplacer(pairs...)
	}
	return r.replacer
}
