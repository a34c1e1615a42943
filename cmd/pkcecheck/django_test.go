package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/django"
	"github.com/pkcecheck/pkcecheck/results"
)

// The Django run's password and confidential secret, distinctive so that no
// report file or console line may contain them.
const (
	djangoPassword = "dj-pw-Plover-Basalt-29"
	djangoSecret   = "dj-conf-secret-Tern-7c41"
)

// djangoExpected is what pkcecheck must report against django-oauth-toolkit
// 3.4.1 (Django 5.2.19) with its defaults under the shipped strict profile,
// measured with pkcecheck and checked by hand with curl. Where a result
// depends on timing, every acceptable status is listed.
var djangoExpected = map[string][]results.Status{
	"rfc7636.s256-roundtrip":     {results.Pass},
	"rfc7636.verifier-missing":   {results.Pass},
	"rfc7636.verifier-empty":     {results.Pass},
	"rfc7636.verifier-mismatch":  {results.Pass},
	"rfc7636.verifier-swapped":   {results.Pass},
	"rfc7636.method-bound":       {results.Pass},
	"rfc7636.method-unsupported": {results.Pass},
	"rfc7636.method-default":     {results.Pass},
	"rfc6749.code-single-use":    {results.Pass},
	"rfc6749.code-client-bound":  {results.Pass},
	"rfc6749.no-store":           {results.Pass},
	// A wrong secret in a Basic header gets 401 invalid_client, but with
	// WWW-Authenticate: Bearer error="invalid_client"; RFC 6749 §5.2 wants
	// the scheme the client used (Basic).
	"rfc6749.error-response":    {results.Fail},
	"rfc6749.error-charset":     {results.Pass},
	"rfc9700.downgrade":         {results.Pass},
	"rfc9700.confidential-pkce": {results.Pass},
	// oauthlib hashes whatever verifier comes: a 42- or 129-character
	// verifier, or one with a NUL, newline, é, %, + or /, redeems its code.
	"rfc7636.verifier-length":  {results.Fail},
	"rfc7636.verifier-charset": {results.Fail},
	// PKCE_REQUIRED (True by default) refuses a missing code_challenge, but
	// an empty one passes oauthlib's "is None" test: the authorization page
	// shows, and its form (no action: posted back to the URL with the query)
	// yields a code. The code is bound to "" and no verifier redeems it.
	"rfc7636.challenge-missing": {results.Fail},
	// plain is accepted and advertised (COMPLIANT_BCP_RFC9700_PKCE_METHOD is
	// off by default in DOT 3.x); the profile forbids it.
	"rfc7636.plain-policy": {results.Fail},
	// A changed redirect_uri is refused with invalid_request (oauthlib's
	// MismatchingRedirectURIError); RFC 6749 §5.2 says invalid_grant.
	"rfc6749.redirect-uri-bound": {results.Fail},
	// Only the presence of a challenge is checked: any string is bound.
	"rfc7636.challenge-format": {results.Warn},
	// Duplicated PKCE parameters are not refused.
	"rfc6749.duplicate-params": {results.Warn},
	// A replayed code is refused, but the tokens of its first redemption,
	// refresh token included, stay valid.
	"rfc6749.reuse-revokes":          {results.Warn},
	"rfc6749.replay-revokes-refresh": {results.Warn},
	// One redemption wins; a loser that found the grant before the winner
	// deleted it gets HTTP 500 (Grant.DoesNotExist in get_code_challenge, or
	// SQLite's "database is locked"): a warning, when the timing allows it.
	"rfc6749.code-race": {results.Pass, results.Warn},
	// code_challenge_method=S256 with an empty challenge gets a code (see
	// challenge-missing), for both clients.
	"rfc7636.method-without-challenge": {results.Warn},
	// plain and S256 are advertised, and both honoured.
	"rfc8414.methods-advertised": {results.Pass},
	// A failed verifier keeps the code.
	"info.failed-verifier-burns-code": {results.Pass},
	// No iss on error redirects, and none advertised
	// (COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS is off by default).
	"info.error-iss":               {results.Pass},
	"rfc9207.iss-required":         {results.Skip},
	"rfc7636.challenge-not-echoed": {results.Pass},
	// PKCE holds for none, client_secret_basic and client_secret_post.
	"rfc9700.pkce-per-auth-method": {results.Pass},
	"rfc6749.code-race-mixed":      {results.Pass},
	// Refresh tokens work without a verifier, and rotate.
	"rfc6749.refresh-after-pkce": {results.Pass},
	// OAuth 2.1 draft 16 only (the shipped profile is base).
	"policy.oauth21-method-required":  {results.Skip},
	"policy.oauth21-plain-prohibited": {results.Skip},
	// No PAR endpoint; the profile lists no redirect URI with a query and no
	// response modes besides query.
	"rfc9126.par-pkce-validated":         {results.Skip},
	"rfc9126.par-request-uri-once":       {results.Skip},
	"rfc9126.par-client-bound":           {results.Skip},
	"rfc9126.par-front-channel-override": {results.Skip},
	"rfc6749.redirect-keeps-query":       {results.Skip},
	"rfc7636.form-post-enforced":         {results.Skip},
	"rfc7636.fragment-enforced":          {results.Skip},
}

