// Package repro writes reproducers: POSIX sh scripts that replay a failing
// probe with curl, for the engineers of the server under test, who do not
// run pkcecheck. A script is written from the redacted evidence the probe
// recorded (results.Evidence, with its Replay annotations): the
// authorization requests become `pkcecheck code` lines (or URLs to open),
// the token requests curl commands exactly as sent (method, the headers
// that matter, the body in order; concurrent requests as background jobs
// and `wait`), each with what this server answered. Codes, secrets and
// tokens appear only as $VARIABLES ($CODE, $CODE_VERIFIER, $CLIENT_SECRET,
// $CLIENT_ASSERTION, $REFRESH_TOKEN, $CODE_2, ...); the script starts with
// `set -eu` and stops with a message naming the command to run when one
// is unset. Run (suites) and fuzz findings share this writer.
package repro

import (
	"github.com/pkcecheck/pkcecheck/results"
)

// Finding is what a reproducer is written from: one failing probe of a
// requirement and what the catalogue says a conforming server does.
type Finding struct {
	ID     string // the requirement, e.g. rfc7636.verifier-mismatch
	Level  string // MUST, SHOULD
	Source string // e.g. RFC 7636 §4.6
	Status string // fail or warn
	// Text is what a conforming server does (the catalogue's line), Passes
	// what counts as passing.
	Text, Passes string
	// Probe names the failing probe; Observed is what the verdict says
	// this server did.
	Probe, Observed string
	// Exchanges are the probe's exchanges in the order they ran.
	Exchanges []results.Evidence
	// Profile is the profile file the pkcecheck code lines name ("" writes
	// PROFILE, a placeholder).
	Profile string
	// RedirectURIs are the registered redirect URI of each client ID: an
	// authorization request that used another one gets --redirect-uri.
	RedirectURIs map[string]string
	// Standard are the authorization parameters pkcecheck code sends by
	// itself beyond the protocol's (the profile's authorize_params): they
	// are not repeated as --param.
	Standard []string
	// Others name the requirement's other failing probes.
	Others []string
}

// Variables a script may need, besides $CODE_n and $CODE_VERIFIER_n.
const (
	VarClientSecret    = "CLIENT_SECRET"
	VarClientAssertion = "CLIENT_ASSERTION"
	VarRefreshToken    = "REFRESH_TOKEN"
	VarAccessToken     = "ACCESS_TOKEN"
)

// CodeVar is the variable of the n-th code (1: CODE, 2: CODE_2, ...), and
// with prefix CODE_VERIFIER or CODE_CHALLENGE the matching verifier and
// challenge: the names pkcecheck code prints.
func CodeVar(prefix string, n int) string {
	if n <= 1 {
		return prefix
	}
	return prefix + "_" + itoa(n)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
