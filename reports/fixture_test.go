package reports

import (
	"fmt"
	"time"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// scriptPage is an error page a server might answer with: its script must
// show up as text in every report, never as markup.
const scriptPage = `<html><head><title>Error</title><script>alert(1)</script></head><body><p class="err">Invalid "code_challenge" & 'method'</p></body></html>`

// tokenRequest is request evidence as protocol/tokenclient writes it.
func tokenRequest(params string) string {
	return "POST https://kc.example.com/realms/demo/protocol/openid-connect/token\n" +
		"Content-Type: application/x-www-form-urlencoded\n\n" +
		"grant_type=authorization_code&code=[REDACTED]&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&client_id=pkce-public&" + params
}

const (
	tokenIssued = "HTTP 200 OK\nCache-Control: no-store\nContent-Type: application/json\n\n" +
		`{"access_token":"[REDACTED]","expires_in":300,"refresh_token":"[REDACTED]","token_type":"Bearer"}`
	invalidGrant = "HTTP 400 Bad Request\nCache-Control: no-store\nContent-Type: application/json\n\n" +
		`{"error":"invalid_grant","error_description":"PKCE verification failed"}`
)

// sampleRun is a run of the whole catalogue with every status, a waiver,
// baseline notes and evidence with HTML in it.
func sampleRun() *results.Run {
	run := &results.Run{
		Tool:      results.Tool{Name: "pkcecheck", Version: "v0.4.0"},
		Target:    results.Target{Name: "keycloak-staging", Issuer: "https://kc.example.com/realms/demo"},
		Policy:    results.Policy{PKCERequired: "public", Plain: "forbidden", ErrorCodes: "strict"},
		Stats:     results.Stats{DurationMS: 18432, Logins: 1, CodesMinted: 61, HTTPRequests: 143},
		Generated: time.Date(2026, 5, 4, 9, 30, 12, 0, time.UTC),
		Clients: []results.Client{{Role: "public", ID: "pkce-public", AuthMethods: []string{"none"}},
			{Role: "confidential", ID: "pkce-conf", AuthMethods: []string{"client_secret_basic", "private_key_jwt"}}},
		ProfilePath: "profiles/keycloak.yaml",
		Notes: []results.Note{
			{Kind: results.NoteWaiverExpired, ID: "rfc7636.verifier-charset", Text: "waiver for rfc7636.verifier-charset expired on 2026-04-30"},
			{Kind: results.NoteWaiverStale, ID: "rfc6749.code-client-bound", Text: "waiver for rfc6749.code-client-bound is stale: the requirement's status is pass; remove it from the baseline"},
		},
		Login: &results.Login{Mode: results.LoginMixed, Steps: []results.LoginStep{
			{Page: "login", Step: `fill "#username"`, How: "detected: autocomplete=username"},
			{Page: "login", Step: `fill "#password"`, How: "detected: type=password"},
			{Page: "login", Step: `click "#kc-login"`, How: "detected: submit button of the form"},
			{Page: "consent", Step: `click "#kc-accept"`, How: "given: profiles/keycloak.yaml:31"},
		}},
	}
	special := map[string]results.Result{
		"rfc7636.verifier-mismatch": {Status: results.Fail,
			Summary: "a verifier with its last character changed was accepted (the server seems to compare a prefix)",
			Evidence: []results.Evidence{
				{Probe: "verifier with the last character changed", Request: tokenRequest("code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl"), Response: tokenIssued},
				{Probe: "random verifier", Request: tokenRequest("code_verifier=Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg"), Response: invalidGrant},
			},
			Reproducer: "#!/bin/sh\nset -eu\n: \"${CODE:?run pkcecheck code first}\"\ncurl -sS -i -X POST https://kc.example.com/token --data-urlencode \"code=$CODE\"\n"},
		"rfc7636.verifier-length": {Status: results.Fail,
			Summary:  "a 129-character verifier was accepted",
			Evidence: []results.Evidence{{Probe: "129-character verifier whose challenge matches", Request: tokenRequest("code_verifier=[129 characters]"), Response: tokenIssued}}},
		"rfc7636.challenge-format": {Status: results.Warn,
			Summary: "a 42-character S256 challenge was accepted at /authorize",
			Evidence: []results.Evidence{{Probe: "S256 challenge of 42 characters",
				Request:  "GET https://kc.example.com/realms/demo/protocol/openid-connect/auth?client_id=pkce-public&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c&code_challenge_method=S256&response_type=code",
				Response: "error page HTTP 400 at https://kc.example.com/realms/demo/protocol/openid-connect/auth\n\n" + scriptPage}}},
		"rfc7636.plain-policy": {Status: results.Skip, Summary: "the server does not offer plain; nothing to verify under plain: forbidden"},
		"rfc6749.code-race": {Status: results.Error,
			Summary:  "could not mint a code: the login page did not load within 10s",
			Evidence: []results.Evidence{}},
		"rfc6749.no-store": {Status: results.Waived, DurationMS: 412,
			Summary:  "token responses carry Cache-Control: private instead of no-store",
			Waiver:   &results.Waiver{Reason: "proxy rewrites Cache-Control; OPS-1234", Expires: "2026-06-30", Status: results.Fail},
			Evidence: []results.Evidence{{Probe: "successful redemption", Request: tokenRequest("code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), Response: "HTTP 200 OK\nCache-Control: private\nContent-Type: application/json\n\n{\"access_token\":\"[REDACTED]\",\"token_type\":\"Bearer\"}"}}},
		"rfc6749.duplicate-params": {Status: results.Warn, Summary: "two code_verifier parameters were accepted (the first one was used)"},
		"info.error-iss":           {Status: results.Warn, Summary: "error redirects carry no iss parameter"},
	}
	for _, req := range requirements.All() {
		r, ok := special[string(req.ID)]
		if !ok {
			r = results.Result{Status: results.Pass, Summary: req.Passes,
				Evidence: []results.Evidence{{Probe: string(req.ID) + " probe", Request: tokenRequest("code_verifier=x"), Response: invalidGrant}}}
		}
		r.ID, r.Source, r.Level = string(req.ID), req.Source, string(req.Level)
		run.Results = append(run.Results, r)
	}
	return run
}

// hostile is text a server could send back that is hostile to every report
// format: markup, CDATA end, quotes, table pipes, backticks, line breaks and
// control characters XML 1.0 forbids.
const hostile = "<script>alert(1)</script> ]]> \"dq\" 'sq' a|b `tick` ``two`` & &amp; \r\n" +
	"second line\x00nul\x01soh\x08bs\x0bvt\x0cff\x1besc\x7fdel \xff bad utf8 \uFFFE $x$ *em* _u_ [l](http://x) @team"

// hostileRun is a small run whose every free text is hostile.
func hostileRun() *results.Run {
	ev := []results.Evidence{{Probe: "probe " + hostile, Request: "POST /token\n\n" + hostile, Response: "HTTP 400\n\n" + hostile}}
	run := &results.Run{
		Tool:      results.Tool{Name: "pkcecheck", Version: "dev " + hostile},
		Target:    results.Target{Name: "target " + hostile, Issuer: "https://x.example/" + hostile},
		Policy:    results.Policy{PKCERequired: "all", Plain: "allowed", ErrorCodes: "lenient"},
		Stats:     results.Stats{DurationMS: 1500, Logins: 1, CodesMinted: 5, HTTPRequests: 9},
		Generated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Notes:     []results.Note{{Kind: results.NoteWaiverStale, ID: "rfc6749.no-store", Text: "note " + hostile}},
	}
	statuses := []results.Status{results.Pass, results.Fail, results.Warn, results.Skip, results.Error, results.Waived}
	for i, s := range statuses {
		req := requirements.All()[i]
		r := results.Result{ID: string(req.ID), Source: req.Source + " " + hostile, Level: string(req.Level), Status: s,
			Summary: fmt.Sprintf("%s summary %s", s, hostile), Evidence: ev}
		if s == results.Waived {
			r.Waiver = &results.Waiver{Reason: "reason " + hostile, Expires: "2027-01-01", Status: results.Fail}
		}
		run.Results = append(run.Results, r)
	}
	return run
}
