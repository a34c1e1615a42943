package suites

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/form"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// parSpecs labels the specs of this file.
var parSpecs = declareSpecs(requirements.PARPKCEValidated, requirements.PARRequestURIOnce,
	requirements.PARClientBound, requirements.PARFrontChannelOverride)

// skipUnlessPAR skips the spec where the server has no PAR endpoint.
func skipUnlessPAR(t *Target) {
	if t.parEndpoint() == "" {
		ginkgo.Skip("the metadata names no pushed_authorization_request_endpoint")
	}
}

// registerPAR registers the PKCE rules of pushed authorization requests
// (RFC 9126): the PAR endpoint validates PKCE as /authorize would (§2.1),
// a request_uri is used once (§4) and only by its client, and parameters
// added on the front channel cannot replace the pushed challenge (§4,
// RFC 9101 §6.3).
func registerPAR(t *Target) {
	ginkgo.Describe("pushed authorization requests", func() {
		registerPARValidated(t)
		registerPAROnce(t)
		registerPARClientBound(t)
		registerPARFrontChannel(t)
	})
}

// parBadRequest is a pushed request the PAR endpoint must refuse.
type parBadRequest struct {
	name    string
	applies func(p profiles.Policy, role string) string // "" or why it does not apply to the client
	req     func() authRequest
	should  bool // a SHOULD-level rule (repeated parameters): warn
}

var parBadRequests = []parBadRequest{
	{"without code_challenge", func(p profiles.Policy, role string) string {
		if !pkceRequiredFor(p.PKCERequired, role) {
			return "policy pkce_required: " + p.PKCERequired + " does not require PKCE for the " + role + " client"
		}
		return ""
	}, func() authRequest { return authRequest{} }, false},
	{"with code_challenge_method S512", nil, func() authRequest {
		return authRequest{Challenge: newPair(43).Challenge, Method: "S512"}
	}, false},
	{"with code_challenge_method plain", func(p profiles.Policy, _ string) string {
		if p.Plain == profiles.PlainAllowed {
			return "policy plain: allowed"
		}
		return ""
	}, func() authRequest { return authRequest{Challenge: newVerifier(64), Method: pkce.MethodPlain} }, false},
	{"with code_challenge twice", nil, func() authRequest {
		return authRequest{Challenge: newPair(43).Challenge, Method: pkce.MethodS256, Raw: form.Params{{"code_challenge", newPair(43).Challenge}}}
	}, true},
}

// registerPARValidated: rfc9126.par-pkce-validated, for every client and
// authentication method of the profile (the PAR endpoint authenticates the
// client, and each method may take its own path). Each bad request is
// refused with 400 invalid_request and no request_uri. A request_uri
// issued for one is a failure where /authorize refuses the same request
// directly (the PAR path validates less); where /authorize accepts it too,
// the /authorize requirements judge it. A client the PAR endpoint cannot
// authenticate is skipped.
func registerPARValidated(t *Target) {
	for _, cp := range authPairs(t.Profile) {
		for _, b := range parBadRequests {
			ginkgo.It("refuses a pushed request "+b.name+": "+cp.name(), parSpecs.label(requirements.PARPKCEValidated), func(ctx ginkgo.SpecContext) {
				skipUnlessPAR(t)
				if b.applies != nil {
					if why := b.applies(t.Profile.Policy, cp.role); why != "" {
						ginkgo.Skip(why)
					}
				}
				c := cp.client
				ar := b.req()
				p := t.push(ctx, cp.name()+", pushed request "+b.name, c, ar)
				if p.uri == "" && unauthenticated(p.resp) {
					// Is the client unknown to the PAR endpoint, or only
					// this request refused with the wrong status?
					if ctl := t.push(ctx, cp.name()+", control: pushed S256 request", c, s256(newPair(43))); ctl.uri == "" && unauthenticated(ctl.resp) {
						skipClient(cp, "the PAR endpoint", ctl.resp)
					}
				}
				if p.uri != "" {
					// Where /authorize takes the same request (directly, or
					// through this request_uri where PAR is required), the
					// /authorize requirements judge it.
					direct := t.authorizeURI(ctx, c, p, nil)
					if !t.requirePAR() {
						direct = t.authorize(ctx, c, ar)
					}
					if direct.Code != "" {
						note("%s: a request_uri was issued for a request %s, which /authorize accepts too (judged by the /authorize requirements)", cp.name(), b.name)
						return
					}
					msg := fmt.Sprintf("the PAR endpoint issued a request_uri for a request %s (HTTP %d)", b.name, p.resp.Status)
					if b.should {
						warnf("%s", msg)
					}
					failAs(gravityCode, msg)
				}
				if p.resp.Status != 400 || p.resp.Err == nil || p.resp.Err.Code != "invalid_request" {
					got := fmt.Sprintf("HTTP %d", p.resp.Status)
					if p.resp.Err != nil {
						got += " " + p.resp.Err.Code
					}
					if !t.lenient() {
						failAs(gravityForm, fmt.Sprintf("refused (no request_uri), but with %s; RFC 9126 §2.3 says 400 invalid_request (only the code was wrong)", got))
					}
					note("%s: refused (no request_uri) with %s; RFC 9126 §2.3 says 400 invalid_request", cp.name(), got)
				}
			})
		}
	}
}