// TestRunDjango runs the shipped profile, unchanged, against a real
// django-oauth-toolkit on loopback (one start): every result is what DOT's
// measured behaviour calls for, the run exits 1 naming the failed
// requirements, and no secret leaks.
func TestRunDjango(t *testing.T) {
	// The first start on a machine installs the virtual environment (about
	// 20 s, once).
	ctx, cancel := context.WithTimeout(context.Background(), django.DefaultInstallTimeout+time.Minute)
	defer cancel()
	began := time.Now()
	srv, err := django.Start(ctx, django.Options{ConfidentialSecret: djangoSecret, Password: djangoPassword})
	if err != nil {
		t.Fatalf("start django: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Errorf("stop django: %v", err)
		}
	})
	t.Logf("django-oauth-toolkit %s ready at %s after %v", django.Version, srv.Issuer(), time.Since(began).Round(time.Millisecond))
	env := []string{"DJANGO_ISSUER=" + srv.Issuer(), "DJANGO_USER=" + django.Username,
		"DJANGO_PASSWORD=" + djangoPassword, "DJANGO_CONF_SECRET=" + djangoSecret}

	var given cliResult
	t.Run("shipped profile", func(t *testing.T) {
		given = runDjango(t, env, "../../profiles/django-oauth-toolkit.yaml")
	})
	// The same run from the user name and password alone (issue 20), on
	// the same server: Django's admin login form and DOT's authorization
	// page (shown on every authorization) are found on the pages.
	t.Run("detected login", func(t *testing.T) {
		detected := runDjango(t, env, detectedProfile(t, "django-oauth-toolkit.yaml", "${DJANGO_USER}", "${DJANGO_PASSWORD}", ""))
		sameVerdicts(t, given, detected, djangoExpected, djangoPassword, djangoSecret)
		wantLoginPages(t, detected, "login", "consent")
	})
	// And from a profile `pkcecheck init` wrote (issue 20), with no edit:
	// the same verdicts, the authorization page recorded as a consent step.
	t.Run("init", func(t *testing.T) {
		text := checkInit(t, given, initTarget{issuer: srv.Issuer(), public: []string{django.PublicClientID, django.OtherClientID},
			confidential: []string{django.ConfidentialClientID}, redirectURI: django.RedirectURI,
			user: django.Username, password: djangoPassword, secret: djangoSecret}, djangoExpected)
		if !strings.Contains(text, "consent page, detected: ") {
			t.Errorf("init recorded no step on DOT's authorization page")
		}
	})
}

// wantLoginPages checks that a login (given or detected) acted on each
// kind of page in pages ("login", "consent", ...).
func wantLoginPages(t *testing.T, r cliResult, pages ...string) {
	t.Helper()
	if r.run == nil || r.run.Login == nil {
		t.Fatal("no login in results.json")
	}
	seen := map[string]bool{}
	for _, s := range r.run.Login.Steps {
		seen[s.Page] = true
	}
	for _, p := range pages {
		if !seen[p] {
			t.Errorf("the login took no step on a %s page: %s", p, r.run.Login.Summary())
		}
	}
}

// runDjango runs profile against the started server and checks every
// result, the exit status, stderr and secrets; it returns the run.
func runDjango(t *testing.T, env []string, profile string) cliResult {
	t.Helper()
	began := time.Now()
	r := pkcecheck(t, env, "run", "--profile", profile)
	t.Logf("pkcecheck run with %s took %v", profile, time.Since(began).Round(time.Millisecond))
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
	}
	got := checkExpected(t, r, "django-oauth-toolkit", djangoExpected)
	for id, sub := range map[string]string{
		"info.failed-verifier-burns-code": "kept",
		"rfc8414.methods-advertised":      "plain, S256",
		"rfc6749.redirect-uri-bound":      "invalid_request",
	} {
		if res, ok := got[id]; ok && !strings.Contains(res.Summary, sub) {
			t.Errorf("%s does not say %q: %s", id, sub, res.Summary)
		}
	}
	// Django keeps the login in its session: one login, then only DOT's
	// authorization page.
	if s := r.run.Stats; s.Logins != 1 || s.CodesMinted < 40 {
		t.Errorf("stats %+v, want one login and the codes of a full run", s)
	}
	assertNoSecrets(t, r, djangoPassword, djangoSecret)
	return r
}
