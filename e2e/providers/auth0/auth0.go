// Package auth0 is a local emulation of an Auth0 tenant with the Classic
// Universal Login experience, for the tests: its hosted login page runs the
// real Auth0 Lock (npm auth0-lock, pinned in lock/package-lock.json and
// bundled for the browser by esbuild at install time) as Auth0's Classic
// login page template starts it, and the tenant answers what Lock and
// auth0-js really request: the client configuration script
// (/client/{id}.js calling Auth0.setClient), /user/ssodata, the
// username/password login (/usernamepassword/login, answered with the
// hidden WS-Federation form auth0-js posts to /login/callback), then the
// consent page ("Authorize App", Accept/Decline) and the redirect with a
// code; /oauth/token redeems it with PKCE (RFC 7636), and discovery,
// userinfo and JWKS are served. Everything is on 127.0.0.1 over HTTPS
// with a certificate from a CA made at start (CAFile): auth0-js sends its
// requests to https://{domain}, and Lock runs as the hosted page only when
// the page's host equals that domain.
//
// What the tenant does, deliberately: one user (Username, an email, as the
// database connection "Username-Password-Authentication" without user
// names asks); three clients sharing RedirectURI (PublicClientID and
// OtherClientID authenticate with none, ConfidentialClientID with a secret,
// basic or post); PKCE required of the public clients, S256 and plain
// verified (Options.S256Only refuses plain); a code is single use, lives five
// minutes, a failed redemption burns it and a replay revokes the tokens
// it gave. Its errors follow the
// answers of Auth0's real tenants that sources show (profiles/auth0.yaml
// cites them): a wrong password is 401 ValidationError invalid_user_password
// "Wrong email or password.", a bad or used code and a wrong verifier are
// 403 invalid_grant. With Options.Consent every client needs consent,
// remembered per client in the session cookie, so later authorizations end
// in a code at once.
package auth0

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
)

// LockVersion is the auth0-lock version lock/package.json pins.
const LockVersion = "14.3.0"

// Client IDs (Auth0-style, 32 characters) and the one redirect URI every
// client has: the shipped profile's, which nothing serves (the browser
// catches it).
const (
	PublicClientID       = "pkcePublicClient0000000000000001"
	ConfidentialClientID = "pkceConfidentialClient0000000001"
	OtherClientID        = "pkceOtherClient00000000000000001"
	RedirectURI          = "http://127.0.0.1:8765/callback"
	// Username is the one user's email (the login name of the database
	// connection).
	Username = "pkcecheck@example.com"
	// Connection is the database connection Lock logs in with.
	Connection = "Username-Password-Authentication"
	// Tenant is the tenant's name.
	Tenant = "pkcecheck-emulated"
)

// Options configure the tenant. Password and ConfidentialSecret are
// required.
type Options struct {
	Password           string // Username's password
	ConfidentialSecret string // the confidential client's secret
	// Consent makes every client ask for the user's consent once.
	Consent bool
	// S256Only refuses code_challenge_method=plain (and advertises S256
	// alone).
	S256Only bool
	// Log receives one line per request (method and path, never a query,
	// body or secret); nil discards.
	Log io.Writer
}

// Server is a running tenant.
type Server struct {
	opts     Options
	origin   string // https://127.0.0.1:port
	srv      *http.Server
	lockDist string // the bundled Lock and its English dictionary
	caDir    string // holds ca.pem

	log      *emulator.RequestLog
	mu       sync.Mutex
	txs      map[string]*transaction
	sessions map[string]*session
	results  map[string]*wsResult // wresult tokens of /usernamepassword/login
	codes    map[string]*authCode
	tokens   map[string]*accessToken
	keys     *signer
}

