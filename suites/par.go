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
	applies func(p profiles.Policy) string // "" or why it does not apply
	req     func() authRequest
	should  bool // a SHOULD-level rule (repeated parameters): warn
}

var parBadRequests = []parBadRequest{
	{"without code_challenge", func(p profiles.Policy) string {
		if !pkceRequiredFor(p.PKCERequired, "public") {
			return "policy pkce_required: " + p.PKCERequired + " does not require PKCE for the public client"
		}
		return ""
	}, func() authRequest { return authRequest{} }, false},
	{"with code_challenge_method S512", nil, func() authRequest {
		return authRequest{Challenge: newPair(43).Challenge, Method: "S512"}
	}, false},
	{"with code_challenge_method plain", func(p profiles.Policy) string {
		if p.Plain == profiles.PlainAllowed {
			return "policy plain: allowed"
		}
		return ""
	}, func() authRequest { return authRequest{Challenge: newVerifier(64), Method: pkce.MethodPlain} }, false},
	{"with code_challenge twice", nil, func() authRequest {
		return authRequest{Challenge: newPair(43).Challenge, Method: pkce.MethodS256, Raw: form.Params{{"code_challenge", newPair(43).Challenge}}}
	}, true},
}

// registerPARValidated: rfc9126.par-pkce-validated. Each bad request is
// refused with 400 invalid_request and no request_uri. A request_uri issued
// for one is a failure where /authorize refuses the same request directly
// (the PAR path validates less); where /authorize accepts it too, the
// /authorize requirements judge it.
func registerPARValidated(t *Target) {
	for _, b := range parBadRequests {
		ginkgo.It("refuses a pushed request "+b.name, parSpecs.label(requirements.PARPKCEValidated), func(ctx ginkgo.SpecContext) {
			skipUnlessPAR(t)
			if b.applies != nil {
				if why := b.applies(t.Profile.Policy); why != "" {
					ginkgo.Skip(why)
				}
			}
			pub := t.Profile.Clients.Public
			ar := b.req()
			p := t.push(ctx, "pushed request "+b.name, pub, ar)
			if p.uri != "" {
				// Where /authorize takes the same request (directly, or
				// through this request_uri where PAR is required), the
				// /authorize requirements judge it.
				direct := t.authorizeURI(ctx, pub, p, nil)
				if !t.requirePAR() {
					direct = t.authorize(ctx, pub, ar)
				}
				if direct.Code != "" {
					note("a request_uri was issued for a request %s, which /authorize accepts too (judged by the /authorize requirements)", b.name)
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
				note("refused (no request_uri) with %s; RFC 9126 §2.3 says 400 invalid_request", got)
			}
		})
	}
}

// pushedCode pushes an S256 request for c and follows its request_uri; the
// probe needs the code.
func (t *Target) pushedCode(ctx ginkgo.SpecContext, c *profiles.Client, pair pkce.Pair) (pushedRequest, *authz.Response) {
	p := t.push(ctx, "pushed S256 request", c, s256(pair))
	if p.uri == "" {
		harnessError("the PAR endpoint refused a valid S256 request (HTTP %d); the probe needs a request_uri", p.resp.Status)
	}
	return p, t.authorizeURI(ctx, c, p, nil)
}

// registerPAROnce: rfc9126.par-request-uri-once (SHOULD).
func registerPAROnce(t *Target) {
	ginkgo.It("honours a request_uri once", parSpecs.label(requirements.PARRequestURIOnce), func(ctx ginkgo.SpecContext) {
		skipUnlessPAR(t)
		pub := t.Profile.Clients.Public
		pair := newPair(43)
		p, first := t.pushedCode(ctx, pub, pair)
		if first.Code == "" {
			harnessError("no code for a fresh request_uri (%s); the probe needs one", outcome(first))
		}
		// The first code stays unredeemed: a server that frees the
		// request_uri only once its code is redeemed is caught too.
		if again := t.authorizeURI(ctx, pub, p, nil); again.Code != "" {
			failAs(gravityCode, "a second authorization with the same request_uri got another code")
		}
		if r := t.redeem(ctx, "the first code, right verifier", pub, first.Code, &pair.Verifier); !r.Issued() {
			note("the first code was refused after the request_uri was reused (%s)", answer(r))
		}
	})
}

// registerPARClientBound: rfc9126.par-client-bound.
func registerPARClientBound(t *Target) {
	ginkgo.It("honours a request_uri only for the client that pushed it", parSpecs.label(requirements.PARClientBound), func(ctx ginkgo.SpecContext) {
		skipUnlessPAR(t)
		other := needClient(t.Profile.Clients.Other, "other")
		pub := t.Profile.Clients.Public
		p := t.push(ctx, "pushed S256 request", pub, s256(newPair(43)))
		if p.uri == "" {
			harnessError("the PAR endpoint refused a valid S256 request (HTTP %d); the probe needs a request_uri", p.resp.Status)
		}
		req := &authz.Request{Endpoint: t.Endpoints.Authorization}
		req.Params.Add("client_id", other.ID)
		req.Params.Add("request_uri", p.uri)
		if r := t.browse(ctx, other, req, p.state); r.Code != "" {
			failAs(gravityCode, fmt.Sprintf("client %s got a code with the request_uri %s pushed", other.ID, pub.ID))
		}
	})
}

// registerPARFrontChannel: rfc9126.par-front-channel-override. A
// code_challenge sent next to request_uri, or code_challenge_method=plain,
// must not change what the code is bound to.
func registerPARFrontChannel(t *Target) {
	ginkgo.Describe("PKCE parameters on the front channel", parSpecs.label(requirements.PARFrontChannelOverride), func() {
		ginkgo.It("cannot replace the pushed challenge", func(ctx ginkgo.SpecContext) {
			skipUnlessPAR(t)
			pub := t.Profile.Clients.Public
			pushedPair, front := newPair(43), newPair(43)
			p := t.push(ctx, "pushed S256 request", pub, s256(pushedPair))
			if p.uri == "" {
				harnessError("the PAR endpoint refused a valid S256 request (HTTP %d)", p.resp.Status)
			}
			r := t.authorizeURI(ctx, pub, p, form.Params{{"code_challenge", front.Challenge}, {"code_challenge_method", pkce.MethodS256}})
			if r.Code == "" {
				note("a front-channel challenge next to request_uri was refused (%s)", outcome(r))
				return
			}
			if t.redeem(ctx, "the front-channel challenge's verifier", pub, r.Code, &front.Verifier).Issued() {
				failAs(gravityTokens, "the code was redeemed with the verifier of the front-channel challenge: it replaced the pushed one")
			}
		})
		ginkgo.It("cannot switch the pushed method to plain", func(ctx ginkgo.SpecContext) {
			skipUnlessPAR(t)
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			p := t.push(ctx, "pushed S256 request", pub, s256(pair))
			if p.uri == "" {
				harnessError("the PAR endpoint refused a valid S256 request (HTTP %d)", p.resp.Status)
			}
			r := t.authorizeURI(ctx, pub, p, form.Params{{"code_challenge_method", pkce.MethodPlain}})
			if r.Code == "" {
				note("code_challenge_method=plain next to request_uri was refused (%s)", outcome(r))
				return
			}
			if !t.redeem(ctx, "the pushed challenge as a plain verifier", pub, r.Code, &pair.Challenge).Issued() {
				return
			}
			// Unless any S256 code takes its challenge as verifier
			// (rfc7636.method-bound's business).
			_, control := t.pushedCode(ctx, pub, pair)
			if control.Code != "" && t.redeem(ctx, "control: a plain pushed flow, challenge as verifier", pub, control.Code, &pair.Challenge).Issued() {
				note("the challenge redeems S256 codes anyway (judged by rfc7636.method-bound)")
				return
			}
			failAs(gravityTokens, "the code was redeemed with the pushed challenge as a plain verifier: the front-channel method replaced the pushed S256")
		})
	})
}
