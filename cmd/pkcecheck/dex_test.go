package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/dex"
	"github.com/pkcecheck/pkcecheck/results"
)

// dexSecret is the confidential client's secret for the Dex run, distinctive
// so that no report file or console line may contain it. The password is
// dex.Password: Dex only takes a bcrypt hash, which package dex precomputes.
const dexSecret = "conf-secret-Dex-Juniper-3b7e"

// dexExpected is what pkcecheck must report against Dex v2.45.1 under the
// strict profile, as measured by hand and by e2e/providers/dex's tests.
// Where a result depends on timing, every acceptable status is listed.
var dexExpected = map[string][]results.Status{
	"rfc7636.s256-roundtrip":     {results.Pass},
	"rfc7636.verifier-missing":   {results.Pass},
	"rfc7636.verifier-empty":     {results.Pass},
	"rfc7636.verifier-mismatch":  {results.Pass},
	"rfc7636.verifier-swapped":   {results.Pass},
	"rfc7636.method-bound":       {results.Pass},
	"rfc7636.method-unsupported": {results.Pass},
	"rfc6749.code-single-use":    {results.Pass},
	"rfc6749.no-store":           {results.Pass},
	"rfc9700.downgrade":          {results.Pass},
	"rfc9700.confidential-pkce":  {results.Pass},
	// Dex checks neither the verifier's length nor its characters: a 42- or
	// 129-character verifier, or one with a space, redeems its code.
	"rfc7636.verifier-length":  {results.Fail},
	"rfc7636.verifier-charset": {results.Fail},
	// A public client without a challenge gets tokens (PKCE is optional).
	"rfc7636.challenge-missing": {results.Fail},
	// plain is accepted (and advertised); the profile forbids it.
	"rfc7636.plain-policy": {results.Fail},
	// An omitted method is verified as plain, which Dex also takes by name.
	"rfc7636.method-default": {results.Pass},
	// Another client's code is refused, but with HTTP 500 server_error (Dex
	// takes a found code of another client for a storage failure).
	"rfc6749.code-client-bound": {results.Fail},
	// A changed redirect_uri is refused with invalid_request; RFC 6749 §5.2
	// says invalid_grant, and the profile's error codes are strict.
	"rfc6749.redirect-uri-bound": {results.Fail},
	// Challenges are stored unchecked.
	"rfc7636.challenge-format": {results.Warn},
	// A 401 invalid_client answer to Basic authentication carries no
	// WWW-Authenticate header; RFC 6749 §5.2 requires a Basic challenge
	// (a MUST of this requirement, so a failure since issue 21).
	"rfc6749.error-response": {results.Fail},
	// A replayed code is refused, but the first tokens stay valid.
	"rfc6749.reuse-revokes": {results.Warn},
	// Exactly one redemption wins; losers that got past the code lookup get
	// HTTP 500 server_error when their delete finds the code gone (a
	// warning), later ones 400 invalid_grant.
	"rfc6749.code-race": {results.Pass, results.Warn},
	// Duplicated PKCE parameters are not refused: the first value counts.
	"rfc6749.duplicate-params": {results.Warn},
	// S256 and plain are both advertised and both honoured.
	"rfc8414.methods-advertised": {results.Pass},
	// A failed verifier keeps the code.
	"info.failed-verifier-burns-code": {results.Pass},
	// No iss on error redirects, and none advertised.
	"info.error-iss": {results.Pass},
	// Issue 16. code_challenge_method=S256 without a challenge (absent or
	// empty) gets a code without PKCE, for both clients.
	"rfc7636.method-without-challenge": {results.Warn},
	// OAuth 2.1 draft 16 only (the shipped profile is base).
	"policy.oauth21-method-required":  {results.Skip},
	"policy.oauth21-plain-prohibited": {results.Skip},
	// iss is neither advertised nor required by the base policy.
	"rfc9207.iss-required":         {results.Skip},
	"rfc7636.challenge-not-echoed": {results.Pass},
	// PKCE holds under the profile's methods (none and client_secret_basic;
	// client_secret_post is advertised but no client of the profile uses it).
	"rfc9700.pkce-per-auth-method": {results.Pass},
	// No pushed_authorization_request_endpoint: the RFC 9126 checks skip.
	"rfc9126.par-pkce-validated":         {results.Skip},
	"rfc9126.par-request-uri-once":       {results.Skip},
	"rfc9126.par-client-bound":           {results.Skip},
	"rfc9126.par-front-channel-override": {results.Skip},
	// Only the right verifier wins a mixed race.
	"rfc6749.code-race-mixed": {results.Pass},
	// An unknown code_challenge_method is quoted back with %q: the
	// description carries '"' (and whatever the method had), which RFC 6749
	// §5.2 keeps out of error_description.
	"rfc6749.error-charset": {results.Fail},
	// The shipped profile lists no redirect URI with a query, no response
	// modes besides query, and Dex issues refresh tokens only for the
	// offline_access scope, which the profile does not ask for.
	"rfc6749.redirect-keeps-query":   {results.Skip},
	"rfc7636.form-post-enforced":     {results.Skip},
	"rfc7636.fragment-enforced":      {results.Skip},
	"rfc6749.refresh-after-pkce":     {results.Skip},
	"rfc6749.replay-revokes-refresh": {results.Skip},
}

