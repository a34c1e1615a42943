package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/hydra"
	"github.com/pkcecheck/pkcecheck/results"
)

// Distinctive secrets for the Hydra run: no report file and no console line
// may contain them.
const (
	hydraUser     = "dana-user-2f8b"
	hydraPassword = "pw-Hydra-Lantern-64c7"
	hydraSecret   = "conf-secret-Hydra-Tamarind-0d9e"
)

// hydraExpected is what pkcecheck must report against Ory Hydra v2.3.0, as
// measured by hand and by e2e/providers/hydra's tests. Where a result
// depends on timing, every acceptable status is listed.
var hydraExpected = map[string][]results.Status{
	"rfc7636.s256-roundtrip":     {results.Pass},
	"rfc7636.verifier-missing":   {results.Pass},
	"rfc7636.verifier-empty":     {results.Pass},
	"rfc7636.verifier-mismatch":  {results.Pass},
	"rfc7636.verifier-swapped":   {results.Pass},
	"rfc7636.method-bound":       {results.Pass},
	"rfc7636.verifier-length":    {results.Pass},
	"rfc7636.verifier-charset":   {results.Pass},
	"rfc7636.challenge-missing":  {results.Pass},
	"rfc7636.method-unsupported": {results.Pass},
	"rfc7636.method-default":     {results.Pass},
	"rfc7636.plain-policy":       {results.Pass},
	"rfc6749.code-single-use":    {results.Pass},
	"rfc6749.reuse-revokes":      {results.Pass},
	"rfc6749.code-client-bound":  {results.Pass},
	"rfc6749.redirect-uri-bound": {results.Pass},
	"rfc6749.no-store":           {results.Pass},
	"rfc9700.downgrade":          {results.Pass},
	// A failed verifier unbinds the code from its challenge (fosite deletes
	// the PKCE session before it checks the verifier), so the confidential
	// client's retry WITHOUT code_verifier gets tokens: ory/fosite#883, open.
	// (Public clients are safe: enforced PKCE refuses the retry.)
	"rfc9700.confidential-pkce": {results.Fail},
	// fosite does not check the challenge's format at /authorize.
	"rfc7636.challenge-format": {results.Warn},
	// A 401 invalid_client answer to Basic authentication carries no
	// WWW-Authenticate header; RFC 6749 §5.2 requires a Basic challenge
	// (a MUST of this requirement, so a failure since issue 21).
	"rfc6749.error-response": {results.Fail},
	// Exactly one redemption wins; losers that collide in the in-memory
	// database get HTTP 500 server_error (a warning) or 400 invalid_grant.
	"rfc6749.code-race": {results.Pass, results.Warn},
	// Duplicated PKCE parameters are not refused: the first value counts.
	"rfc6749.duplicate-params": {results.Warn},
	// "plain" is advertised in code_challenge_methods_supported but refused.
	"rfc8414.methods-advertised": {results.Warn},
	// A failed verifier consumes the code's PKCE binding: the right verifier
	// is refused afterwards.
	"info.failed-verifier-burns-code": {results.Pass},
	// No iss on error redirects, and none advertised.
	"info.error-iss": {results.Pass},
	// Issue 16. The confidential client (PKCE optional) gets a code without
	// PKCE for code_challenge_method=S256 without a challenge (absent or
	// empty); the public client is refused.
	"rfc7636.method-without-challenge": {results.Warn},
	// OAuth 2.1 draft 16 only (the shipped profile is base).
	"policy.oauth21-method-required":  {results.Skip},
	"policy.oauth21-plain-prohibited": {results.Skip},
	// iss is neither advertised nor required by the base policy.
	"rfc9207.iss-required":         {results.Skip},
	"rfc7636.challenge-not-echoed": {results.Pass},
	// PKCE holds under the profile's methods (none and client_secret_basic;
	// client_secret_post and private_key_jwt are advertised but no client of
	// the profile uses them).
	"rfc9700.pkce-per-auth-method": {results.Pass},
	// Hydra v2.3.0 as configured publishes no pushed_authorization_request_endpoint.
	"rfc9126.par-pkce-validated":         {results.Skip},
	"rfc9126.par-request-uri-once":       {results.Skip},
	"rfc9126.par-client-bound":           {results.Skip},
	"rfc9126.par-front-channel-override": {results.Skip},
	// No wrong or missing verifier wins a mixed race (a failed attempt burns
	// the code, so often nobody wins).
	"rfc6749.code-race-mixed": {results.Pass},
	// Error texts stay within the RFC 6749 §5.2 characters.
	"rfc6749.error-charset": {results.Pass},
	// Refresh needs no verifier; a replayed code revokes the rotated refresh
	// token too.
	"rfc6749.refresh-after-pkce":     {results.Pass},
	"rfc6749.replay-revokes-refresh": {results.Pass},
	// The shipped profile lists no redirect URI with a query and no response
	// modes besides query.
	"rfc6749.redirect-keeps-query": {results.Skip},
	"rfc7636.form-post-enforced":   {results.Skip},
	"rfc7636.fragment-enforced":    {results.Skip},
}

