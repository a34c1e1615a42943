package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/springauthz"
	"github.com/pkcecheck/pkcecheck/results"
)

// The Spring run's password and confidential secret, distinctive so that no
// report file or console line may contain them.
const (
	springPassword = "sp-pw-Curlew-Granite-63"
	springSecret   = "sp-conf-secret-Avocet-2b95"
)

// springExpected is what pkcecheck must report against Spring Authorization
// Server (Spring Security 7.0.6, Spring Boot 4.0.7's auto-configuration)
// under the shipped strict profile, measured with pkcecheck and checked by
// hand with curl.
var springExpected = map[string][]results.Status{
	"rfc7636.s256-roundtrip":           {results.Pass},
	"rfc7636.verifier-empty":           {results.Pass},
	"rfc7636.verifier-mismatch":        {results.Pass},
	"rfc7636.verifier-swapped":         {results.Pass},
	"rfc7636.method-bound":             {results.Pass},
	"rfc7636.method-unsupported":       {results.Pass},
	"rfc7636.method-default":           {results.Pass},
	"rfc7636.challenge-missing":        {results.Pass},
	"rfc7636.plain-policy":             {results.Pass},
	"rfc7636.method-without-challenge": {results.Pass},
	"rfc6749.code-single-use":          {results.Pass},
	"rfc6749.code-client-bound":        {results.Pass},
	"rfc6749.redirect-uri-bound":       {results.Pass},
	"rfc6749.no-store":                 {results.Pass},
	"rfc6749.reuse-revokes":            {results.Pass},
	// The confidential client's token request with code_verifier twice is
	// answered HTTP 302 (no tokens, no JSON error): client authentication
	// fails on the repeated parameter and Spring Security redirects to its
	// login page. Seen since the duplicate probes run for every client.
	"rfc6749.duplicate-params":     {results.Warn},
	"rfc6749.error-charset":        {results.Pass},
	"rfc9700.downgrade":            {results.Pass},
	"rfc9700.confidential-pkce":    {results.Pass},
	"rfc8414.methods-advertised":   {results.Pass},
	"rfc7636.challenge-not-echoed": {results.Pass},
	// A public client is recognised only by its code_verifier: a token
	// request without one is not authenticated at all and gets 401 with an
	// empty body (no error code), and so does an unsupported grant_type
	// from a public client.
	"rfc7636.verifier-missing":     {results.Fail},
	"rfc9700.pkce-per-auth-method": {results.Fail},
	"rfc6749.error-response":       {results.Fail},
	// The verifier is hashed as given: 42 or 129 characters, a NUL,
	// newline, %, + or / redeem their codes.
	"rfc7636.verifier-length":  {results.Fail},
	"rfc7636.verifier-charset": {results.Fail},
	// Concurrent redemptions of one code get several token responses (the
	// in-memory authorization service Boot configures checks and
	// invalidates the code without a lock).
	"rfc6749.code-race": {results.Fail},
	// The same race lets several redemptions with the right verifier win
	// among wrong and missing ones (none of the wrong ones wins).
	"rfc6749.code-race-mixed": {results.Fail},
	// Any string is bound as an S256 challenge.
	"rfc7636.challenge-format": {results.Warn},
	// A failed verifier keeps the code.
	"info.failed-verifier-burns-code": {results.Pass},
	// No iss on error redirects, and none advertised.
	"info.error-iss":       {results.Pass},
	"rfc9207.iss-required": {results.Skip},
	// Public clients get no refresh tokens (skipped for them); the
	// confidential client's refresh checks pass.
	"rfc6749.refresh-after-pkce":     {results.Pass},
	"rfc6749.replay-revokes-refresh": {results.Pass},
	// OAuth 2.1 draft 16 only (the shipped profile is base).
	"policy.oauth21-method-required":  {results.Skip},
	"policy.oauth21-plain-prohibited": {results.Skip},
	// No PAR endpoint advertised; the profile lists no redirect URI with a
	// query and no response modes besides query.
	"rfc9126.par-pkce-validated":         {results.Skip},
	"rfc9126.par-request-uri-once":       {results.Skip},
	"rfc9126.par-client-bound":           {results.Skip},
	"rfc9126.par-front-channel-override": {results.Skip},
	"rfc6749.redirect-keeps-query":       {results.Skip},
	"rfc7636.form-post-enforced":         {results.Skip},
	"rfc7636.fragment-enforced":          {results.Skip},
}

