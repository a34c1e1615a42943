package refidp

// Flaw is one switchable deviation from the correct server.
type Flaw struct {
	Name        string
	Description string
	// Trips lists the requirement IDs the flaw makes fail (usually one).
	Trips []string
}

// Flaw names.
const (
	flawS256ShortOnly           = "s256-short-only"
	flawVerifierOptional        = "verifier-optional"
	flawEmptyVerifierAccepted   = "empty-verifier-accepted"
	flawPrefixCompare           = "prefix-compare"
	flawCaseInsensitiveCompare  = "case-insensitive-compare"
	flawVerifierNotBound        = "verifier-not-bound"
	flawMethodNotBound          = "method-not-bound"
	flawNoLengthCheck           = "no-length-check"
	flawNoCharsetCheck          = "no-charset-check"
	flawPKCEOptional            = "pkce-optional"
	flawLaxChallengeFormat      = "lax-challenge-format"
	flawUnknownMethodAsS256     = "unknown-method-as-s256"
	flawDefaultMethodS256       = "default-method-s256"
	flawPlainAccepted           = "plain-accepted"
	flawPlainUnadvertised       = "plain-unadvertised"
	flawErrorStatus401          = "error-status-401"
	flawReplayAllowed           = "replay-allowed"
	flawRacyRedeem              = "racy-redeem"
	flawReplayKeepsTokens       = "replay-keeps-tokens"
	flawCodeNotClientBound      = "code-not-client-bound"
	flawRedirectURIUnchecked    = "redirect-uri-unchecked"
	flawCacheableTokens         = "cacheable-tokens"
	flawDuplicateParamsFirstWin = "duplicate-params-first-wins"
	flawDowngrade               = "downgrade"
	flawConfidentialSkipsPKCE   = "confidential-skips-pkce"
	flawFailureUnbindsPKCE      = "failure-unbinds-pkce"
	flawErrorWithoutIss         = "error-without-iss"
)

// publicOnly is appended to the flaws that weaken the verifier check: they
// apply to public clients only, so the confidential client's probes
// (rfc9700.confidential-pkce) stay clean.
const publicOnly = " Public clients only; the confidential client is still checked correctly."

