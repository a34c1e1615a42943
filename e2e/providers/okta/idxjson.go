package okta

import "strconv"

// The JSON of IDX responses (Okta Identity Engine, "application/ion+json;
// okta-version=1.0.0"): an envelope with the state handle, remediation
// forms the widget renders, and objects (user, app, authenticator
// enrollments) the forms relate to. Shapes follow @okta/okta-auth-js's
// RawIdxResponse / IdxRemediation / IdxAuthenticator types.

type obj = map[string]any

// ionType is the media type of IDX requests and answers.
const ionType = "application/ion+json; okta-version=1.0.0"

// Authenticator IDs of the org and the enrollment IDs of the one user.
const (
	passwordAuthenticatorID = "autpkcepassword00001"
	otpAuthenticatorID      = "autpkcegoogleotp0001"
	emailAuthenticatorID    = "autpkceemail00000001"
	passwordEnrollmentID    = "laepkcepassword00001"
	otpEnrollmentID         = "pfdpkcegoogleotp0001"
	emailEnrollmentID       = "eaepkceemail00000001"
	userID                  = "00upkcecheckuser0001"
)

// form is a remediation (or cancel) form posting to path.
func (s *Server) form(name, path string, fields ...obj) obj {
	return obj{
		"rel": []string{"create-form"}, "name": name, "href": s.origin + path, "method": "POST",
		"produces": ionType, "accepts": "application/json; okta-version=1.0.0", "value": fields,
	}
}

// stateField is the hidden stateHandle every form carries.
func stateField(handle string) obj {
	return obj{"name": "stateHandle", "required": true, "value": handle, "visible": false, "mutable": false}
}

// passcodeField is credentials.passcode (secret for a password).
func passcodeField(label string, secret bool) obj {
	p := obj{"name": "passcode", "label": label, "required": true}
	if secret {
		p["secret"] = true
	}
	return obj{"name": "credentials", "type": "object", "required": true, "form": obj{"value": []obj{p}}}
}

// enrollments are the user's authenticators, in the order
// "$.authenticatorEnrollments.value[i]" refers to.
func (s *Server) enrollments() []obj {
	list := []obj{{
		"type": "password", "key": "okta_password", "id": passwordEnrollmentID, "authenticatorId": passwordAuthenticatorID,
		"displayName": "Password", "methods": []obj{{"type": "password"}},
	}}
	if s.opts.TOTPSecret != "" {
		list = append(list, obj{
			"type": "app", "key": "google_otp", "id": otpEnrollmentID, "authenticatorId": otpAuthenticatorID,
			"displayName": "Google Authenticator", "methods": []obj{{"type": "otp"}},
		}, obj{
			"type": "email", "key": "okta_email", "id": emailEnrollmentID, "authenticatorId": emailAuthenticatorID,
			"displayName": "Email", "methods": []obj{{"type": "email"}}, "profile": obj{"email": "p***k@example.com"},
		})
	}
	return list
}

// authenticatorOption is one entry of select-authenticator-authenticate.
func authenticatorOption(label, id, method string, index int) obj {
	fields := []obj{{"name": "id", "required": true, "value": id, "mutable": false}}
	if method != "" {
		fields = append(fields, obj{"name": "methodType", "required": false, "value": method, "mutable": false})
	}
	return obj{"label": label, "value": obj{"form": obj{"value": fields}}, "relatesTo": "$.authenticatorEnrollments.value[" + strconv.Itoa(index) + "]"}
}

// selectSecondFactor lists the factors left after the password.
func (s *Server) selectSecondFactor(handle string) obj {
	return s.form("select-authenticator-authenticate", "/idp/idx/challenge",
		obj{"name": "authenticator", "type": "object", "options": []obj{
			authenticatorOption("Google Authenticator", otpAuthenticatorID, "otp", 1),
			authenticatorOption("Email", emailAuthenticatorID, "email", 2),
		}},
		stateField(handle))
}