// TestRunSpringAuthorizationServer runs the shipped profile, unchanged,
// against a real Spring Authorization Server on loopback (one start):
// every result is what its measured behaviour calls for, the run exits 1
// naming the failed requirements, and no secret leaks.
func TestRunSpringAuthorizationServer(t *testing.T) {
	// The first start on a machine builds the jar with Maven (seconds with
	// Maven's local repository filled, minutes without).
	ctx, cancel := context.WithTimeout(context.Background(), springauthz.DefaultBuildTimeout+time.Minute)
	defer cancel()
	began := time.Now()
	srv, err := springauthz.Start(ctx, springauthz.Options{ConfidentialSecret: springSecret, Password: springPassword})
	if err != nil {
		t.Fatalf("start spring authorization server: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Errorf("stop spring authorization server: %v", err)
		}
	})
	t.Logf("spring authorization server %s ready at %s after %v", springauthz.Version, srv.Issuer(), time.Since(began).Round(time.Millisecond))
	env := []string{"SPRING_ISSUER=" + srv.Issuer(), "SPRING_USER=" + springauthz.Username,
		"SPRING_PASSWORD=" + springPassword, "SPRING_CONF_SECRET=" + springSecret}

	var given cliResult
	t.Run("shipped profile", func(t *testing.T) {
		given = runSpring(t, env, "../../profiles/spring-authorization-server.yaml")
		wantLoginPages(t, given, "login", "consent")
	})
	// The same run from the user name and password alone (issue 20), on the
	// same server, as the other user (consent is remembered per user and
	// client): the login form and the consent page, whose scope checkbox
	// must be ticked, are found on the pages.
	t.Run("detected login", func(t *testing.T) {
		other := append(slices.Clone(env), "SPRING_USER="+springauthz.OtherUsername)
		detected := runSpring(t, other, detectedProfile(t, "spring-authorization-server.yaml", "${SPRING_USER}", "${SPRING_PASSWORD}", ""))
		sameVerdicts(t, given, detected, springExpected, springPassword, springSecret)
		wantLoginPages(t, detected, "login", "consent")
	})
	// And from a profile `pkcecheck init` wrote (issue 20), told the scopes
	// the shipped profile asks for, with no edit: the same verdicts.
	t.Run("init", func(t *testing.T) {
		checkInit(t, given, initTarget{issuer: srv.Issuer(), public: []string{springauthz.PublicClientID, springauthz.OtherClientID},
			confidential: []string{springauthz.ConfidentialClientID}, redirectURI: springauthz.RedirectURI,
			user: springauthz.Username, password: springPassword, secret: springSecret,
			args: []string{"--scopes", "openid profile"}}, springExpected)
	})
}

// runSpring runs profile against the started server and checks every
// result, the exit status, stderr and secrets; it returns the run.
func runSpring(t *testing.T, env []string, profile string) cliResult {
	t.Helper()
	began := time.Now()
	r := pkcecheck(t, env, "run", "--profile", profile)
	t.Logf("pkcecheck run with %s took %v", profile, time.Since(began).Round(time.Millisecond))
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
	}
	got := checkExpected(t, r, "Spring Authorization Server", springExpected)
	for id, sub := range map[string]string{
		"rfc7636.verifier-missing":        "HTTP 401 and no JSON error",
		"rfc6749.code-race":               "concurrent redemptions of one code got tokens",
		"info.failed-verifier-burns-code": "kept",
	} {
		if res, ok := got[id]; ok && !strings.Contains(res.Summary, sub) {
			t.Errorf("%s does not say %q: %s", id, sub, res.Summary)
		}
	}
	// The login lives in the HTTP session, consent is remembered per client.
	if s := r.run.Stats; s.Logins != 1 || s.CodesMinted < 40 {
		t.Errorf("stats %+v, want one login and the codes of a full run", s)
	}
	assertNoSecrets(t, r, springPassword, springSecret)
	return r
}
