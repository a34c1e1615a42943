// Package suites holds the Ginkgo specs that probe a target authorization
// server, one file per requirement group. The specs are ordinary non-test
// code registered through Register, so the pkcecheck binary runs them
// in-process; suites_test.go runs the same specs under `go test`.
package suites

import (
	"net/http"
	"sync/atomic"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// Target is everything the specs need to exercise one server. Build it, then
// call Register before running the specs. A Target is used by one run at a
// time; the specs run serially.
type Target struct {
	Profile    *profiles.Profile
	Metadata   *discovery.Metadata // nil when the profile gives every endpoint
	Endpoints  discovery.Endpoints
	Authorizer authz.Authorizer // mints the codes (session composes it)
	HTTP       *http.Client     // protocol traffic: no redirects followed, counted, rate-limited
	Redactor   *redact.Redactor

	codesMinted atomic.Int64
	aging       *agingCode // rfc6749.code-lifetime's waiting code
	recorder    *recorder
}

// CodesMinted is how many authorization codes the specs obtained.
func (t *Target) CodesMinted() int { return int(t.codesMinted.Load()) }