// TestRunHydra runs the shipped profile against a real Ory Hydra with our
// login and consent app on loopback: every result is what Hydra's measured
// behaviour calls for, the run exits 1 naming rfc9700.confidential-pkce (a
// real fosite bug), and no secret leaks.
func TestRunHydra(t *testing.T) {
	// The first start on a machine builds Hydra (minutes, once).
	ctx, cancel := context.WithTimeout(context.Background(), hydra.DefaultBuildTimeout+time.Minute)
	defer cancel()
	srv, err := hydra.Start(ctx, hydra.Options{ConfidentialSecret: hydraSecret, Username: hydraUser, Password: hydraPassword})
	if err != nil {
		t.Fatalf("start hydra: %v", err)
	}
	t.Cleanup(func() { srv.Stop() })

	// The run from the user name and password alone first: Hydra
	// remembers the consent, so only the first run meets the login app's
	// consent page, which detection answers. The hand-written run follows,
	// and both must agree.
	d := pkcecheck(t, []string{
		"HYDRA_ISSUER=" + srv.Issuer(), "HYDRA_USER=" + hydraUser,
		"HYDRA_PASSWORD=" + hydraPassword, "HYDRA_CONF_SECRET=" + hydraSecret,
	}, "run", "--profile", detectedProfile(t, "hydra.yaml", "${HYDRA_USER}", "${HYDRA_PASSWORD}", ""))
	if d.run == nil || d.run.Login == nil || !slices.ContainsFunc(d.run.Login.Steps, func(s results.LoginStep) bool { return s.Page == "consent" }) {
		t.Errorf("the detected run met no consent page\nstdout:\n%s\nstderr:\n%s", d.stdout, d.stderr)
	}

	began := time.Now()
	r := pkcecheck(t, []string{
		"HYDRA_ISSUER=" + srv.Issuer(), "HYDRA_USER=" + hydraUser,
		"HYDRA_PASSWORD=" + hydraPassword, "HYDRA_CONF_SECRET=" + hydraSecret,
	}, "run", "--profile", "../../profiles/hydra.yaml")
	t.Logf("pkcecheck run against %s took %v", srv.Issuer(), time.Since(began).Round(time.Millisecond))
	if r.code != exitFailed || !strings.Contains(r.stderr, "rfc9700.confidential-pkce") {
		t.Fatalf("exit %d, want %d naming rfc9700.confidential-pkce\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
	}
	got := checkExpected(t, r, "Hydra", hydraExpected)
	if res, ok := got["info.failed-verifier-burns-code"]; ok && !strings.Contains(res.Summary, "burns") {
		t.Errorf("info.failed-verifier-burns-code does not say the code burns: %s", res.Summary)
	}
	if r.run.Target.Issuer != srv.Issuer() || r.run.Stats.Logins != 1 {
		t.Errorf("target %+v stats %+v, want issuer %s and one login", r.run.Target, r.run.Stats, srv.Issuer())
	}
	assertNoSecrets(t, r, hydraPassword, hydraSecret)
	sameVerdicts(t, r, d, hydraExpected, hydraPassword, hydraSecret)
}
