package suites

import (
	"fmt"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// Sweeps: checks that see the whole value. A server whose check reads only
// part of a value (a prefix, the first N characters, a pattern anchored at
// one end, a name matched by containment or after trimming) passes the
// grammar probes of verifier.go and authorize.go when their bad part sits
// where it looks. Each sweep moves the bad part (first, middle, last
// character; around the length bounds) or changes its shape (another
// character class, percent-encoded, a near-miss name). They are few, one
// authorization each, and `pkcecheck list --where` names them.

// verifierSweep is a verifier outside the RFC 7636 §4.1 grammar, sent with
// its own matching S256 challenge.
type verifierSweep struct {
	name string
	make func() string
}

// charsetSweeps move a bad character to the first, middle and last place
// (of a 128-character verifier, at the upper bound) and change its shape:
// a reserved character the old probes do not use, a percent-encoded
// unreserved one, a control character other than newline and NUL.
var charsetSweeps = []verifierSweep{
	{"'+' as the first character (64 characters)", func() string { return "+" + newVerifier(63) }},
	{"':' in the middle (64 characters)", func() string { return newVerifier(32) + ":" + newVerifier(31) }},
	{"the escape %41 in the middle (percent-encoded 'A')", func() string { return newVerifier(30) + "%41" + newVerifier(31) }},
	{"a tab as the last of 128 characters", func() string { return newVerifier(127) + "\t" }},
}

// lengthSweeps are lengths a partial length check lets through: 256 + 43
// (a length kept in one byte), and 129 characters that are 127 once
// percent-decoded.
var lengthSweeps = []verifierSweep{
	{"299 characters (256 + 43)", func() string { return newVerifier(299) }},
	{"129 characters holding the escape %7E (127 once percent-decoded)", func() string { return newVerifier(63) + "%7E" + newVerifier(63) }},
}

// challengeSweeps are S256 challenges of 43 characters outside base64url,
// and a right one behind whitespace.
var challengeSweeps = []malformedChallenge{
	{"ending in '~' (43 unreserved characters, not base64url)", func() (string, string) {
		v := newVerifier(43)
		return v, pkce.S256(v)[:42] + "~"
	}},
	{"with a leading space", func() (string, string) {
		v := newVerifier(43)
		return v, " " + pkce.S256(v)
	}},
}

// methodSweeps are near misses of S256: surrounding whitespace, a
// truncation, an extension, another algorithm's name (see
// unsupportedMethods for the case variant, the trailing space and others).
var methodSweeps = []string{" S256", "S25", "S2566", "RS256"}

// Sweeps returns the names of the sweep probes that check id, for
// `pkcecheck list --where`.
func Sweeps(id requirements.ID) []string {
	var out []string
	switch id {
	case requirements.VerifierCharset:
		for _, s := range charsetSweeps {
			out = append(out, "verifier with "+s.name)
		}
	case requirements.VerifierLength:
		for _, s := range lengthSweeps {
			out = append(out, "verifier of "+s.name)
		}
	case requirements.ChallengeFormat:
		for _, m := range challengeSweeps {
			out = append(out, "challenge "+m.name)
		}
	case requirements.MethodUnsupported:
		for _, m := range methodSweeps {
			out = append(out, fmt.Sprintf("method %q", m))
		}
	}
	return out
}

// SweepAuthorizations is how many authorizations the sweeps add to a run
// whose every probe passes.
func SweepAuthorizations() int {
	return len(charsetSweeps) + len(lengthSweeps) + len(challengeSweeps) + len(methodSweeps)
}

// The sweeps' specs are written beside their requirement's own specs, in
// verifier.go and authorize.go: Ginkgo runs the specs of a container in
// the order of their code locations, and the specs of one requirement must
// run one after the other (the console prints a requirement's line when
// the next requirement begins).
