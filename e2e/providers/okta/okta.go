// Package okta is a local emulation of an Okta Identity Engine org for the
// tests: it serves the real Okta Sign-In Widget (npm
// @okta/okta-signin-widget, pinned in widget/package-lock.json; Gen2 or
// Gen3 bundle) on a hosted sign-in page at the custom authorization
// server's /oauth2/default/v1/authorize, answers the Identity Engine (IDX)
// requests the widget makes (introspect, identify, challenge, answer,
// keep-me-signed-in, consent, cancel) and ends the flow in an authorization
// code at its own correct OAuth 2.0 server (PKCE, RFC 9207 iss, discovery,
// token, userinfo). Everything is served from 127.0.0.1; the widget needs
// nothing from the network.
//
// The IDX answers are written from the widget's own TypeScript types
// (@okta/okta-auth-js idx types) and from the requests the widget was seen
// making in Chromium; their shapes follow the widget repository's
// playground mocks (read, not copied).
//
// What the org does, deliberately (each an Okta behaviour or a documented
// simplification): one user (Username); three clients (PublicClientID and
// OtherClientID authenticate with none, ConfidentialClientID with a
// secret, basic or post) sharing RedirectURI; PKCE required for every
// client, S256 only unless Options.AllowPlain; a failed redemption burns
// the code and a replayed code revokes its access tokens; codes live 5
// minutes; `iss` on every redirect (RFC 9207); response mode query only;
// no refresh tokens (the default server's scopes are openid, profile and
// email; Okta issues them only with offline_access), no PAR endpoint. The
// sign-on policy: identifier first (or, with IdentifyWithPassword, the
// password on the same page), then the password, then, with a TOTP secret,
// the factor list (Google Authenticator and Email; Email cannot be used
// here) and the code (RFC 6238, one step of skew, each code once); then
// "Stay signed in?" (KeepMeSignedIn) and consent (Consent), remembered per
// client in the SSO session the sid cookie holds, so later authorizations
// end in a code at once. An unknown user name is not revealed at the
// identifier step (the password step fails), as with Okta's user
// enumeration protection.
package okta

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
)

// WidgetVersion is the @okta/okta-signin-widget version widget/package.json
// pins.
const WidgetVersion = "7.49.0"

// Generation selects the widget bundle the hosted page loads.
type Generation int

const (
	// Gen2 is the Backbone widget (dist/js/okta-sign-in.min.js).
	Gen2 Generation = 2
	// Gen3 is the Preact widget (dist/js/okta-sign-in.next.js).
	Gen3 Generation = 3
)

func (g Generation) String() string { return fmt.Sprintf("Gen%d", int(g)) }

// Client IDs (Okta-style) and the one redirect URI every client has: the
// shipped profile's, which nothing serves (the browser catches it).
const (
	PublicClientID       = "0oapkcepublic0000001"
	ConfidentialClientID = "0oapkceconfidential01"
	OtherClientID        = "0oapkceother00000001"
	RedirectURI          = "http://127.0.0.1:8765/callback"
	// Username is the one user's login.
	Username = "pkcecheck@example.com"
)

// Options configure the org. ConfidentialSecret and Password are required.
type Options struct {
	Gen                Generation // Gen2 (default) or Gen3
	Password           string     // Username's password
	ConfidentialSecret string     // the confidential client's secret
	// TOTPSecret (base32), when set, enrolls the user in Google
	// Authenticator and the sign-on policy asks for it after the password.
	TOTPSecret string
	// IdentifyWithPassword asks for the password on the identifier page.
	IdentifyWithPassword bool
	// Consent makes every client require end-user consent.
	Consent bool
	// KeepMeSignedIn shows the post-authentication "Stay signed in?" page.
	KeepMeSignedIn bool
	// AllowPlain lets /authorize accept code_challenge_method=plain (and
	// advertises it); off, as on Okta, only S256 is accepted.
	AllowPlain bool
	// Log receives one line per request (method and path, never a query,
	// body or secret); nil discards.
	Log io.Writer
}

// Server is a running emulator.
type Server struct {
	opts   Options
	origin string
	srv    *http.Server
	ln     net.Listener
	widget string // the widget's dist folder

	log      *emulator.RequestLog
	mu       sync.Mutex
	txs      map[string]*transaction // by state handle
	sessions map[string]*session     // by sid cookie
	codes    map[string]*authCode
	tokens   map[string]*accessToken
	// lastOTPStep is the RFC 6238 time step of the last accepted code.
	lastOTPStep int64
}

// Start installs the widget if needed and serves the org on a free port of
// 127.0.0.1 until Stop.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.ConfidentialSecret == "" || opts.Password == "" {
		return nil, errors.New("start okta emulator: Options.ConfidentialSecret and Options.Password are required")
	}
	if opts.Gen == 0 {
		opts.Gen = Gen2
	}
	if opts.Gen != Gen2 && opts.Gen != Gen3 {
		return nil, fmt.Errorf("start okta emulator: unknown widget generation %d", opts.Gen)
	}
	if opts.TOTPSecret != "" {
		if err := checkTOTPSecret(opts.TOTPSecret); err != nil {
			return nil, fmt.Errorf("start okta emulator: %w", err)
		}
	}
	dist, err := EnsureWidget(ctx)
	if err != nil {
		return nil, fmt.Errorf("start okta emulator: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start okta emulator: %w", err)
	}
	s := &Server{
		log: emulator.NewRequestLog("okta", opts.Log), opts: opts, origin: "http://" + ln.Addr().String(), ln: ln, widget: dist,
		txs: map[string]*transaction{}, sessions: map[string]*session{},
		codes: map[string]*authCode{}, tokens: map[string]*accessToken{},
	}
	s.srv = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Stop closes the server and every connection at once (tests stop it
// after their last request).
func (s *Server) Stop() error {
	if err := s.srv.Close(); err != nil {
		return fmt.Errorf("stop okta emulator: %w", err)
	}
	return nil
}

// Origin is the org URL, e.g. http://127.0.0.1:41234.
func (s *Server) Origin() string { return s.origin }

// Issuer is the custom authorization server "default".
func (s *Server) Issuer() string { return s.origin + "/oauth2/default" }

// Requests lists "METHOD /path" of every request so far, in order.
func (s *Server) Requests() []string { return s.log.Requests() }

// NotFound lists "METHOD /path" of every request answered 404: what the
// widget asked for that the org does not serve.
func (s *Server) NotFound() []string { return s.log.NotFound() }

// routes is the org's URL space.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	as := "/oauth2/default"
	mux.HandleFunc("GET "+as+"/.well-known/openid-configuration", s.handleMetadata)
	mux.HandleFunc("GET "+as+"/.well-known/oauth-authorization-server", s.handleMetadata)
	mux.HandleFunc("GET "+as+"/v1/authorize", s.handleAuthorize)
	mux.HandleFunc("POST "+as+"/v1/token", s.handleToken)
	mux.HandleFunc("GET "+as+"/v1/userinfo", s.handleUserinfo)
	mux.HandleFunc("POST "+as+"/v1/userinfo", s.handleUserinfo)
	mux.HandleFunc("GET "+as+"/v1/keys", s.handleKeys)
	mux.HandleFunc("POST /idp/idx/{step...}", s.handleIDX)
	mux.HandleFunc("GET /login/token/redirect", s.handleTokenRedirect)
	mux.HandleFunc("GET /img/logos/default.png", s.handleLogo)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServer(http.Dir(s.widget))))
	return s.log.Wrap(mux)
}

// randomID is n random bytes in base64url, prefixed.
func randomID(prefix string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on Linux
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}