// response is the IDX answer for tx's current step; messages (errors
// shown above the form) may be nil.
func (s *Server) response(tx *transaction, messages []obj) obj {
	h := tx.handle
	r := obj{
		"version": "1.0.0", "stateHandle": h, "expiresAt": tx.expires.UTC().Format("2006-01-02T15:04:05.000Z"),
		"intent": "LOGIN",
		"cancel": s.form("cancel", "/idp/idx/cancel", stateField(h)),
		"app":    obj{"type": "object", "value": obj{"name": "oidc_client", "label": appLabel(tx.req.clientID), "id": tx.req.clientID}},
	}
	if messages != nil {
		r["messages"] = obj{"type": "array", "value": messages}
	}
	if tx.user != "" {
		r["user"] = obj{"type": "object", "value": obj{"id": userID, "identifier": tx.user}}
		r["authenticatorEnrollments"] = obj{"type": "array", "value": s.enrollments()}
	}
	var forms []obj
	switch {
	case s.done(tx):
		delete(r, "authenticatorEnrollments")
		r["success"] = obj{"name": "success-redirect", "href": s.origin + "/login/token/redirect?stateToken=" + h}
		return r
	case tx.user == "":
		fields := []obj{{"name": "identifier", "label": "Username", "required": true}}
		if s.opts.IdentifyWithPassword {
			fields = append(fields, passcodeField("Password", true))
		}
		fields = append(fields, obj{"name": "rememberMe", "label": "Keep me signed in", "type": "boolean"}, stateField(h))
		forms = append(forms, s.form("identify", "/idp/idx/identify", fields...))
		r["step"] = "IDENTIFY"
		if s.opts.IdentifyWithPassword {
			r["currentAuthenticator"] = obj{"type": "object", "value": obj{
				"type": "password", "key": "okta_password", "id": passwordAuthenticatorID,
				"displayName": "Password", "methods": []obj{{"type": "password"}},
			}}
		}
	case !tx.password && !tx.fromSession:
		r["currentAuthenticatorEnrollment"] = obj{"type": "object", "value": s.enrollments()[0]}
		forms = append(forms, withRelates(s.form("challenge-authenticator", "/idp/idx/challenge/answer", passcodeField("Password", true), stateField(h))))
	case s.needsOTP(tx) && !tx.otpChosen:
		forms = append(forms, s.selectSecondFactor(h))
	case s.needsOTP(tx):
		r["currentAuthenticatorEnrollment"] = obj{"type": "object", "value": s.enrollments()[1]}
		forms = append(forms, withRelates(s.form("challenge-authenticator", "/idp/idx/challenge/answer", passcodeField("Enter code", false), stateField(h))),
			s.selectSecondFactor(h))
	case s.opts.KeepMeSignedIn && !tx.kmsiAnswered && !tx.fromSession:
		forms = append(forms, s.form("keep-me-signed-in", "/idp/idx/keep-me-signed-in",
			obj{"name": "keepMeSignedIn", "type": "boolean", "label": "Stay signed in", "required": true, "value": false, "mutable": true},
			stateField(h)))
	default: // consent
		consent := s.form("consent", "/idp/idx/consent",
			obj{"name": "consent", "type": "boolean", "required": true, "options": []obj{
				{"label": "Allow Access", "value": true}, {"label": "Don't Allow", "value": false},
			}},
			stateField(h))
		consent["scopes"] = consentScopes(tx.req.scope)
		forms = append(forms, consent)
		r["authentication"] = obj{"type": "object", "value": obj{"protocol": "OAUTH2.0", "issuer": obj{"uri": s.Issuer()}}}
	}
	r["remediation"] = obj{"type": "array", "value": forms}
	return r
}

// withRelates marks a challenge form as about the current enrollment.
func withRelates(f obj) obj {
	f["relatesTo"] = []string{"$.currentAuthenticatorEnrollment"}
	return f
}

// consentScopes describes the requested scopes on the consent page.
func consentScopes(scope string) []obj {
	labels := map[string]string{
		"openid":  "Signs you in with your account.",
		"profile": "View your profile information.",
		"email":   "View your email address.",
	}
	var out []obj
	for _, sc := range splitScope(scope) {
		l := labels[sc]
		if l == "" {
			l = sc
		}
		out = append(out, obj{"name": sc, "label": l, "value": sc})
	}
	return out
}

// appLabel is the app name the widget shows for a client.
func appLabel(clientID string) string {
	switch clientID {
	case ConfidentialClientID:
		return "pkce-confidential"
	case OtherClientID:
		return "pkce-other"
	}
	return "pkce-public"
}

// idxError is the IDX answer to a refused step: the same step again with
// an error message above the form ("class": "ERROR"), as Okta sends it.
func idxError(message, key string) []obj {
	return []obj{{"message": message, "i18n": obj{"key": key}, "class": "ERROR"}}
}
