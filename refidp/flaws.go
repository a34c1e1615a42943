package refidp

import "github.com/pkcecheck/pkcecheck/requirements"

// Flaw is one switchable deviation from the correct server.
type Flaw struct {
	Name        string
	Description string
	// Trips lists the requirement IDs the flaw makes fail (usually one).
	Trips []requirements.ID
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
	flawDefaultMethodS256Strict = "default-method-s256-strict"
	flawDefaultPlainImplicit    = "default-plain-implicit"
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
		[]requirements.ID{requirements.S256Roundtrip}},
	{flawVerifierOptional,
		"A token request with no code_verifier parameter skips the PKCE check; an empty one is still refused." + publicOnly,
		[]requirements.ID{requirements.VerifierMissing}},
	{flawEmptyVerifierAccepted,
		"A present but empty code_verifier skips the PKCE check; a missing one is still refused." + publicOnly,
		[]requirements.ID{requirements.VerifierEmpty}},
	{flawPrefixCompare,
		"S256: only the first 40 characters of the computed and the stored challenge are compared." + publicOnly,
		[]requirements.ID{requirements.VerifierMismatch}},
	{flawCaseInsensitiveCompare,
		"S256: the computed and the stored challenge are compared ignoring letter case." + publicOnly,
		[]requirements.ID{requirements.VerifierMismatch}},
	{flawVerifierNotBound,
		"A verifier that matches the challenge of any outstanding code of the same client (unexpired and not yet named in any token request) redeems the code." + publicOnly,
		[]requirements.ID{requirements.VerifierSwapped}},
	{flawMethodNotBound,
		"For S256 codes, a code_verifier equal to the stored challenge is also accepted (as if plain)." + publicOnly,
		[]requirements.ID{requirements.MethodBound}},
	{flawNoLengthCheck,
		"The verifier length (43 to 128) is not checked; the charset check and the comparison still happen." + publicOnly,
		[]requirements.ID{requirements.VerifierLength}},
	{flawNoCharsetCheck,
		"The verifier charset ([A-Za-z0-9-._~]) is not checked; the length check and the comparison still happen." + publicOnly,
		[]requirements.ID{requirements.VerifierCharset}},
	{flawPKCEOptional,
		"Public clients get codes without a challenge: a missing or empty code_challenge means no PKCE for that code (a verifier sent for such a code is still refused).",
		[]requirements.ID{requirements.ChallengeMissing}},
	{flawLaxChallengeFormat,
		"The code_challenge format is not checked at /authorize (wrong length, padding, +/ and non-ASCII are bound as given).",
		[]requirements.ID{requirements.ChallengeFormat}},
	{flawUnknownMethodAsS256,
		"Any code_challenge_method other than plain (S512, s256, SHA256, \"S256 \") is treated as S256.",
		[]requirements.ID{requirements.MethodUnsupported}},
	{flawDefaultMethodS256,
		"An omitted code_challenge_method is treated as S256; the challenge is then only checked against the plain grammar (43 to 128 unreserved characters), so any such challenge gets a code that its S256 preimage redeems.",
		[]requirements.ID{requirements.MethodDefault}},
	{flawDefaultMethodS256Strict,
		"An omitted code_challenge_method is treated as S256 and the challenge checked as an S256 value (43 base64url characters): a 64-character challenge is refused, but S256(V) without a method gets a code that V redeems (the server of the field report).",
		[]requirements.ID{requirements.MethodDefault}},
	{flawDefaultPlainImplicit,
		"code_challenge_method=plain is refused when named, but an omitted method is treated as plain and verified as plain (plain applied only where it is left implicit, as Microsoft and Apereo CAS document it).",
		[]requirements.ID{requirements.MethodDefault}},
	{flawPlainAccepted,
		"plain is supported and advertised, and verified correctly; under policy plain: forbidden this fails plain-policy, and method-default too (an omitted method, which means plain, gets a code).",
		[]requirements.ID{requirements.PlainPolicy, requirements.MethodDefault}},
	{flawPlainUnadvertised,
		"plain is supported (verified correctly) but the metadata lists only S256. Under policy plain: forbidden this also trips rfc7636.plain-policy and rfc7636.method-default.",
		[]requirements.ID{requirements.MethodsAdvertised, requirements.PlainPolicy, requirements.MethodDefault}},
	{flawErrorStatus401,
		"Token errors are sent with status 401, except invalid_client and the refusal of an already-used code (kept at 400 so the race losers stay clean).",
		[]requirements.ID{requirements.ErrorResponse}},
	{flawReplayAllowed,
		"A code can be redeemed again, sequentially and concurrently; each redemption revokes the tokens of the earlier ones.",
		[]requirements.ID{requirements.CodeSingleUse, requirements.CodeRace}},
	{flawRacyRedeem,
		"Redemption is check-then-act outside the lock with a 50 ms window, so concurrent redemptions win several times; sequential replays are still refused.",
		[]requirements.ID{requirements.CodeRace}},
	{flawReplayKeepsTokens,
		"A replayed code is refused, but the tokens issued from its first redemption stay valid.",
		[]requirements.ID{requirements.ReuseRevokes}},
	{flawCodeNotClientBound,
		"Any client can redeem a code issued to another client (PKCE is still checked).",
		[]requirements.ID{requirements.CodeClientBound}},
	{flawRedirectURIUnchecked,
		"The token endpoint ignores redirect_uri (changed or missing).",
		[]requirements.ID{requirements.RedirectURIBound}},
	{flawCacheableTokens,
		"Token endpoint responses carry no Cache-Control and no Pragma header.",
		[]requirements.ID{requirements.NoStore}},
	{flawDuplicateParamsFirstWin,
		"Repeated parameters are accepted at /authorize and /token; the first value wins.",
		[]requirements.ID{requirements.DuplicateParams}},
	{flawDowngrade,
		"A code issued without a challenge is redeemed even when a code_verifier is sent (the verifier is ignored).",
		[]requirements.ID{requirements.Downgrade}},
	{flawConfidentialSkipsPKCE,
		"For the confidential client the code_verifier is not checked at all (missing, empty or wrong all redeem).",
		[]requirements.ID{requirements.ConfidentialPKCE}},
	{flawFailureUnbindsPKCE,
		"For the confidential client a failed PKCE check removes the code's challenge instead of burning the code, so a retry without code_verifier redeems it (Ory fosite's order of operations; ory/fosite#883).",
		[]requirements.ID{requirements.ConfidentialPKCE}},
	{flawErrorWithoutIss,
		"Error redirects from /authorize carry no iss, though the metadata advertises authorization_response_iss_parameter_supported (code redirects still carry it).",
		[]requirements.ID{requirements.ErrorIss}},
}

// Flaws returns the flaw catalogue in its stable order.
func Flaws() []Flaw {
	out := make([]Flaw, len(flawCatalogue))
	for i, f := range flawCatalogue {
		f.Trips = append([]requirements.ID(nil), f.Trips...)
		out[i] = f
	}
	return out
}
