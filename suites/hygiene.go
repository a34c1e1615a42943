package suites

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// hygieneSpecs labels the specs of this file.
var hygieneSpecs = declareSpecs(requirements.ErrorCharset, requirements.RedirectKeepsQuery)

// badChars are characters RFC 6749 §5.2 keeps out of error texts: a
// server that quotes its input back must filter them.
const badChars = "\"\\ é<"

// registerHygiene registers error hygiene: the characters of error texts
// (RFC 6749 §5.2) and the redirect URI's own query on redirects (§3.1.2).
func registerHygiene(t *Target) {
	ginkgo.Describe("error texts", hygieneSpecs.label(requirements.ErrorCharset), func() {
		ginkgo.It("of the token endpoint use only the characters RFC 6749 §5.2 allows", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			bad := pair.Verifier[:40] + badChars
			var problems []string
			for _, probe := range []struct {
				name string
				r    *tokenclient.Response
			}{
				{"code_verifier with illegal characters", t.redeem(ctx, "code_verifier with illegal characters", pub, code, &bad)},
				{"unknown code with illegal characters", t.redeem(ctx, "unknown code with illegal characters", pub, "pkcecheck"+badChars+randomState(), &pair.Verifier)},
			} {
				if probe.r.Err == nil {
					continue // judged by the probe's own requirement
				}
				problems = append(problems, errorTextProblems(probe.name, probe.r.Err.Description, probe.r.Err.URI)...)
			}
			if len(problems) > 0 {
				ginkgo.Fail(strings.Join(problems, "; "))
			}
		})

		ginkgo.It("of authorization error redirects use only the characters RFC 6749 §5.2 allows", func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			var problems []string
			for _, probe := range []struct {
				name string
				ar   authRequest
			}{
				{"code_challenge_method with illegal characters", authRequest{Challenge: pair.Challenge, Method: pkce.MethodS256 + badChars}},
				{"code_challenge with illegal characters", authRequest{Challenge: pair.Challenge[:36] + badChars, Method: pkce.MethodS256}},
			} {
				r := t.authorize(ctx, pub, probe.ar)
				if r.Error == "" {
					note("%s: %s, no error redirect to judge", probe.name, outcome(r))
					continue
				}
				problems = append(problems, errorTextProblems(probe.name, r.ErrorDescription, r.ErrorURI)...)
			}
			if len(problems) > 0 {
				ginkgo.Fail(strings.Join(problems, "; "))
			}
		})
	})

	ginkgo.Describe("redirects to a redirect URI with a query", hygieneSpecs.label(requirements.RedirectKeepsQuery), func() {
		ginkgo.It("keep its parameters beside the code", func(ctx ginkgo.SpecContext) {
			c := queryClient(t)
			r := t.authorize(ctx, c, s256(newPair(43)))
			if r.Code == "" {
				harnessError("no code for a valid request to the redirect URI with a query (%s)", outcome(r))
			}
			if missing := lostQuery(c.RedirectURI, r.Location); len(missing) > 0 {
				ginkgo.Fail("the code redirect lost the redirect URI's own " + strings.Join(missing, ", "))
			}
		})

		ginkgo.It("keep its parameters beside the error", func(ctx ginkgo.SpecContext) {
			c := queryClient(t)
			r := t.authorize(ctx, c, authRequest{Challenge: newPair(43).Challenge, Method: "S512"})
			missing := lostQuery(c.RedirectURI, r.Location)
			switch {
			case r.Location == "" && !r.ErrorPage && r.Code == "":
				ginkgo.Skip("refused before any redirect (at the pushed authorization request endpoint): no error redirect to check")
			case r.ErrorPage:
				ginkgo.Skip(fmt.Sprintf("the server shows an error page (HTTP %d), not an error redirect", r.Status))
			case r.Code != "":
				ginkgo.Skip("a code was issued for code_challenge_method=S512 (judged by rfc7636.method-unsupported): no error redirect to check")
			case r.Error == "" && len(missing) > 0:
				ginkgo.Fail("the error redirect has no error parameter and lost the redirect URI's own " + strings.Join(missing, ", ") + " (was its query appended with a second '?'?)")
			case len(missing) > 0:
				ginkgo.Fail(fmt.Sprintf("the error redirect (error=%s) lost the redirect URI's own %s", r.Error, strings.Join(missing, ", ")))
			case r.Error == "":
				ginkgo.Fail("redirected without a code or an error")
			}
		})
	})
}

// queryClient is the first client of public and other that names a
// redirect URI with a query, set to use it; it skips the spec when neither
// does.
func queryClient(t *Target) *profiles.Client {
	for _, c := range []*profiles.Client{t.Profile.Clients.Public, t.Profile.Clients.Other} {
		if c != nil && c.RedirectURIWithQuery != "" {
			q := *c
			q.RedirectURI = c.RedirectURIWithQuery
			return &q
		}
	}
	ginkgo.Skip("needs redirect_uri_with_query on clients.public or clients.other in the profile")
	return nil
}

// lostQuery lists the parameters of redirectURI's query that location does
// not carry with the same value ("name=value" each).
func lostQuery(redirectURI, location string) []string {
	want, err1 := url.Parse(redirectURI)
	got, err2 := url.Parse(location)
	if err1 != nil || err2 != nil {
		return []string{"query (the redirect does not parse)"}
	}
	have := got.Query()
	var out []string
	for name, vals := range want.Query() {
		for _, v := range vals {
			if !contains(have[name], v) {
				out = append(out, "parameter "+name+"="+v)
			}
		}
	}
	return out
}

// errorTextProblems describes the characters of an error_description and
// error_uri that RFC 6749 §5.2 does not allow.
func errorTextProblems(probe, desc, uri string) []string {
	var out []string
	if c, ok := illegalChar(desc, true); ok {
		out = append(out, fmt.Sprintf("%s: error_description has %U", probe, c))
	}
	if c, ok := illegalChar(uri, false); ok {
		out = append(out, fmt.Sprintf("%s: error_uri has %U", probe, c))
	}
	return out
}

// illegalChar returns the first character of s outside %x21 / %x23-5B /
// %x5D-7E, with %x20 allowed too when space is set (error_description).
func illegalChar(s string, space bool) (rune, bool) {
	for _, c := range s {
		ok := c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || (space && c == 0x20)
		if !ok {
			return c, true
		}
	}
	return 0, false
}