// pushedCode pushes an S256 request for cp's client and follows its
// request_uri; the probe needs the code.
func (t *Target) pushedCode(ctx ginkgo.SpecContext, cp authPair, pair pkce.Pair) (pushedRequest, *authz.Response) {
	p := t.pushValid(ctx, cp, pair)
	return p, t.authorizeURI(ctx, cp.client, p, nil)
}

// pushValid pushes a valid S256 request for cp's client; the probe needs
// its request_uri. A client the PAR endpoint cannot authenticate is
// skipped; any other refusal means the probe cannot run.
func (t *Target) pushValid(ctx ginkgo.SpecContext, cp authPair, pair pkce.Pair) pushedRequest {
	p := t.push(ctx, cp.name()+", pushed S256 request", cp.client, s256(pair))
	switch {
	case p.uri != "":
	case unauthenticated(p.resp):
		skipClient(cp, "the PAR endpoint", p.resp)
	default:
		harnessError("the PAR endpoint refused a valid S256 request (HTTP %d); the probe needs a request_uri", p.resp.Status)
	}
	return p
}

// registerPAROnce: rfc9126.par-request-uri-once (SHOULD), for each client.
func registerPAROnce(t *Target) {
	for _, cp := range profileClients(t.Profile) {
		ginkgo.It("honours a request_uri once: "+cp.name(), parSpecs.label(requirements.PARRequestURIOnce), func(ctx ginkgo.SpecContext) {
			skipUnlessPAR(t)
			c := cp.client
			pair := newPair(43)
			p, first := t.pushedCode(ctx, cp, pair)
			if first.Code == "" {
				harnessError("no code for a fresh request_uri (%s); the probe needs one", outcome(first))
			}
			// The first code stays unredeemed: a server that frees the
			// request_uri only once its code is redeemed is caught too.
			if again := t.authorizeURI(ctx, c, p, nil); again.Code != "" {
				failAs(gravityCode, "a second authorization with the same request_uri got another code")
			}
			if r := t.redeem(ctx, cp.name()+", the first code, right verifier", c, first.Code, &pair.Verifier); !r.Issued() {
				note("%s: the first code was refused after the request_uri was reused (%s)", cp.name(), answer(r))
			}
		})
	}
}

