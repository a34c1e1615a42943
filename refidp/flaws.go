package refidp

import "github.com/pkcecheck/pkcecheck/requirements"

// Flaw is one switchable deviation from the correct server.
type Flaw struct {
	Name        string
	Description string
	// Trips lists the requirement IDs the flaw makes fail (usually one)
	// under the default policy (policy.profile base).
	Trips []requirements.ID
	// PolicyTrips lists, per other policy profile (policy.profile, e.g.
	// "oauth2.1-draft16"), every requirement ID the flaw makes fail when
	// the run is judged under that profile. The self-test runs the flaw
	// under each of them too.
	PolicyTrips map[string][]requirements.ID
}

// oauth21 is the policy profile of OAuth 2.1 draft 16, as PolicyTrips keys it.
const oauth21 = "oauth2.1-draft16"

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

	// Second flaws: each requirement is tripped by at least two flaws
	// modelled on different real bugs (different code paths, different
	// inputs that expose them).
	flawS256TruncatedVerifier   = "s256-truncated-verifier"
	flawVerifierIfNonEmpty      = "verifier-checked-if-nonempty"
	flawFailureUnbindsPublic    = "failure-unbinds-pkce-public"
	flawChallengePerClient      = "challenge-per-client"
	flawTokenMethodOverride     = "token-method-override"
	flawNoMaxLength             = "no-max-length"
	flawUnicodeLettersAccepted  = "unicode-letters-accepted"
	flawEmptyChallengeNoPKCE    = "empty-challenge-no-pkce"
	flawS256VerifierGrammar     = "s256-challenge-verifier-grammar"
	flawMethodCaseInsensitive   = "method-case-insensitive"
	flawErrorTextUnescaped      = "error-text-unescaped"
	flawReplayCacheWindow       = "replay-cache-window"
	flawConfidentialAnyCode     = "confidential-redeems-any-code"
	flawRedirectURIPrefix       = "redirect-uri-prefix-match"
	flawCacheControlNoCache     = "cache-control-no-cache"
	flawDuplicateParamsLastWin  = "duplicate-params-last-wins"
	flawDowngradeEmptyChallenge = "downgrade-empty-challenge"
	flawMethodsLowercase        = "methods-advertised-lowercase"

	// Issue 16.
	flawMethodOnlyIgnored         = "method-only-ignored"
	flawEmptyChallengeWithMethod  = "empty-challenge-with-method"
	flawSuccessWithoutIss         = "success-without-iss"
	flawIssUnadvertised           = "iss-unadvertised"
	flawChallengeEchoed           = "challenge-echoed"
	flawChallengeInCode           = "challenge-in-code"
	flawPostSkipsPKCE             = "post-skips-pkce"
	flawJWTDowngrade              = "jwt-downgrade"
	flawPARLazyValidation         = "par-lazy-validation"
	flawPARPresenceOnly           = "par-presence-only"
	flawPARReusable               = "par-reusable"
	flawPARReusableUntilRedeemed  = "par-reusable-until-redeemed"
	flawPARClientUnbound          = "par-client-unbound"
	flawPARFrontClientWins        = "par-front-client-wins"
	flawPARFrontChannelMerge      = "par-front-channel-merge"
	flawPARFrontMethodOverride    = "par-front-method-override"
	flawPKCETakenBeforeCheck      = "pkce-taken-before-check"
	flawPKCEVerifiedFlag          = "pkce-verified-flag"
	flawRefreshRequiresVerifier   = "refresh-requires-verifier"
	flawRefreshPublicRefused      = "refresh-public-refused"
	flawReplayKeepsRefresh        = "replay-keeps-refresh"
	flawReplayRevokesFirstOnly    = "replay-revokes-first-tokens-only"
	flawErrorEchoesInput          = "error-echoes-input"
	flawFormPostDropsChallenge    = "form-post-drops-challenge"
	flawFormPostMethodPlain       = "form-post-method-plain"
	flawFragmentDropsChallenge    = "fragment-drops-challenge"
	flawFragmentMethodPlain       = "fragment-method-plain"
	flawCodeExpiryUnchecked       = "code-expiry-unchecked"
	flawCodeLifetimeMinutes       = "code-lifetime-minutes"
	flawErrorTypographic          = "error-typographic-quotes"
	flawErrorRedirectDropsQuery   = "error-redirect-drops-query"
	flawErrorRedirectConcatenates = "error-redirect-concatenates"
)

