package refidp

import (
	"fmt"
	"net/http"
	"slices"
	"sort"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// Behaviour that depends on the client or on how it authenticates: the
// clean options Config.PARConfidentialOnly and Config.RefreshConfidentialOnly
// (legitimate choices a server may make) and the per-client flaws of
// flaws_perclient.go.

// pushAllowed refuses a client the PAR endpoint does not serve: under
// PARConfidentialOnly, public clients cannot authenticate there (401
// invalid_client), as on servers that require client authentication for
// pushed requests.
func (s *Server) pushAllowed(c client) *tokenError {
	if s.cfg.PARConfidentialOnly && !c.confidential {
		return errClient("the PAR endpoint requires client authentication")
	}
	return nil
}

// pushSkipsPKCE reports whether a pushed request of c skips the PKCE checks
// under the per-client PAR flaws.
func (s *Server) pushSkipsPKCE(c client) bool {
	return (c.confidential && s.has(flawPARConfidentialSkipsPKCE)) ||
		(c.authMethod == profiles.AuthPrivateKeyJWT && s.has(flawPARJWTSkipsPKCE))
}

// issuesRefresh reports whether tokens for clientID come with a refresh
// token: always, except for public clients under RefreshConfidentialOnly.
func (s *Server) issuesRefresh(clientID string) bool {
	return !s.cfg.RefreshConfidentialOnly || s.clients[clientID].confidential
}

// confidentialRefresh applies the confidential-only refresh flaws to a
// refresh request of c.
func (s *Server) confidentialRefresh(c client, params map[string]string) *tokenError {
	if !c.confidential {
		return nil
	}
	if _, ok := params["code_verifier"]; !ok && s.has(flawRefreshVerifierConfidential) {
		return errRequest("code_verifier is required")
	}
	if s.has(flawRefreshConfidentialRefused) {
		return errGrant("the refresh token is invalid, expired or revoked")
	}
	return nil
}

// replayAllowedFor reports whether c may redeem a used code again under the
// per-client replay flaws.
func (s *Server) replayAllowedFor(c client) bool {
	return (c.confidential && s.has(flawReplayAllowedConfidential)) ||
		(c.authMethod == profiles.AuthPrivateKeyJWT && s.has(flawReplayAllowedJWT))
}

// redirectUncheckedFor reports whether the token endpoint ignores
// redirect_uri for c under the per-client redirect flaws.
func (s *Server) redirectUncheckedFor(c client) bool {
	return (c.confidential && s.has(flawRedirectURIConfidential)) ||
		(c.authMethod == profiles.AuthClientSecretPost && s.has(flawRedirectURIPost))
}

// readTokenForm reads a token request. Repeated parameters are refused (or
// resolved by the duplicate-params flaws) while reading, except under the
// confidential-only duplicate flaws: the first values are kept and the
// names of the repeated parameters returned, to be judged once the client
// is known (tokenRepeats).
func (s *Server) readTokenForm(w http.ResponseWriter, r *http.Request) (map[string]string, []string, *tokenError) {
	if !s.has(flawDupVerifierCrashConfidential) && !s.has(flawDupVerifierFirstConfidential) {
		p, e := readForm(w, r, s.duplicates())
		return p, nil, e
	}
	vals, e := readValues(w, r)
	if e != nil {
		return nil, nil, e
	}
	var repeated []string
	for k, vs := range vals {
		if len(vs) > 1 {
			repeated = append(repeated, k)
		}
	}
	sort.Strings(repeated)
	p, err := singleValues(vals, duplicatesFirst)
	if err != nil {
		return nil, nil, errRequest(err.Error())
	}
	return p, repeated, nil
}

// tokenRepeats judges the repeated parameters of a token request of c:
// refused with invalid_request, except that a repeated code_verifier of the
// confidential client crashes the endpoint (crash true) or is let through
// under the confidential-only duplicate flaws.
func (s *Server) tokenRepeats(c client, repeated []string) (crash bool, e *tokenError) {
	if len(repeated) == 0 {
		return false, nil
	}
	if c.confidential && slices.Contains(repeated, "code_verifier") {
		switch {
		case s.has(flawDupVerifierCrashConfidential):
			return true, nil
		case s.has(flawDupVerifierFirstConfidential) && len(repeated) == 1:
			return false, nil
		}
	}
	return false, errRequest(fmt.Sprintf("parameter %s is repeated", repeated[0]))
}

// crash answers as a server that failed on the request: HTTP 500, no JSON.
func (s *Server) crash(w http.ResponseWriter, clientID string) {
	s.logf("refidp: POST /token client=%s: 500 (crashed on a repeated code_verifier)", clientID)
	http.Error(w, "Internal Server Error", http.StatusInternalServerError)
}