var flawCatalogue = []Flaw{
	{flawS256ShortOnly,
		"S256 verifiers longer than 100 characters are refused with invalid_grant (43 to 100 work)." + publicOnly,
		[]string{"rfc7636.s256-roundtrip"}},
	{flawVerifierOptional,
		"A token request with no code_verifier parameter skips the PKCE check; an empty one is still refused." + publicOnly,
		[]string{"rfc7636.verifier-missing"}},
	{flawEmptyVerifierAccepted,
		"A present but empty code_verifier skips the PKCE check; a missing one is still refused." + publicOnly,
		[]string{"rfc7636.verifier-empty"}},
	{flawPrefixCompare,
		"S256: only the first 40 characters of the computed and the stored challenge are compared." + publicOnly,
		[]string{"rfc7636.verifier-mismatch"}},
	{flawCaseInsensitiveCompare,
		"S256: the computed and the stored challenge are compared ignoring letter case." + publicOnly,
		[]string{"rfc7636.verifier-mismatch"}},
	{flawVerifierNotBound,
		"A verifier that matches the challenge of any outstanding code of the same client (unexpired and not yet named in any token request) redeems the code." + publicOnly,
		[]string{"rfc7636.verifier-swapped"}},
	{flawMethodNotBound,
		"For S256 codes, a code_verifier equal to the stored challenge is also accepted (as if plain)." + publicOnly,
		[]string{"rfc7636.method-bound"}},
	{flawNoLengthCheck,
		"The verifier length (43 to 128) is not checked; the charset check and the comparison still happen." + publicOnly,
		[]string{"rfc7636.verifier-length"}},
	{flawNoCharsetCheck,
		"The verifier charset ([A-Za-z0-9-._~]) is not checked; the length check and the comparison still happen." + publicOnly,
		[]string{"rfc7636.verifier-charset"}},
	{flawPKCEOptional,
		"Public clients get codes without a challenge: a missing or empty code_challenge means no PKCE for that code (a verifier sent for such a code is still refused).",
		[]string{"rfc7636.challenge-missing"}},
	{flawLaxChallengeFormat,
		"The code_challenge format is not checked at /authorize (wrong length, padding, +/ and non-ASCII are bound as given).",
		[]string{"rfc7636.challenge-format"}},
	{flawUnknownMethodAsS256,
		"Any code_challenge_method other than plain (S512, s256, SHA256, \"S256 \") is treated as S256.",
		[]string{"rfc7636.method-unsupported"}},
	{flawDefaultMethodS256,
		"An omitted code_challenge_method is treated as S256; the challenge is then only checked against the plain grammar (43 to 128 unreserved characters).",
		[]string{"rfc7636.method-default"}},
	{flawPlainAccepted,
		"plain is supported and advertised, and verified correctly; fails under policy plain: forbidden.",
		[]string{"rfc7636.plain-policy"}},
	{flawPlainUnadvertised,
		"plain is supported (verified correctly) but the metadata lists only S256. Under policy plain: forbidden this also trips rfc7636.plain-policy.",
		[]string{"rfc8414.methods-advertised", "rfc7636.plain-policy"}},
	{flawErrorStatus401,
		"Token errors are sent with status 401, except invalid_client and the refusal of an already-used code (kept at 400 so the race losers stay clean).",
		[]string{"rfc6749.error-response"}},
	{flawReplayAllowed,
		"A code can be redeemed again, sequentially and concurrently; each redemption revokes the tokens of the earlier ones.",
		[]string{"rfc6749.code-single-use", "rfc6749.code-race"}},
	{flawRacyRedeem,
		"Redemption is check-then-act outside the lock with a 50 ms window, so concurrent redemptions win several times; sequential replays are still refused.",
		[]string{"rfc6749.code-race"}},
	{flawReplayKeepsTokens,
		"A replayed code is refused, but the tokens issued from its first redemption stay valid.",
		[]string{"rfc6749.reuse-revokes"}},
	{flawCodeNotClientBound,
		"Any client can redeem a code issued to another client (PKCE is still checked).",
		[]string{"rfc6749.code-client-bound"}},
	{flawRedirectURIUnchecked,
		"The token endpoint ignores redirect_uri (changed or missing).",
		[]string{"rfc6749.redirect-uri-bound"}},
	{flawCacheableTokens,
		"Token endpoint responses carry no Cache-Control and no Pragma header.",
		[]string{"rfc6749.no-store"}},
	{flawDuplicateParamsFirstWin,
		"Repeated parameters are accepted at /authorize and /token; the first value wins.",
		[]string{"rfc6749.duplicate-params"}},
	{flawDowngrade,
		"A code issued without a challenge is redeemed even when a code_verifier is sent (the verifier is ignored).",
		[]string{"rfc9700.downgrade"}},
	{flawConfidentialSkipsPKCE,
		"For the confidential client the code_verifier is not checked at all (missing, empty or wrong all redeem).",
		[]string{"rfc9700.confidential-pkce"}},
	{flawFailureUnbindsPKCE,
		"For the confidential client a failed PKCE check removes the code's challenge instead of burning the code, so a retry without code_verifier redeems it (Ory fosite's order of operations; ory/fosite#883).",
		[]string{"rfc9700.confidential-pkce"}},
	{flawErrorWithoutIss,
		"Error redirects from /authorize carry no iss, though the metadata advertises authorization_response_iss_parameter_supported (code redirects still carry it).",
		[]string{"info.error-iss"}},
}

// Flaws returns the flaw catalogue in its stable order.
func Flaws() []Flaw {
	out := make([]Flaw, len(flawCatalogue))
	for i, f := range flawCatalogue {
		f.Trips = append([]string(nil), f.Trips...)
		out[i] = f
	}
	return out
}
