package refidp

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// authRequest is an authorization request whose client and redirect URI have
// been checked, so errors can be sent back to the client.
type authRequest struct {
	raw         string // the query as received, to resume after login or consent
	vals        url.Values
	client      client
	redirectURI string
	state       string
	// pushed is the pushed request the parameters came from (request_uri),
	// nil for a plain authorization request.
	pushed *parRecord
	// frontMethod is a code_challenge_method sent on the front channel next
	// to request_uri, kept only under the par-front-method-override flaw.
	frontMethod string

	// Set by validateAuthorization.
	mode      string // response_mode: query (default), fragment or form_post
	scope     string
	challenge string // "" when the code has no PKCE
	method    string
	// emptyChallenge: code_challenge= (empty) under the
	// downgrade-empty-challenge flaw, for the confidential client.
	emptyChallenge bool
}

// authError is an error sent to the client's redirect URI (RFC 6749 §4.1.2.1).
type authError struct {
	code, desc string
}

// identifyClient parses an authorization query and checks the client and
// its redirect URI. On failure it returns a message for the error page: such
// errors are never redirected.
func (s *Server) identifyClient(raw string) (*authRequest, string) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, "The authorization request is malformed."
	}
	var pushed *parRecord
	if _, ok := vals["request_uri"]; ok {
		var msg string
		if vals, pushed, msg = s.pushedParams(vals); msg != "" {
			return nil, msg
		}
	}
	firstWins := s.duplicates() != duplicatesRefused
	clientID, dupClient := firstValue(vals, "client_id")
	redirectURI, dupRedirect := firstValue(vals, "redirect_uri")
	if (dupClient || dupRedirect) && !firstWins {
		return nil, "The authorization request repeats client_id or redirect_uri."
	}
	c, ok := s.clients[clientID]
	if !ok {
		return nil, "The application (client_id) is not known."
	}
	if redirectURI != s.cfg.RedirectURI && redirectURI != s.QueryRedirectURI() {
		return nil, "The redirect_uri is missing or not registered for this application."
	}
	state, _ := firstValue(vals, "state")
	req := &authRequest{raw: raw, vals: vals, client: c, redirectURI: redirectURI, state: state, pushed: pushed}
	if pushed != nil && s.has(flawPARFrontMethodOverride) {
		if front, err := url.ParseQuery(raw); err == nil {
			req.frontMethod = front.Get("code_challenge_method")
		}
	}
	return req, ""
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	req, msg := s.identifyClient(r.URL.RawQuery)
	if msg != "" {
		s.logf("refidp: GET /authorize: error page: %s", msg)
		errorPage(w, http.StatusBadRequest, msg)
		return
	}
	if s.cfg.RequirePAR && req.pushed == nil {
		s.redirectError(w, r, req, &authError{"invalid_request", "authorization requests must be pushed first (require_pushed_authorization_requests)"})
		return
	}
	if !s.cfg.CheckAfterLogin {
		if e := s.validateAuthorization(req); e != nil {
			s.redirectError(w, r, req, e)
			return
		}
	}
	sess := s.sessionFor(r)
	if sess == nil {
		s.logf("refidp: GET /authorize client=%s: to login", req.client.id)
		http.Redirect(w, r, "/login?return="+url.QueryEscape("/authorize?"+req.raw), http.StatusFound)
		return
	}
	if (s.cfg.Consent || s.cfg.ConsentEveryTime) && !s.consented(sess, req) {
		s.logf("refidp: GET /authorize client=%s: consent page", req.client.id)
		render(w, http.StatusOK, "consent", consentPage{
			ClientID: req.client.id, Scope: req.vals.Get("scope"), Request: req.raw, CSRF: sess.csrf,
		})
		return
	}
	if s.cfg.CheckAfterLogin {
		if e := s.validateAuthorization(req); e != nil {
			s.redirectError(w, r, req, e)
			return
		}
	}
	if s.cfg.NoSession {
		// The login was for this authorization only.
		s.endSession(r)
	}
	s.issueCode(w, r, req)
}

