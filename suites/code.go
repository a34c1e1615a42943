package suites

import (
	"context"
	"fmt"
	"github.com/pkcecheck/pkcecheck/requirements"
	"net/url"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// codeSpecs labels the specs of this file.
var codeSpecs = declareSpecs(requirements.CodeSingleUse, requirements.ReuseRevokes, requirements.CodeClientBound, requirements.RedirectURIBound, requirements.CodeRace)

// registerCode registers the authorization-code rules of RFC 6749 §4.1.2
// and §4.1.3: single use, revocation after a replay, single use under
// concurrency, and the binding of a code to its client and redirect_uri.
func registerCode(t *Target) {
	ginkgo.Describe("authorization code", func() {
		ginkgo.It("cannot be redeemed twice", codeSpecs.label(requirements.CodeSingleUse), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			first := t.redeem(ctx, "first redemption", pub, code, &pair.Verifier)
			if !first.Issued() {
				harnessError("the first redemption with the right verifier was refused (%s); single use cannot be checked", answer(first))
			}
			t.expectRejected(t.redeem(ctx, "second redemption", pub, code, &pair.Verifier), invalidGrant)
		})

		ginkgo.It("revokes the tokens of a replayed code", codeSpecs.label(requirements.ReuseRevokes), func(ctx ginkgo.SpecContext) {
			checks := t.tokenChecks()
			if len(checks) == 0 {
				ginkgo.Skip("no userinfo or introspection endpoint to check the tokens with")
			}
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			first := t.redeem(ctx, "first redemption", pub, code, &pair.Verifier)
			if !first.Issued() {
				harnessError("the first redemption with the right verifier was refused (%s); revocation cannot be checked", answer(first))
			}
			token := first.AccessToken()
			// Use the first way that confirms the fresh token works.
			var check *tokenCheck
			for i := range checks {
				if checks[i].check(ctx, checks[i].name+" before the replay", token) == tokenValid {
					check = &checks[i]
					break
				}
			}
			if check == nil {
				harnessError("the first access token could not be confirmed to work (userinfo or introspection), so its revocation cannot be judged")
			}
			t.redeem(ctx, "replay", pub, code, &pair.Verifier) // judged by rfc6749.code-single-use
			switch check.check(ctx, check.name+" after the replay", token) {
			case tokenValid:
				warnf("the access token from the first redemption still works (%s) after the code was replayed", check.name)
			case tokenUnknown:
				harnessError("%s gave no clear answer about the first access token after the replay", check.name)
			}
			note("checked with %s", check.name)
		})

		registerRace(t)

		for _, role := range []string{"other", "confidential"} {
			ginkgo.It("cannot be redeemed by another client: "+role, codeSpecs.label(requirements.CodeClientBound), func(ctx ginkgo.SpecContext) {
				other := t.Profile.Clients.Other
				if role == "confidential" {
					other = t.Profile.Clients.Confidential
				}
				needClient(other, role)
				pub := t.Profile.Clients.Public
				pair := newPair(43)
				code := t.mustCode(ctx, pub, s256(pair))
				// The right verifier and redirect_uri: only the client differs.
				req := tokenclient.CodeRequest(clientAuth(other), code, pub.RedirectURI, &pair.Verifier)
				t.expectRejected(t.exchange(ctx, "redeemed as "+other.ID, req), []string{"invalid_grant", "invalid_client"})
			})
		}

		ginkgo.It("cannot be redeemed with a changed redirect_uri", codeSpecs.label(requirements.RedirectURIBound), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			changed := extendURI(pub.RedirectURI)
			req := tokenclient.CodeRequest(clientAuth(pub), code, changed, &pair.Verifier)
			t.expectRejected(t.exchange(ctx, "changed redirect_uri", req), invalidGrant)
		})

		ginkgo.It("is not redeemed without the redirect_uri it was issued for", codeSpecs.label(requirements.RedirectURIBound), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			r := t.exchange(ctx, "no redirect_uri", tokenclient.CodeRequest(clientAuth(pub), code, "", &pair.Verifier))
			if r.Issued() {
				warnf("tokens issued without the redirect_uri sent at /authorize (RFC 6749 §4.1.3 requires it; OAuth 2.1 lets PKCE clients omit it)")
			}
			note("a missing one is refused too")
		})
	})
}

