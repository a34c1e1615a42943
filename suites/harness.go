package suites

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
	"github.com/pkcecheck/pkcecheck/results"
)

// authRequest describes the PKCE part of an authorization request.
// Challenge and Method are sent only when set; Raw adds parameters verbatim
// (after the standard ones), for empty and duplicated parameters.
type authRequest struct {
	Challenge string
	Method    string
	Raw       form.Params
	// ResponseType replaces response_type=code when set (hybrid flows).
	ResponseType string
}

func s256(p pkce.Pair) authRequest {
	return authRequest{Challenge: p.Challenge, Method: pkce.MethodS256}
}

// authorize sends one authorization request for client and returns what the
// server answered. It fails the spec with status error when the browser
// could not exercise the target, and checks that state came back unchanged.
//
// Where the metadata says require_pushed_authorization_requests, the request
// is pushed first (RFC 9126) and the browser sent with its request_uri; a
// refusal at the PAR endpoint comes back as an error with Pushed set.
func (t *Target) authorize(ctx context.Context, c *profiles.Client, ar authRequest) *authz.Response {
	if t.requirePAR() {
		p := t.push(ctx, "pushed authorization request", c, ar)
		if p.uri == "" {
			return p.refusal()
		}
		return t.authorizeURI(ctx, c, p, nil)
	}
	state := randomState()
	req := authz.NewRequest(t.Endpoints.Authorization, c.ID, c.RedirectURI, c.Scopes, state)
	req.AddExtra(t.Profile.AuthorizeParams)
	if ar.Challenge != "" {
		req.Params.Add("code_challenge", ar.Challenge)
	}
	if ar.Method != "" {
		req.Params.Add("code_challenge_method", ar.Method)
	}
	if ar.ResponseType != "" {
		req.Params.Set("response_type", ar.ResponseType)
	}
	req.Params = append(req.Params, ar.Raw...)
	return t.browse(ctx, c, req, state)
}

// browse runs one authorization request in the browser and checks and
// records what came back.
func (t *Target) browse(ctx context.Context, c *profiles.Client, req *authz.Request, state string) *authz.Response {
	ctx, cancel := context.WithTimeout(ctx, 3*t.Profile.Limits.Timeout)
	defer cancel()
	resp, err := t.Authorizer.Authorize(ctx, req.URL(), c.RedirectURI)
	if err != nil {
		harnessError("authorize at %s: %v", t.Endpoints.Authorization, t.Redactor.String(err.Error()))
	}
	resp.SentState = state
	minted := noteCode(resp.Code)
	if resp.Code != "" {
		t.codesMinted.Add(1)
		t.Redactor.Add(resp.Code)
		if resp.State != state {
			ginkgo.Fail(fmt.Sprintf("authorization response state %q does not match the state sent", t.Redactor.String(resp.State)))
		}
	}
	probe := "authorize"
	if resp.ErrorPage && resp.Status >= 500 {
		probe += ": " + serverErrorText(resp.Status)
		serverError("authorize", resp.Status)
	}
	record(results.Evidence{Probe: probe, Request: "GET " + t.Redactor.URL(req.URL()), Response: describeAuthz(t, resp),
		Replay: &results.Replay{Mints: minted, ClientID: c.ID}})
	return resp
}

// needClient skips the spec, with the reason, when the profile lacks the
// client it needs ("confidential" or "other").
func needClient(c *profiles.Client, role string) *profiles.Client {
	if c == nil {
		ginkgo.Skip("needs clients." + role + " in the profile")
	}
	return c
}

// mustCode mints a code for a request the server must accept; anything else
// means the probe cannot run (status error).
func (t *Target) mustCode(ctx context.Context, c *profiles.Client, ar authRequest) string {
	resp := t.authorize(ctx, c, ar)
	if resp.Code == "" {
		harnessError("the server issued no code for a valid request (%s); the probe needs one", outcome(resp))
	}
	return resp.Code
}

// redeem exchanges code at the token endpoint. verifier nil omits the
// parameter; extra parameters are appended verbatim.
func (t *Target) redeem(ctx context.Context, probe string, c *profiles.Client, code string, verifier *string, extra ...[2]string) *tokenclient.Response {
	req := tokenclient.CodeRequest(clientAuth(c), code, c.RedirectURI, verifier)
	for _, p := range extra {
		req.Set(p[0], p[1])
	}
	return t.exchange(ctx, probe, req)
}

// exchange sends a token request and records it as evidence.
func (t *Target) exchange(ctx context.Context, probe string, req *tokenclient.Request) *tokenclient.Response {
	ctx, cancel := context.WithTimeout(ctx, t.Profile.Limits.Timeout)
	defer cancel()
	tc := tokenclient.Client{HTTP: t.HTTP, Endpoint: t.Endpoints.Token, Redactor: t.Redactor}
	resp, err := tc.Exchange(ctx, req)
	if err != nil {
		harnessError("%v", t.Redactor.String(err.Error()))
	}
	ev := resp.Evidence
	ev.Probe = probe
	ev.Replay = replayOf(req, 0, 0)
	if resp.Status >= 500 {
		ev.Probe += ": " + serverErrorText(resp.Status)
		serverError(probe, resp.Status)
	}
	record(ev)
	return resp
}

func clientAuth(c *profiles.Client) tokenclient.Auth {
	return tokenclient.Auth{ClientID: c.ID, Secret: c.Secret, Method: c.AuthMethod, JWT: c.PrivateKeyJWT}
}

// harnessError ends the spec with status error: the target could not be
// exercised, so nothing is known about the requirement.
func harnessError(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	ginkgo.AddReportEntry(entryError, msg, ginkgo.ReportEntryVisibilityNever)
	ginkgo.Fail(msg, 1)
}

// warnf ends the spec with status warn: a lesser violation (a SHOULD, or
// what docs/design.md grades as a warning under a MUST requirement).
func warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	ginkgo.AddReportEntry(entryWarn, msg, ginkgo.ReportEntryVisibilityNever)
	ginkgo.Fail(msg, 1)
}

// note adds a remark that ends up in the requirement's summary.
func note(format string, args ...any) {
	ginkgo.AddReportEntry(entryNote, fmt.Sprintf(format, args...), ginkgo.ReportEntryVisibilityNever)
}

// evidence records one exchange for the current spec's requirement.
func evidence(probe, request, response string) {
	record(results.Evidence{Probe: probe, Request: request, Response: response})
}

func describeAuthz(t *Target, r *authz.Response) string {
	if r.ErrorPage {
		return fmt.Sprintf("error page HTTP %d at %s\n\n%s", r.Status, t.Redactor.URL(r.PageURL), t.Redactor.String(r.Body))
	}
	return "redirect to " + t.Redactor.URL(r.Location)
}

// outcome says in a few words what an authorization request produced.
func outcome(r *authz.Response) string {
	switch {
	case r.Code != "":
		return "a code was issued"
	case r.Error != "":
		return "error=" + r.Error
	case r.ErrorPage:
		return fmt.Sprintf("error page, HTTP %d", r.Status)
	default:
		return "redirect without code or error"
	}
}

func randomState() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

func newPair(n int) pkce.Pair {
	p, err := pkce.NewPair(n)
	if err != nil {
		harnessError("make a PKCE pair: %v", err)
	}
	return p
}

func newVerifier(n int) string {
	v, err := pkce.NewVerifier(n)
	if err != nil {
		harnessError("make a verifier: %v", err)
	}
	return v
}
