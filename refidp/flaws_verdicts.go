package refidp

import (
	"fmt"
	"net/http"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// Flaws of issue 21, causes 2 and 4: token errors with a vendor code and
// HTTP 403 (one defect that must fail one requirement, under lenient error
// codes), and the WWW-Authenticate of a 401 that does not name the scheme a
// client_secret_basic client used (RFC 6749 §5.2).
const (
	flawVendorError403     = "vendor-error-403"
	flawVendorError403Text = "vendor-error-403-text"
	flawBearerChallenge    = "bearer-challenge-for-basic"
	flawNoChallenge        = "no-challenge-for-basic"
)

// flawErrorCodes names the policy.error_codes a flaw's Trips hold under
// where it is not the demo profile's strict: the vendor-code flaws fail
// only rfc6749.error-response under lenient (under strict, every probe
// that needs a refusal also says that only the code was wrong).
var flawErrorCodes = map[string]string{
	flawVendorError403:     profiles.ErrorCodesLenient,
	flawVendorError403Text: profiles.ErrorCodesLenient,
}

// ErrorCodes is the policy.error_codes (strict or lenient) under which the
// flaw trips exactly its Trips.
func (f Flaw) ErrorCodes() string {
	if c, ok := flawErrorCodes[f.Name]; ok {
		return c
	}
	return profiles.ErrorCodesStrict
}

func init() {
	flawCatalogue = append(flawCatalogue,
		Flaw{flawVendorError403,
			"Token errors other than invalid_client are answered with HTTP 403 and a vendor error code, {\"error\":\"access_denied_vendor\"}; no tokens are issued where they must not be (PKCE holds). Judged under error_codes: lenient.",
			[]requirements.ID{requirements.ErrorResponse}, nil},
		Flaw{flawVendorError403Text,
			"Token errors other than invalid_client are answered with HTTP 403 and a text/plain body, no JSON and no error code; no tokens are issued where they must not be (PKCE holds). Judged under error_codes: lenient.",
			[]requirements.ID{requirements.ErrorResponse}, nil},
		Flaw{flawBearerChallenge,
			"A 401 invalid_client answer to a client that authenticated with HTTP Basic challenges with WWW-Authenticate: Bearer (the resource server's challenge), not Basic.",
			[]requirements.ID{requirements.ErrorResponse}, nil},
		Flaw{flawNoChallenge,
			"A 401 invalid_client answer to a client that authenticated with HTTP Basic carries no WWW-Authenticate header.",
			[]requirements.ID{requirements.ErrorResponse}, nil},
	)
}

// writeVendorError answers a token error (not invalid_client) the way the
// vendor-code flaws do; false when neither is on.
func (s *Server) writeVendorError(w http.ResponseWriter, clientID string, e *tokenError) bool {
	if e.code == "invalid_client" {
		return false
	}
	switch {
	case s.has(flawVendorError403):
		s.logf("refidp: POST /token client=%s: 403 access_denied_vendor (for %s)", clientID, e.code)
		s.writeJSON(w, http.StatusForbidden, map[string]string{"error": "access_denied_vendor", "error_description": "the request was denied"})
	case s.has(flawVendorError403Text):
		s.logf("refidp: POST /token client=%s: 403 text (for %s)", clientID, e.code)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintln(w, "Forbidden: the request was denied by policy")
	default:
		return false
	}
	return true
}

// clientChallenge sets the WWW-Authenticate of a 401 invalid_client answer:
// Basic, the scheme clients authenticate with here, unless a challenge
// flaw is on.
func (s *Server) clientChallenge(w http.ResponseWriter) {
	switch {
	case s.has(flawBearerChallenge):
		w.Header().Set("WWW-Authenticate", `Bearer realm="refidp"`)
	case s.has(flawNoChallenge):
	default:
		w.Header().Set("WWW-Authenticate", `Basic realm="refidp"`)
	}
}