// Start installs Lock if needed and serves the tenant on a free port of
// 127.0.0.1 until Stop.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.ConfidentialSecret == "" || opts.Password == "" {
		return nil, errors.New("start auth0 emulator: Options.ConfidentialSecret and Options.Password are required")
	}
	lockDist, err := EnsureLock(ctx)
	if err != nil {
		return nil, fmt.Errorf("start auth0 emulator: %w", err)
	}
	keys, err := newSigner()
	if err != nil {
		return nil, fmt.Errorf("start auth0 emulator: %w", err)
	}
	caPEM, cert, err := newCertificates()
	if err != nil {
		return nil, fmt.Errorf("start auth0 emulator: %w", err)
	}
	caDir, err := os.MkdirTemp("", "pkcecheck-auth0-ca-")
	if err != nil {
		return nil, fmt.Errorf("start auth0 emulator: %w", err)
	}
	if err := os.WriteFile(filepath.Join(caDir, "ca.pem"), caPEM, 0o600); err != nil {
		os.RemoveAll(caDir)
		return nil, fmt.Errorf("start auth0 emulator: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(caDir)
		return nil, fmt.Errorf("start auth0 emulator: %w", err)
	}
	s := &Server{
		log: emulator.NewRequestLog("auth0", opts.Log), opts: opts, origin: "https://" + ln.Addr().String(), lockDist: lockDist, caDir: caDir, keys: keys,
		txs: map[string]*transaction{}, sessions: map[string]*session{}, results: map[string]*wsResult{},
		codes: map[string]*authCode{}, tokens: map[string]*accessToken{},
	}
	s.srv = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}
	go func() { _ = s.srv.ServeTLS(ln, "", "") }()
	return s, nil
}

// Stop closes the server and every connection at once and removes the CA
// file.
func (s *Server) Stop() error {
	err := s.srv.Close()
	if rmErr := os.RemoveAll(s.caDir); err == nil {
		err = rmErr
	}
	if err != nil {
		return fmt.Errorf("stop auth0 emulator: %w", err)
	}
	return nil
}

// Origin is the tenant's URL, e.g. https://127.0.0.1:41234.
func (s *Server) Origin() string { return s.origin }

// Domain is the tenant's domain as Lock and auth0-js take it (host:port).
func (s *Server) Domain() string { return s.origin[len("https://"):] }

// Issuer is the tenant's issuer, with the trailing slash Auth0's has.
func (s *Server) Issuer() string { return s.origin + "/" }

// CAFile is the PEM file of the CA that signed the tenant's certificate
// (a profile's tls.ca_file).
func (s *Server) CAFile() string { return filepath.Join(s.caDir, "ca.pem") }

// Requests lists "METHOD /path" of every request so far, in order.
func (s *Server) Requests() []string { return s.log.Requests() }

// NotFound lists "METHOD /path" of every request answered 404: what Lock
// asked for that the tenant does not serve.
func (s *Server) NotFound() []string { return s.log.NotFound() }

// routes is the tenant's URL space.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", s.handleMetadata)
	mux.HandleFunc("GET /.well-known/jwks.json", s.handleKeys)
	mux.HandleFunc("GET /authorize", s.handleAuthorize)
	mux.HandleFunc("GET /login", s.handleLoginPage)
	mux.HandleFunc("GET /client/{file}", s.handleClientConfig)
	mux.HandleFunc("GET /user/ssodata", s.handleSSOData)
	mux.HandleFunc("POST /usernamepassword/login", s.handleUsernamePassword)
	mux.HandleFunc("POST /login/callback", s.handleLoginCallback)
	mux.HandleFunc("GET /authorize/resume", s.handleResume)
	mux.HandleFunc("GET /u/consent", s.handleConsentPage)
	mux.HandleFunc("POST /u/consent", s.handleConsent)
	mux.HandleFunc("POST /oauth/token", s.handleToken)
	mux.HandleFunc("GET /userinfo", s.handleUserinfo)
	mux.HandleFunc("POST /usernamepassword/challenge", s.handleChallenge)
	mux.HandleFunc("GET /lock/lock.min.js", s.script("lock.min.js"))
	// Lock loads its dictionary from {assetsUrl}/js/lock/{version}/{lang}.js.
	mux.HandleFunc("GET /js/lock/"+LockVersion+"/en.js", s.script("en.js"))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return s.log.Wrap(mux)
}

// script serves a file of Lock's dist folder as JavaScript.
func (s *Server) script(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		http.ServeFile(w, r, filepath.Join(s.lockDist, name))
	}
}

// randomID is n random bytes in base64url.
func randomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