// publicOnly is appended to the flaws that weaken the verifier check: they
// apply to public clients only, so the confidential client's probes
// (rfc9700.confidential-pkce) stay clean.
const publicOnly = " Public clients only; the confidential client is still checked correctly."

var flawCatalogue = []Flaw{
	{flawS256ShortOnly,
		"S256 verifiers longer than 100 characters are refused with invalid_grant (43 to 100 work)." + publicOnly,
		[]requirements.ID{requirements.S256Roundtrip}, nil},
	{flawVerifierOptional,
		"A token request with no code_verifier parameter skips the PKCE check; an empty one is still refused." + publicOnly,
		[]requirements.ID{requirements.VerifierMissing, requirements.PKCEPerAuthMethod, requirements.CodeRaceMixed, requirements.FormPostEnforced, requirements.FragmentEnforced}, nil},
	{flawEmptyVerifierAccepted,
		"A present but empty code_verifier skips the PKCE check; a missing one is still refused." + publicOnly,
		[]requirements.ID{requirements.VerifierEmpty}, nil},
	{flawPrefixCompare,
		"S256: only the first 40 characters of the computed and the stored challenge are compared." + publicOnly,
		[]requirements.ID{requirements.VerifierMismatch}, nil},
	{flawCaseInsensitiveCompare,
		"S256: the computed and the stored challenge are compared ignoring letter case." + publicOnly,
		[]requirements.ID{requirements.VerifierMismatch}, nil},
	{flawVerifierNotBound,
		"A verifier that matches the challenge of any outstanding code of the same client (unexpired and not yet named in any token request) redeems the code." + publicOnly,
		[]requirements.ID{requirements.VerifierSwapped}, nil},
	{flawMethodNotBound,
		"For S256 codes, a code_verifier equal to the stored challenge is also accepted (as if plain)." + publicOnly,
		[]requirements.ID{requirements.MethodBound, requirements.FormPostEnforced, requirements.FragmentEnforced}, nil},
	{flawNoLengthCheck,
		"The verifier length (43 to 128) is not checked; the charset check and the comparison still happen." + publicOnly,
		[]requirements.ID{requirements.VerifierLength}, nil},
	{flawNoCharsetCheck,
		"The verifier charset ([A-Za-z0-9-._~]) is not checked; the length check and the comparison still happen." + publicOnly,
		[]requirements.ID{requirements.VerifierCharset}, nil},
	{flawPKCEOptional,
		"Public clients get codes without a challenge: a missing or empty code_challenge means no PKCE for that code (a verifier sent for such a code is still refused).",
		[]requirements.ID{requirements.ChallengeMissing}, nil},
	{flawLaxChallengeFormat,
		"The code_challenge format is not checked at /authorize (wrong length, padding, +/ and non-ASCII are bound as given).",
		[]requirements.ID{requirements.ChallengeFormat}, nil},
	{flawUnknownMethodAsS256,
		"Any code_challenge_method other than plain (S512, s256, SHA256, \"S256 \") is treated as S256.",
		[]requirements.ID{requirements.MethodUnsupported}, nil},
	{flawDefaultMethodS256,
		"An omitted code_challenge_method is treated as S256; the challenge is then only checked against the plain grammar (43 to 128 unreserved characters), so any such challenge gets a code that its S256 preimage redeems.",
		[]requirements.ID{requirements.MethodDefault},
		map[string][]requirements.ID{oauth21: {requirements.MethodDefault, requirements.OAuth21MethodRequired}}},
	{flawDefaultMethodS256Strict,
		"An omitted code_challenge_method is treated as S256 and the challenge checked as an S256 value (43 base64url characters): a 64-character challenge is refused, but S256(V) without a method gets a code that V redeems (the server of the field report).",
		[]requirements.ID{requirements.MethodDefault}, nil},
	{flawDefaultPlainImplicit,
		"code_challenge_method=plain is refused when named, but an omitted method is treated as plain and verified as plain (plain applied only where it is left implicit, as Microsoft and Apereo CAS document it). Under policy plain: forbidden this also trips rfc7636.plain-policy (plain is applied, if only implicitly).",
		[]requirements.ID{requirements.MethodDefault, requirements.PlainPolicy}, nil},
	{flawPlainAccepted,
		"plain is supported and advertised, and verified correctly; under policy plain: forbidden this fails plain-policy only (an omitted method is verified as plain, as RFC 7636 §4.3 asks; method-default does not count plain twice).",
		[]requirements.ID{requirements.PlainPolicy},
		map[string][]requirements.ID{oauth21: {requirements.PlainPolicy, requirements.OAuth21PlainProhibited, requirements.OAuth21MethodRequired}}},
	{flawPlainUnadvertised,
		"plain is supported (verified correctly) but the metadata lists only S256. Under policy plain: forbidden this also trips rfc7636.plain-policy.",
		[]requirements.ID{requirements.MethodsAdvertised, requirements.PlainPolicy},
		map[string][]requirements.ID{oauth21: {requirements.MethodsAdvertised, requirements.PlainPolicy, requirements.OAuth21PlainProhibited, requirements.OAuth21MethodRequired}}},
	{flawErrorStatus401,
		"Token errors are sent with status 401, except invalid_client and the refusal of an already-used code (kept at 400 so the race losers stay clean).",
		[]requirements.ID{requirements.ErrorResponse}, nil},
	{flawReplayAllowed,
		"A code can be redeemed again, sequentially and concurrently; each redemption revokes the tokens of the earlier ones.",
		[]requirements.ID{requirements.CodeSingleUse, requirements.CodeRace, requirements.CodeRaceMixed}, nil},
	{flawRacyRedeem,
		"Redemption is check-then-act outside the lock with a 50 ms window, so concurrent redemptions win several times; sequential replays are still refused.",
		[]requirements.ID{requirements.CodeRace, requirements.CodeRaceMixed}, nil},
	{flawReplayKeepsTokens,
		"A replayed code is refused, but the tokens issued from its first redemption (access and refresh) stay valid.",
		[]requirements.ID{requirements.ReuseRevokes, requirements.ReplayRevokesRefresh}, nil},
	{flawCodeNotClientBound,
		"Any client can redeem a code issued to another client (PKCE is still checked).",
		[]requirements.ID{requirements.CodeClientBound}, nil},
	{flawRedirectURIUnchecked,
		"The token endpoint ignores redirect_uri (changed or missing).",
		[]requirements.ID{requirements.RedirectURIBound}, nil},
	{flawCacheableTokens,
		"Token endpoint responses carry no Cache-Control and no Pragma header.",
		[]requirements.ID{requirements.NoStore}, nil},
	{flawDuplicateParamsFirstWin,
		"Repeated parameters are accepted at /authorize and /token; the first value wins.",
		[]requirements.ID{requirements.DuplicateParams}, nil},
	{flawDowngrade,
		"A code issued without a challenge is redeemed even when a code_verifier is sent (the verifier is ignored).",
		[]requirements.ID{requirements.Downgrade, requirements.PKCEPerAuthMethod}, nil},
	{flawConfidentialSkipsPKCE,
		"For the confidential client the code_verifier is not checked at all (missing, empty or wrong all redeem), whatever its authentication method.",
		[]requirements.ID{requirements.ConfidentialPKCE, requirements.PKCEPerAuthMethod}, nil},
	{flawFailureUnbindsPKCE,
		"For the confidential client a failed PKCE check removes the code's challenge instead of burning the code, so a retry without code_verifier redeems it (Ory fosite's order of operations; ory/fosite#883).",
		[]requirements.ID{requirements.ConfidentialPKCE}, nil},
	{flawS256TruncatedVerifier,
		"The token endpoint keeps only the first 64 characters of code_verifier before hashing it (a too-short column): the right S256 verifier of 65 to 128 characters is refused with invalid_grant, and a wrong one that extends a right 64-character verifier redeems the code; up to 64 characters work." + publicOnly,
		[]requirements.ID{requirements.S256Roundtrip, requirements.VerifierMismatch}, nil},
	{flawVerifierIfNonEmpty,
		"PKCE is checked only when code_verifier has a value (`if verifier != \"\"`): a missing and an empty code_verifier both skip the check (authentik CVE-2023-48228, obot mcp-oauth-proxy#49)." + publicOnly,
		[]requirements.ID{requirements.VerifierMissing, requirements.VerifierEmpty, requirements.PKCEPerAuthMethod, requirements.CodeRaceMixed, requirements.FormPostEnforced, requirements.FragmentEnforced}, nil},
	{flawFailureUnbindsPublic,
		"A failed PKCE check removes the code's challenge instead of burning the code, so a retry without code_verifier redeems it (Ory fosite's order of operations, ory/fosite#883); a first request without code_verifier is still refused." + publicOnly,
		[]requirements.ID{requirements.VerifierMissing, requirements.CodeRaceMixed}, nil},
	{flawChallengePerClient,
		"The challenge is kept per client, not per code: the token endpoint checks the verifier against the client's most recent authorization request, so after a second flow the first flow's code is redeemed with the second flow's verifier (getindiekit/indiekit#892)." + publicOnly,
		[]requirements.ID{requirements.VerifierSwapped}, nil},
	{flawTokenMethodOverride,
		"A code_challenge_method sent to the token endpoint overrides the bound one: with code_challenge_method=plain the S256 challenge itself redeems the code; without it, the challenge as verifier is refused." + publicOnly,
		[]requirements.ID{requirements.MethodBound}, nil},
	{flawNoMaxLength,
		"Only the lower bound of the verifier length is checked (43): a 129-character verifier whose challenge matches redeems the code; a 42-character one is refused." + publicOnly,
		[]requirements.ID{requirements.VerifierLength}, nil},
	{flawUnicodeLettersAccepted,
		"The verifier charset check accepts any Unicode letter or digit (isLetterOrDigit) besides -._~, so a verifier with é redeems the code; space, +, /, =, % and control characters are still refused." + publicOnly,
		[]requirements.ID{requirements.VerifierCharset}, nil},
	{flawEmptyChallengeNoPKCE,
		"A present but empty code_challenge (with or without code_challenge_method) gets the public client a code without PKCE; a missing code_challenge is still refused (getsentry/sentry#104418, found in review). A verifier sent for such a code is still refused. With a method, this is also a method without a challenge.",
		[]requirements.ID{requirements.ChallengeMissing, requirements.MethodWithoutChallenge}, nil},
	{flawS256VerifierGrammar,
		"S256 challenges are checked against the verifier grammar (43 to 128 unreserved characters) instead of 43 base64url characters (thephpleague/oauth2-server#1392), so the 64-character hex digest is accepted at /authorize; padding, +, / and short challenges are still refused.",
		[]requirements.ID{requirements.ChallengeFormat}, nil},
	{flawMethodCaseInsensitive,
		"code_challenge_method is matched ignoring case (jasonraimondi/ts-oauth2-server#25 went the other way), so s256 is taken for S256; S512, SHA256 and \"S256 \" are still refused.",
		[]requirements.ID{requirements.MethodUnsupported}, nil},
	{flawErrorTextUnescaped,
		"Token error descriptions quote the failing check in double quotes, a character RFC 6749 §5.2 does not allow in error_description; status, JSON and error codes stay right.",
		[]requirements.ID{requirements.ErrorResponse, requirements.ErrorCharset}, nil},
	{flawReplayCacheWindow,
		"Code lookups go through a cache that still serves a redeemed code for 5 s: replays within 5 s (sequential or concurrent) redeem it again and the tokens of the first redemption stay valid; later replays are refused (the TOCTOU class of supabase/auth#2613, goiabada#77).",
		[]requirements.ID{requirements.CodeSingleUse, requirements.CodeRace, requirements.ReuseRevokes, requirements.ReplayRevokesRefresh, requirements.CodeRaceMixed}, nil},
	{flawConfidentialAnyCode,
		"A confidential client may redeem any client's code: client authentication is taken as proof enough and the code's client is compared for public clients only (GOV.UK One Login authentication-api#5872). PKCE is still checked.",
		[]requirements.ID{requirements.CodeClientBound}, nil},
	{flawRedirectURIPrefix,
		"The token endpoint accepts a redirect_uri that starts with the one the code was issued for, e.g. with a path segment appended; a missing or unrelated one is still refused.",
		[]requirements.ID{requirements.RedirectURIBound}, nil},
	{flawCacheControlNoCache,
		"Token responses carry Cache-Control: no-cache, must-revalidate and Pragma: no-cache, but not no-store.",
		[]requirements.ID{requirements.NoStore}, nil},
	{flawDuplicateParamsLastWin,
		"Repeated parameters are accepted at /authorize and /token; the last value wins (the PHP and Express way), so a second code_challenge is bound and a right verifier sent last redeems.",
		[]requirements.ID{requirements.DuplicateParams}, nil},
	{flawDowngradeEmptyChallenge,
		"For the confidential client a present but empty code_challenge marks the code as PKCE-bound with nothing to compare, and the token endpoint then accepts any code_verifier; a code issued without the parameter still refuses one (getsentry/sentry#104418's empty challenge, seen through RFC 9700 §4.8.2).",
		[]requirements.ID{requirements.Downgrade}, nil},
	{flawMethodsLowercase,
		"The metadata lists code_challenge_methods_supported as [\"s256\"] (lower case), while /authorize accepts only S256: S256 is not advertised under its registered name.",
		[]requirements.ID{requirements.MethodsAdvertised}, nil},
	{flawErrorWithoutIss,
		"Error redirects from /authorize carry no iss, though the metadata advertises authorization_response_iss_parameter_supported (code redirects still carry it).",
		[]requirements.ID{requirements.ErrorIss, requirements.IssRequired}, nil},

	// Issue 16.
	{flawMethodOnlyIgnored,
		"For the confidential client (PKCE optional), a code_challenge_method without code_challenge is ignored and a code without PKCE is issued: PKCE handling keyed on code_challenge alone, as in servers where PKCE is not enforced for the client.",
		[]requirements.ID{requirements.MethodWithoutChallenge}, nil},
	{flawEmptyChallengeWithMethod,
		"For the confidential client, an empty code_challenge= with a method counts as no PKCE (a code is issued); only an absent code_challenge with a method is refused: a presence check where a value check belongs.",
		[]requirements.ID{requirements.MethodWithoutChallenge}, nil},
	{flawSuccessWithoutIss,
		"Code redirects carry no iss, though the metadata advertises authorization_response_iss_parameter_supported (error redirects still carry it).",
		[]requirements.ID{requirements.IssRequired}, nil},
	{flawIssUnadvertised,
		"No iss on any authorization response, and the metadata leaves authorization_response_iss_parameter_supported out: allowed by RFC 9207, refused under OAuth 2.1 draft 16.",
		nil, map[string][]requirements.ID{oauth21: {requirements.IssRequired}}},
	{flawChallengeEchoed,
		"Code redirects echo the request's code_challenge as a parameter (a server that reflects request parameters back).",
		[]requirements.ID{requirements.ChallengeNotEchoed}, nil},
	{flawChallengeInCode,
		"Codes are self-contained and unencrypted: base64url JSON carrying the challenge (RFC 7636 §7.2 asks for encryption), plus a random part that keys the server's record.",
		[]requirements.ID{requirements.ChallengeNotEchoed}, nil},
	{flawPostSkipsPKCE,
		"When the confidential client authenticates with client_secret_post, the code_verifier is not checked (missing, empty or wrong all redeem); client_secret_basic and private_key_jwt are checked. Each authentication code path calls the PKCE check itself, and one forgot (Spring Authorization Server's per-provider checks, CVE-2024-22258).",
		[]requirements.ID{requirements.PKCEPerAuthMethod}, nil},
	{flawJWTDowngrade,
		"When a client authenticates with private_key_jwt, a code_verifier sent for a code issued without a challenge is ignored and the code redeemed (the RFC 9700 §4.8.2 check sits in the secret-based path only; zitadel/oidc handled PKCE per authentication method, PRs #721 and #741).",
		[]requirements.ID{requirements.PKCEPerAuthMethod}, nil},
	{flawPARLazyValidation,
		"The PAR endpoint stores any request and issues a request_uri; the PKCE checks run only when the request_uri is used at /authorize (RFC 9126 §2.1 asks for them at the PAR endpoint).",
		[]requirements.ID{requirements.PARPKCEValidated}, nil},
	{flawPARPresenceOnly,
		"The PAR endpoint only checks that a public client sent a code_challenge: unknown methods, plain, malformed and repeated challenges get a request_uri (a second, thinner validator for the PAR path; /authorize still refuses them later).",
		[]requirements.ID{requirements.PARPKCEValidated}, nil},
	{flawPARReusable,
		"A request_uri can be used any number of times until it expires, each use minting a code bound to the same challenge.",
		[]requirements.ID{requirements.PARRequestURIOnce}, nil},
	{flawPARReusableUntilRedeemed,
		"A used request_uri stays usable until the code issued from it is redeemed (the one-time flag lives with the code, not with the request_uri).",
		[]requirements.ID{requirements.PARRequestURIOnce}, nil},
	{flawPARClientUnbound,
		"At /authorize, a request_uri is honoured whatever client_id the front channel names (the pushed client gets the code).",
		[]requirements.ID{requirements.PARClientBound}, nil},
	{flawPARFrontClientWins,
		"At /authorize, the front channel's client_id replaces the pushed one: another client gets a code bound to the pushed challenge.",
		[]requirements.ID{requirements.PARClientBound}, nil},
	{flawPARFrontChannelMerge,
		"At /authorize, parameters on the front channel next to request_uri override the pushed ones, code_challenge and code_challenge_method included (RFC 9126 §4 and RFC 9101 §6.3 say only the pushed ones count).",
		[]requirements.ID{requirements.PARFrontChannelOverride}, nil},
	{flawPARFrontMethodOverride,
		"At /authorize, a code_challenge_method on the front channel next to request_uri replaces the pushed method (the pushed challenge is kept), so plain can be switched in.",
		[]requirements.ID{requirements.PARFrontChannelOverride}, nil},
	{flawPKCETakenBeforeCheck,
		"The code's challenge is taken off the code while its verifier is checked (100 ms) and put back only after a failed check, so a concurrent request without code_verifier finds a code without PKCE and redeems it; sequential requests are checked correctly (the order of operations of ory/fosite#883)." + publicOnly,
		[]requirements.ID{requirements.CodeRaceMixed}, nil},
	{flawPKCEVerifiedFlag,
		"A passed PKCE check marks the code verified 200 ms before the redemption completes, and a request without code_verifier for a verified code skips the check (the result is kept on the code, not on the request, as getindiekit/indiekit#892 kept it in shared state); sequential requests are checked correctly." + publicOnly,
		[]requirements.ID{requirements.CodeRaceMixed}, nil},
	{flawRefreshRequiresVerifier,
		"The refresh token grant runs the PKCE check too: a refresh request without code_verifier is refused with invalid_request (a verifier check wired to every grant type)." + publicOnly,
		[]requirements.ID{requirements.RefreshAfterPKCE}, nil},
	{flawRefreshPublicRefused,
		"Refresh tokens are issued to public (PKCE) clients, but their refresh requests are refused with invalid_client (the refresh grant demands client authentication)." + publicOnly,
		[]requirements.ID{requirements.RefreshAfterPKCE}, nil},
	{flawReplayKeepsRefresh,
		"A replayed code revokes the access tokens issued from it, but not the refresh tokens (reuse detection that covers half the grant, like leodip/goiabada#77's).",
		[]requirements.ID{requirements.ReplayRevokesRefresh}, nil},
	{flawReplayRevokesFirstOnly,
		"A replayed code revokes only the tokens of its first redemption: the tokens of later refreshes are not linked to the code, so a rotated refresh token survives the replay.",
		[]requirements.ID{requirements.ReplayRevokesRefresh}, nil},
	{flawErrorEchoesInput,
		"Token errors for a malformed code_verifier quote it as received in error_description, unfiltered (quotes, backslashes, non-ASCII).",
		[]requirements.ID{requirements.ErrorCharset}, nil},
	{flawErrorTypographic,
		"Authorization error redirects word error_description with typographic quotes and apostrophes (U+2019, U+201C, U+201D), as copy-edited or localized messages do.",
		[]requirements.ID{requirements.ErrorCharset}, nil},
	{flawErrorRedirectDropsQuery,
		"Error redirects replace the redirect URI's own query with the error parameters (code redirects keep it).",
		[]requirements.ID{requirements.RedirectKeepsQuery}, nil},
	{flawErrorRedirectConcatenates,
		"Error redirects are built as redirect_uri + \"?\" + parameters, so a redirect URI with a query gets a second '?' and its last parameter swallows the error (code redirects are built correctly).",
		[]requirements.ID{requirements.RedirectKeepsQuery}, nil},
	{flawFormPostDropsChallenge,
		"Codes issued with response_mode=form_post are not bound to their code_challenge (the form_post path builds the grant from parameters that leave PKCE out): they redeem without code_verifier.",
		[]requirements.ID{requirements.FormPostEnforced}, nil},
	{flawFormPostMethodPlain,
		"Codes issued with response_mode=form_post bind the challenge with method plain whatever was asked (the method is lost on that path): the challenge itself redeems them, the right S256 verifier does not.",
		[]requirements.ID{requirements.FormPostEnforced}, nil},
	{flawFragmentDropsChallenge,
		"Codes issued in a fragment response are not bound to their code_challenge: they redeem without code_verifier.",
		[]requirements.ID{requirements.FragmentEnforced}, nil},
	{flawFragmentMethodPlain,
		"Codes issued in a fragment response bind the challenge with method plain: the challenge itself redeems them, the right S256 verifier does not.",
		[]requirements.ID{requirements.FragmentEnforced}, nil},
	{flawCodeExpiryUnchecked,
		"Codes carry an expiry that the token endpoint never checks: an unredeemed code stays redeemable until it is purged (10 minutes).",
		[]requirements.ID{requirements.CodeLifetime}, nil},
	{flawCodeLifetimeMinutes,
		"The code lifetime is taken in minutes where seconds were meant, so codes live 60 times longer than configured (a unit mix-up).",
		[]requirements.ID{requirements.CodeLifetime}, nil},
}

// Flaws returns the flaw catalogue in its stable order.
func Flaws() []Flaw {
	out := make([]Flaw, len(flawCatalogue))
	for i, f := range flawCatalogue {
		f.Trips = append([]requirements.ID(nil), f.Trips...)
		if f.PolicyTrips != nil {
			pt := make(map[string][]requirements.ID, len(f.PolicyTrips))
			for k, v := range f.PolicyTrips {
				pt[k] = append([]requirements.ID(nil), v...)
			}
			f.PolicyTrips = pt
		}
		out[i] = f
	}
	return out
}