// extendURI returns uri with one more path segment: a different redirect
// URI that a prefix comparison would still accept.
func extendURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return uri + "/pkcecheck"
	}
	u = u.JoinPath("pkcecheck")
	return u.String()
}

// racers is how many concurrent redemptions the race sends.
const racers = 10

// registerRace registers rfc6749.code-race: one code, redeemed by racers
// requests released together. The requests skip the rate limiter's spacing
// (httpclient.Unthrottled) but are counted and paid for afterwards.
func registerRace(t *Target) {
	ginkgo.It(fmt.Sprintf("is redeemed at most once by %d concurrent requests", racers), codeSpecs.label(requirements.CodeRace), func(ctx ginkgo.SpecContext) {
		pub := t.Profile.Clients.Public
		pair := newPair(43)
		code := t.mustCode(ctx, pub, s256(pair))
		resps, errs := t.race(ctx, func() *tokenclient.Request {
			return tokenclient.CodeRequest(clientAuth(pub), code, pub.RedirectURI, &pair.Verifier)
		})
		won, unanswered := 0, 0
		var odd []string
		for i, r := range resps {
			if errs[i] != nil {
				unanswered++
				evidence(fmt.Sprintf("redemption %d of %d", i+1, racers), "POST "+t.Redactor.URL(t.Endpoints.Token), "no answer: "+t.Redactor.String(errs[i].Error()))
				continue
			}
			ev := r.Evidence
			ev.Probe = fmt.Sprintf("redemption %d of %d", i+1, racers)
			if r.Status >= 500 {
				serverError(ev.Probe, r.Status)
				ev.Probe += ": " + serverErrorText(r.Status)
			}
			record(ev)
			switch {
			case r.Issued():
				won++
			case t.lenient() && r.Status < 500:
				t.deferRefusal(r, invalidGrant) // any refusal loses; error-response judges its form
			case r.Status != 400 || r.Err == nil:
				odd = append(odd, answer(r))
			}
		}
		switch {
		case won > 1 && len(odd) > 0:
			failAs(gravityTokens, fmt.Sprintf("%d of %d concurrent redemptions of one code got tokens; the %d losing ones were refused, not with a 400 error: %s",
				won, racers, len(odd), strings.Join(dedupe(odd), ", ")))
		case won > 1:
			failAs(gravityTokens, fmt.Sprintf("%d of %d concurrent redemptions of one code got tokens", won, racers))
		case unanswered > 0:
			harnessError("%d of %d concurrent redemptions got no answer", unanswered, racers)
		case won == 0:
			harnessError("none of %d concurrent redemptions with the right verifier got tokens", racers)
		case len(odd) > 0:
			warnf("%d losing redemptions were refused (no tokens), but not with a 400 error: %s", len(odd), strings.Join(dedupe(odd), ", "))
		}
	})
}

// race sends racers token requests built by build, released together by a
// barrier once every sender is ready, and returns their answers in order.
// The requests leave without waiting for the rate limiter.
func (t *Target) race(ctx context.Context, build func() *tokenclient.Request) ([]*tokenclient.Response, []error) {
	ctx, cancel := context.WithTimeout(httpclient.Unthrottled(ctx), t.Profile.Limits.Timeout)
	defer cancel()
	tc := tokenclient.Client{HTTP: t.HTTP, Endpoint: t.Endpoints.Token, Redactor: t.Redactor}
	resps := make([]*tokenclient.Response, racers)
	errs := make([]error, racers)
	start := make(chan struct{})
	var ready, done sync.WaitGroup
	reqs := make([]*tokenclient.Request, racers)
	for i := range racers {
		ready.Add(1)
		done.Add(1)
		req := build()
		reqs[i] = req
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			resps[i], errs[i] = tc.Exchange(ctx, req)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	annotateGroup(resps, reqs, nil)
	return resps, errs
}
