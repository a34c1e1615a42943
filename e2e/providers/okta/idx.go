package okta

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
)

// idxRequest is the JSON body of every IDX request the widget sends.
type idxRequest struct {
	StateHandle string `json:"stateHandle"`
	StateToken  string `json:"stateToken"` // introspect
	Identifier  string `json:"identifier"`
	Credentials *struct {
		Passcode string `json:"passcode"`
	} `json:"credentials"`
	Authenticator *struct {
		ID         string `json:"id"`
		MethodType string `json:"methodType"`
	} `json:"authenticator"`
	KeepMeSignedIn *bool `json:"keepMeSignedIn"`
	Consent        *bool `json:"consent"`
}

// handleIDX answers POST /idp/idx/{step}.
func (s *Server) handleIDX(w http.ResponseWriter, r *http.Request) {
	var req idxRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		s.idxFatal(w, http.StatusBadRequest, "The request body was not well-formed.", "E0000003")
		return
	}
	handle := req.StateHandle
	if handle == "" {
		handle = req.StateToken
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := s.txs[handle]
	if tx == nil || time.Now().After(tx.expires) || tx.redeemedState {
		s.idxFatal(w, http.StatusUnauthorized, "The session has expired.", "idx.session.expired")
		return
	}
	step := r.PathValue("step")
	var status int
	var messages []obj
	switch step {
	case "introspect":
	case "identify":
		status, messages = s.identify(tx, req)
	case "challenge/answer":
		status, messages = s.answer(tx, req)
	case "challenge":
		status, messages = s.choose(tx, req)
	case "keep-me-signed-in":
		if !s.authenticated(tx) || req.KeepMeSignedIn == nil {
			status, messages = http.StatusBadRequest, idxError("Keep me signed in is not expected now.", "E0000001")
			break
		}
		tx.kmsiAnswered, tx.keepSignedIn = true, *req.KeepMeSignedIn
	case "consent":
		if !s.authenticated(tx) || req.Consent == nil {
			status, messages = http.StatusBadRequest, idxError("Consent is not expected now.", "E0000001")
			break
		}
		if !*req.Consent {
			s.idxDenied(w, tx)
			return
		}
		tx.consentGiven = true
	case "cancel":
		*tx = transaction{handle: tx.handle, req: tx.req, expires: tx.expires}
	default:
		s.idxFatal(w, http.StatusNotFound, "Not found: "+step, "E0000007")
		return
	}
	s.writeIDX(w, status, s.response(tx, messages))
}

// identify takes the user name (and the password, when the identify form
// asks for it).
func (s *Server) identify(tx *transaction, req idxRequest) (int, []obj) {
	if tx.user != "" {
		return http.StatusBadRequest, idxError("The user is already identified.", "E0000001")
	}
	id := strings.TrimSpace(req.Identifier)
	if id == "" {
		return http.StatusBadRequest, []obj{{"message": "This field cannot be left blank", "i18n": obj{"key": "model.validation.field.blank"}, "class": "ERROR"}}
	}
	if s.opts.IdentifyWithPassword {
		if req.Credentials == nil || !strings.EqualFold(id, Username) || !emulator.EqualSecret(req.Credentials.Passcode, s.opts.Password) {
			// Okta does not tell which of the two was wrong here.
			return http.StatusUnauthorized, idxError("Authentication failed", "errors.E0000004")
		}
		tx.user, tx.password = Username, true
		return 0, nil
	}
	// Identifier first: an unknown user is not revealed here (Okta's user
	// enumeration protection); the password step then fails.
	tx.user = id
	return 0, nil
}

// answer checks the passcode of the current challenge (password or TOTP).
func (s *Server) answer(tx *transaction, req idxRequest) (int, []obj) {
	code := ""
	if req.Credentials != nil {
		code = req.Credentials.Passcode
	}
	switch {
	case tx.user == "":
		return http.StatusBadRequest, idxError("Identify first.", "E0000001")
	case !tx.password:
		if !strings.EqualFold(tx.user, Username) || !emulator.EqualSecret(code, s.opts.Password) {
			return http.StatusUnauthorized, idxError("Password is incorrect", "incorrectPassword")
		}
		tx.password = true
		tx.user = Username
	case s.needsOTP(tx) && tx.otpChosen:
		step, ok := totpStep(s.opts.TOTPSecret, code, time.Now())
		switch {
		case !ok:
			return http.StatusUnauthorized, []obj{{"message": "Invalid code. Try again.", "i18n": obj{"key": "api.authn.error.PASSCODE_INVALID", "params": []any{}}, "class": "ERROR"}}
		case step <= s.lastOTPStep:
			// A code (or an older one) was used already: Okta refuses it.
			return http.StatusUnauthorized, []obj{{"message": "Each code can only be used once. Please wait for a new code and try again.", "i18n": obj{"key": "authfactor.challenge.soft_token.used_passcode"}, "class": "ERROR"}}
		}
		s.lastOTPStep = step
		tx.otp = true
	default:
		return http.StatusBadRequest, idxError("No challenge is open.", "E0000001")
	}
	return 0, nil
}

// choose picks the second factor from select-authenticator-authenticate.
func (s *Server) choose(tx *transaction, req idxRequest) (int, []obj) {
	if !tx.password || !s.needsOTP(tx) || req.Authenticator == nil {
		return http.StatusBadRequest, idxError("No authenticator is to be chosen now.", "E0000001")
	}
	if req.Authenticator.ID != otpAuthenticatorID {
		// The emulator sends no email: only Google Authenticator verifies.
		return http.StatusBadRequest, idxError("This emulator cannot send email; choose Google Authenticator.", "E0000001")
	}
	tx.otpChosen = true
	return 0, nil
}

// writeIDX sends an IDX answer; status 0 means 200.
func (s *Server) writeIDX(w http.ResponseWriter, status int, body obj) {
	if status == 0 {
		status = http.StatusOK
	}
	w.Header().Set("Content-Type", ionType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// idxFatal is a terminal IDX error (no remediation): the widget shows the
// message and nothing else to do.
func (s *Server) idxFatal(w http.ResponseWriter, status int, message, key string) {
	s.writeIDX(w, status, obj{"version": "1.0.0", "messages": obj{"type": "array", "value": idxError(message, key)}})
}

// idxDenied ends tx after "Don't Allow": the client gets access_denied.
func (s *Server) idxDenied(w http.ResponseWriter, tx *transaction) {
	tx.redeemedState = true
	href := errorRedirect(tx.req, s.Issuer(), "access_denied", "The resource owner or authorization server denied the request.")
	s.writeIDX(w, http.StatusOK, obj{
		"version": "1.0.0", "stateHandle": tx.handle, "intent": "LOGIN",
		"success": obj{"name": "success-redirect", "href": href},
	})
}