// TestRunDex runs the shipped profile against a real Dex on loopback, with
// its approval page on (so the profile's consent step is exercised): every
// result is what Dex's measured behaviour calls for, the run exits 1 naming
// the failed requirements, and no secret leaks.
func TestRunDex(t *testing.T) {
	// The first start on a machine builds Dex (a minute or two, once).
	ctx, cancel := context.WithTimeout(context.Background(), dex.DefaultBuildTimeout+time.Minute)
	defer cancel()
	srv, err := dex.Start(ctx, dex.Options{ConfidentialSecret: dexSecret})
	if err != nil {
		t.Fatalf("start dex: %v", err)
	}
	t.Cleanup(func() { srv.Stop() })

	began := time.Now()
	r := pkcecheck(t, []string{
		"DEX_ISSUER=" + srv.Issuer(), "DEX_USER=" + dex.Email,
		"DEX_PASSWORD=" + dex.Password, "DEX_CONF_SECRET=" + dexSecret,
	}, "run", "--profile", "../../profiles/dex.yaml")
	t.Logf("pkcecheck run against %s took %v", srv.Issuer(), time.Since(began).Round(time.Millisecond))
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
	}
	got := checkExpected(t, r, "Dex", dexExpected)
	if res, ok := got["info.failed-verifier-burns-code"]; ok && !strings.Contains(res.Summary, "kept") {
		t.Errorf("info.failed-verifier-burns-code does not say the code is kept: %s", res.Summary)
	}
	if res, ok := got["rfc8414.methods-advertised"]; ok && !strings.Contains(res.Summary, "S256, plain") {
		t.Errorf("rfc8414.methods-advertised does not show S256 and plain advertised: %s", res.Summary)
	}
	// Dex keeps no login session: every code costs a login (and an approval).
	if s := r.run.Stats; r.run.Target.Issuer != srv.Issuer() || s.Logins < 2 || s.Logins != s.CodesMinted {
		t.Errorf("target %+v stats %+v, want issuer %s and one login per code", r.run.Target, s, srv.Issuer())
	}
	assertNoSecrets(t, r, dex.Password, dexSecret)

	// The same run from the user name and password alone: the login and
	// approval pages are found on the pages.
	d := pkcecheck(t, []string{
		"DEX_ISSUER=" + srv.Issuer(), "DEX_USER=" + dex.Email,
		"DEX_PASSWORD=" + dex.Password, "DEX_CONF_SECRET=" + dexSecret,
	}, "run", "--profile", detectedProfile(t, "dex.yaml", "${DEX_USER}", "${DEX_PASSWORD}", ""))
	sameVerdicts(t, r, d, dexExpected, dex.Password, dexSecret)
}
