package refidp

import "github.com/pkcecheck/pkcecheck/requirements"

// Flaws that show for one client or one authentication method only (issue
// 21, the per-client rule of docs/design.md): a check that tries the public
// client alone misses each of them. They are registered with the catalogue
// from this file.
const (
	flawDupVerifierCrashConfidential = "duplicate-verifier-crash-confidential"
	flawDupVerifierFirstConfidential = "duplicate-verifier-first-wins-confidential"
	flawPARConfidentialSkipsPKCE     = "par-confidential-skips-pkce"
	flawPARJWTSkipsPKCE              = "par-jwt-skips-pkce"
	flawRefreshVerifierConfidential  = "refresh-requires-verifier-confidential"
	flawRefreshConfidentialRefused   = "refresh-confidential-refused"
	flawReplayAllowedConfidential    = "replay-allowed-confidential"
	flawReplayAllowedJWT             = "replay-allowed-jwt"
	flawRedirectURIConfidential      = "redirect-uri-unchecked-confidential"
	flawRedirectURIPost              = "redirect-uri-unchecked-post"
)

var perClientFlaws = []Flaw{
	{flawDupVerifierCrashConfidential,
		"A token request of the confidential client with code_verifier repeated crashes the token endpoint (HTTP 500, no JSON); the public client's is refused with invalid_request as it should be. Fuzz counts the 500s (server_errors) but a 5xx where a refusal is due is no finding.",
		[]requirements.ID{requirements.DuplicateParams}, nil},
	{flawDupVerifierFirstConfidential,
		"For the confidential client, a repeated code_verifier at the token endpoint is accepted and the first value wins (its token requests are parsed by another form reader); the public client's is refused.",
		[]requirements.ID{requirements.DuplicateParams}, nil},
	{flawPARConfidentialSkipsPKCE,
		"The PAR endpoint skips the PKCE checks for requests a confidential client pushes (client authentication taken as trust enough): unknown methods, plain and repeated challenges get a request_uri; /authorize still refuses them directly, and the public client's pushes are validated." + " Fuzz does not judge it (the campaign does not push).",
		[]requirements.ID{requirements.PARPKCEValidated}, nil},
	{flawPARJWTSkipsPKCE,
		"The PAR endpoint skips the PKCE checks for requests pushed with private_key_jwt client authentication (the assertion path returns before validation); client_secret_basic and client_secret_post pushes are validated." + " Fuzz does not judge it (the campaign does not push).",
		[]requirements.ID{requirements.PARPKCEValidated}, nil},
	{flawRefreshVerifierConfidential,
		"The refresh token grant of the confidential client runs the PKCE check: a refresh without code_verifier is refused with invalid_request; the public client's refreshes work." + " Fuzz does not judge it (the campaign does not refresh).",
		[]requirements.ID{requirements.RefreshAfterPKCE}, nil},
	{flawRefreshConfidentialRefused,
		"The confidential client's refresh tokens are looked up in the public clients' store: they are issued but every refresh is refused with invalid_grant; the public client's refreshes work." + " Fuzz does not judge it (the campaign does not refresh).",
		[]requirements.ID{requirements.RefreshAfterPKCE}, nil},
	{flawReplayAllowedConfidential,
		"The confidential client can redeem a code again, sequentially and concurrently (the used flag is checked on the public path only); each redemption revokes the tokens of the earlier ones. Public codes are single-use." + " Fuzz does not judge it (each case redeems its code once).",
		[]requirements.ID{requirements.CodeSingleUse, requirements.CodeRace}, nil},
	{flawReplayAllowedJWT,
		"A code redeemed with private_key_jwt client authentication can be redeemed again with private_key_jwt (the used flag is checked in the secret-based paths only); each redemption revokes the tokens of the earlier ones." + " Fuzz does not judge it (each case redeems its code once).",
		[]requirements.ID{requirements.CodeSingleUse}, nil},
	{flawRedirectURIConfidential,
		"The token endpoint ignores redirect_uri (changed or missing) for the confidential client, taking its authentication as enough; public clients' redirect_uri is checked." + " Fuzz does not judge it (the campaign sends the right redirect_uri).",
		[]requirements.ID{requirements.RedirectURIBound}, nil},
	{flawRedirectURIPost,
		"The token endpoint ignores redirect_uri (changed or missing) when the client authenticates with client_secret_post; the other methods check it." + " Fuzz does not judge it (the campaign sends the right redirect_uri).",
		[]requirements.ID{requirements.RedirectURIBound}, nil},
}

func init() { flawCatalogue = append(flawCatalogue, perClientFlaws...) }
