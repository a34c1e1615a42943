package requirements

import "slices"

// notFuzzed says, for each MUST and SHOULD requirement that no rule of the
// fuzz oracle judges, why `pkcecheck fuzz` does not judge it. A fuzz case is
// one registration at /authorize (a challenge and a method, for one client,
// in the query response mode) and one token request with its code, judged
// only on whether a code and tokens were issued; what lies outside that
// shape is checked by `pkcecheck run` alone. `pkcecheck list --where`
// prints the reason, and internal/links fails for a requirement with
// neither an oracle rule nor a reason here (or with both).
var notFuzzed = map[ID]string{
	VerifierSwapped:         "needs two live flows of one client at once; a fuzz case is one registration and its own token request",
	ChallengeMissing:        "depends on the policy's pkce_required per client; every fuzz case registers a challenge (the grammar varies its form, not its absence)",
	ErrorResponse:           "judges the form of error answers (status, JSON, error code); fuzz judges whether a code or tokens were issued",
	ErrorCharset:            "judges the characters of error texts; fuzz judges whether a code or tokens were issued, not what an error says",
	RedirectKeepsQuery:      "needs a redirect URI registered with its own query; fuzz cases use the client's one redirect URI",
	CodeSingleUse:           "a replay: a second token request on a redeemed code; each fuzz case spends its code once",
	ReuseRevokes:            "a sequence: tokens of a first redemption checked after a replay; fuzz cases are independent requests",
	CodeRace:                "a timing property: concurrent redemptions of one code; fuzz cases are independent requests",
	CodeRaceMixed:           "a timing property: concurrent redemptions of one code with different verifiers; fuzz cases are independent requests",
	RefreshAfterPKCE:        "uses the refresh grant after the code exchange; fuzz sends only authorization-code token requests",
	ReplayRevokesRefresh:    "a sequence: a refresh, then a replay of the code, then the refreshed token; fuzz cases are independent requests",
	CodeLifetime:            "a timing property: a code must grow older than max_code_age; fuzz redeems each code at once",
	CodeClientBound:         "a code minted for one client and redeemed by another; a fuzz case redeems its code with the client that got it",
	RedirectURIBound:        "varies redirect_uri at the token endpoint, which fuzz always sends as registered; its grammar is the PKCE parameters",
	NoStore:                 "a header on every token response, checked by run on all of them; it does not depend on the PKCE values fuzz varies",
	Downgrade:               "needs a code issued without a challenge; every fuzz case registers one",
	ConfidentialPKCE:        "run's judgement of the confidential client as such (a challenge sent, then no or a wrong verifier); a fuzz finding with that client names rfc9700.pkce-per-auth-method, or the requirement of the rule it breaks, instead",
	MethodsAdvertised:       "compares the metadata with what /authorize accepts; the oracle does not read the metadata",
	FormPostEnforced:        "codes delivered with response_mode=form_post; fuzz cases use the query response mode",
	FragmentEnforced:        "codes delivered in the fragment; fuzz cases use the query response mode",
	MethodWithoutChallenge:  "a method sent without a challenge; every fuzz case registers a challenge",
	PARPKCEValidated:        "judges the answer of the PAR endpoint to a pushed request; fuzz judges codes and tokens, and /authorize's own rules judge the same values",
	PARRequestURIOnce:       "a sequence: a request_uri used a second time; fuzz cases are independent requests",
	PARClientBound:          "a request_uri pushed by one client and used by another; a fuzz case is one client's",
	PARFrontChannelOverride: "PKCE parameters sent next to a request_uri; fuzz sends one registration per authorization request",
	OAuth21MethodRequired:   "judged only under policy.profile oauth2.1-draft16; the oracle follows RFC 7636, where an omitted method means plain",
	OAuth21PlainProhibited:  "judged only under policy.profile oauth2.1-draft16 and against the metadata; the oracle judges plain by policy.plain (token.plain-forbidden)",
	IssRequired:             "a parameter of every authorization response, whatever its PKCE values; run checks it on success and error redirects",
	ChallengeNotEchoed:      "looks for the challenge in what the responses carry; fuzz judges whether a code or tokens were issued, not the responses' content",
}

// NotFuzzed returns why no fuzz oracle rule judges id, and whether a
// reason is recorded.
func NotFuzzed(id ID) (string, bool) {
	r, ok := notFuzzed[id]
	return r, ok
}

// NotFuzzedIDs returns the requirements with a recorded reason, sorted.
func NotFuzzedIDs() []ID {
	out := make([]ID, 0, len(notFuzzed))
	for id := range notFuzzed {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