// registerPARClientBound: rfc9126.par-client-bound, for each client that
// pushes; clients.other names the front channel's client.
func registerPARClientBound(t *Target) {
	for _, cp := range profileClients(t.Profile) {
		ginkgo.It("honours a request_uri only for the client that pushed it: "+cp.name(), parSpecs.label(requirements.PARClientBound), func(ctx ginkgo.SpecContext) {
			skipUnlessPAR(t)
			other := needClient(t.Profile.Clients.Other, "other")
			p := t.pushValid(ctx, cp, newPair(43))
			req := &authz.Request{Endpoint: t.Endpoints.Authorization}
			req.Params.Add("client_id", other.ID)
			req.Params.Add("request_uri", p.uri)
			if r := t.browse(ctx, other, req, p.state); r.Code != "" {
				failAs(gravityCode, fmt.Sprintf("client %s got a code with the request_uri that the %s pushed", other.ID, cp.name()))
			}
		})
	}
}

// registerPARFrontChannel: rfc9126.par-front-channel-override, for each
// client. A code_challenge sent next to request_uri, or
// code_challenge_method=plain, must not change what the code is bound to.
func registerPARFrontChannel(t *Target) {
	ginkgo.Describe("PKCE parameters on the front channel", parSpecs.label(requirements.PARFrontChannelOverride), func() {
		for _, cp := range profileClients(t.Profile) {
			ginkgo.It("cannot replace the pushed challenge: "+cp.name(), func(ctx ginkgo.SpecContext) {
				skipUnlessPAR(t)
				c := cp.client
				pushedPair, front := newPair(43), newPair(43)
				p := t.pushValid(ctx, cp, pushedPair)
				r := t.authorizeURI(ctx, c, p, form.Params{{"code_challenge", front.Challenge}, {"code_challenge_method", pkce.MethodS256}})
				if r.Code == "" {
					note("%s: a front-channel challenge next to request_uri was refused (%s)", cp.name(), outcome(r))
					return
				}
				if t.redeem(ctx, cp.name()+", the front-channel challenge's verifier", c, r.Code, &front.Verifier).Issued() {
					// Unless this client's codes take any verifier (PKCE not
					// enforced for it: rfc9700.confidential-pkce's and
					// rfc9700.pkce-per-auth-method's business).
					_, control := t.pushedCode(ctx, cp, newPair(43))
					wrong := newVerifier(43)
					if control.Code != "" && t.redeem(ctx, cp.name()+", control: a pushed code, a wrong verifier", c, control.Code, &wrong).Issued() {
						note("%s: a wrong verifier redeems this client's pushed codes anyway (judged by rfc9700.confidential-pkce and rfc9700.pkce-per-auth-method)", cp.name())
						return
					}
					failAs(gravityTokens, "the code was redeemed with the verifier of the front-channel challenge: it replaced the pushed one")
				}
			})
			ginkgo.It("cannot switch the pushed method to plain: "+cp.name(), func(ctx ginkgo.SpecContext) {
				skipUnlessPAR(t)
				c := cp.client
				pair := newPair(43)
				p := t.pushValid(ctx, cp, pair)
				r := t.authorizeURI(ctx, c, p, form.Params{{"code_challenge_method", pkce.MethodPlain}})
				if r.Code == "" {
					note("%s: code_challenge_method=plain next to request_uri was refused (%s)", cp.name(), outcome(r))
					return
				}
				if !t.redeem(ctx, cp.name()+", the pushed challenge as a plain verifier", c, r.Code, &pair.Challenge).Issued() {
					return
				}
				// Unless any S256 code takes its challenge as verifier
				// (rfc7636.method-bound's business).
				_, control := t.pushedCode(ctx, cp, pair)
				if control.Code != "" && t.redeem(ctx, cp.name()+", control: a plain pushed flow, challenge as verifier", c, control.Code, &pair.Challenge).Issued() {
					note("%s: the challenge redeems S256 codes anyway (judged by rfc7636.method-bound)", cp.name())
					return
				}
				failAs(gravityTokens, "the code was redeemed with the pushed challenge as a plain verifier: the front-channel method replaced the pushed S256")
			})
		}
	})
}