// validateAuthorization checks everything but the client and redirect URI,
// and binds the scope and PKCE challenge to req.
func (s *Server) validateAuthorization(req *authRequest) *authError {
	params, err := singleValues(req.vals, s.duplicates())
	if err != nil {
		return &authError{"invalid_request", err.Error()}
	}
	switch params["response_type"] {
	case "code":
	case "":
		return &authError{"invalid_request", "response_type is required"}
	default:
		return &authError{"unsupported_response_type", "only response_type=code is supported"}
	}
	if s.cfg.RequireNonce && params["nonce"] == "" && hasScope(params["scope"], "openid") {
		return &authError{"invalid_request", "nonce required"}
	}
	switch m := params["response_mode"]; m {
	case "", "query":
		req.mode = "query"
	case "fragment", "form_post":
		req.mode = m
	default:
		return &authError{"invalid_request", "response_mode must be query, fragment or form_post"}
	}
	req.scope = grantScope(params["scope"])
	raw, sent := params["code_challenge"]
	challenge, method, e := s.bindChallenge(req.client, raw, sent, params["code_challenge_method"])
	if e != nil {
		return e
	}
	req.challenge, req.method = s.modeFlaws(req.mode, challenge, method)
	req.emptyChallenge = sent && raw == "" && req.client.confidential && s.has(flawDowngradeEmptyChallenge)
	if challenge != "" && (req.frontMethod == pkce.MethodPlain || req.frontMethod == pkce.MethodS256) {
		req.method = req.frontMethod // par-front-method-override: bound after validation
	}
	return nil
}

// hasScope reports whether a scope parameter names sc.
func hasScope(scope, sc string) bool {
	for _, f := range strings.Fields(scope) {
		if f == sc {
			return true
		}
	}
	return false
}

// grantScope keeps the supported scopes of a request, in its order.
func grantScope(requested string) string {
	var out []string
	seen := make(map[string]bool)
	for _, sc := range strings.Fields(requested) {
		for _, ok := range supportedScopes {
			if sc == ok && !seen[sc] {
				seen[sc] = true
				out = append(out, sc)
			}
		}
	}
	return strings.Join(out, " ")
}

// redirectError sends an error back to the client's redirect URI, with
// state and iss (RFC 9207).
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, req *authRequest, e *authError) {
	s.logf("refidp: authorize client=%s: error=%s (%s)", req.client.id, e.code, legalText(e.desc))
	iss := s.issuer
	if s.has(flawErrorWithoutIss) || s.has(flawIssUnadvertised) {
		iss = "" // addQuery leaves out empty values
	}
	desc := legalText(e.desc)
	if s.has(flawErrorTypographic) {
		desc = "The request wasn’t accepted: “" + desc + "”"
	}
	params := [][2]string{{"error", e.code}, {"error_description", desc}, {"state", req.state}, {"iss", iss}}
	if req.mode != "" && req.mode != "query" {
		s.respond(w, r, req, params)
		return
	}
	var loc string
	switch {
	case s.has(flawErrorRedirectDropsQuery):
		loc = addQuery(withoutQuery(req.redirectURI), params)
	case s.has(flawErrorRedirectConcatenates):
		loc = req.redirectURI + "?" + addQuery("", params)[1:]
	default:
		loc = addQuery(req.redirectURI, params)
	}
	http.Redirect(w, r, loc, http.StatusFound)
}

// issueCode mints a code for a validated request and redirects to the client.
func (s *Server) issueCode(w http.ResponseWriter, r *http.Request, req *authRequest) {
	code, err := s.newCode(req.challenge)
	if err != nil {
		s.redirectError(w, r, req, &authError{"server_error", "the code could not be generated"})
		return
	}
	s.mu.Lock()
	now := s.now()
	for k, rec := range s.codes {
		if now.Sub(rec.issued) > codeRetention {
			delete(s.codes, k)
		}
	}
	s.codes[code] = &codeRecord{
		clientID:       req.client.id,
		redirectURI:    req.redirectURI,
		challenge:      req.challenge,
		method:         req.method,
		emptyChallenge: req.emptyChallenge,
		scope:          req.scope,
		subject:        s.cfg.Username,
		issued:         now,
		expires:        now.Add(s.codeExpiry()),
	}
	s.mu.Unlock()
	s.markPushedUsed(req.pushed, code)
	s.codesIssued.Add(1)
	s.logf("refidp: authorize client=%s: code issued (pkce=%t)", req.client.id, req.challenge != "")
	iss := s.issuer
	if s.has(flawSuccessWithoutIss) || s.has(flawIssUnadvertised) {
		iss = ""
	}
	params := [][2]string{{"code", code}, {"state", req.state}, {"iss", iss}}
	if s.has(flawChallengeEchoed) {
		params = append(params, [2]string{"code_challenge", req.challenge})
	}
	s.respond(w, r, req, params)
}

// newCode returns a fresh authorization code: random, or under the
// challenge-in-code flaw a self-contained unencrypted one, base64url JSON
// that carries the challenge beside the random part.
func (s *Server) newCode(challenge string) (string, error) {
	id, err := randomID()
	if err != nil || !s.has(flawChallengeInCode) {
		return id, err
	}
	body, err := json.Marshal(map[string]string{"cc": challenge, "r": id})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(body), nil
}
