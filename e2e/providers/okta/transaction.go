package okta

import "time"

// authRequest is a validated authorization request.
type authRequest struct {
	clientID, redirectURI, state, scope, nonce string
	challenge, method                          string // method "" when no challenge
	responseMode                               string // "query" or ""
}

// transaction is one sign-in in the widget: the IDX state behind one
// state handle, from the hosted page to the redirect with the code.
type transaction struct {
	handle  string
	req     authRequest
	expires time.Time

	user          string // set once identified
	password      bool   // the password was verified
	otpChosen     bool   // Google Authenticator picked from the list
	otp           bool   // the TOTP code was verified
	kmsiAnswered  bool
	keepSignedIn  bool
	consentGiven  bool
	fromSession   bool // an SSO session stood in for the factors
	redeemedState bool // the token redirect was used
}

// session is the org's SSO session (the sid cookie).
type session struct {
	user     string
	consents map[string]bool // client IDs the user consented to
	expires  time.Time
}

// transactionLifetime is how long a state handle stays usable (Okta: about
// an hour for an IDX transaction).
const transactionLifetime = time.Hour

// needsOTP reports whether the policy still asks for the second factor.
func (s *Server) needsOTP(tx *transaction) bool {
	return s.opts.TOTPSecret != "" && !tx.otp && !tx.fromSession
}

// needsConsent reports whether the consent page is still due.
func (s *Server) needsConsent(tx *transaction) bool {
	return s.opts.Consent && !tx.consentGiven
}

// authenticated reports whether every factor the policy asks for passed.
func (s *Server) authenticated(tx *transaction) bool {
	return tx.fromSession || (tx.password && !s.needsOTP(tx))
}

// done reports whether the transaction may end in a code.
func (s *Server) done(tx *transaction) bool {
	return s.authenticated(tx) && (tx.kmsiAnswered || !s.opts.KeepMeSignedIn || tx.fromSession) && !s.needsConsent(tx)
}
