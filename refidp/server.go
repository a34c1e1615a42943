// Package refidp is the in-repo reference authorization server: a correct,
// strict OAuth 2.0 authorization-code server with PKCE (RFC 6749, RFC 7636,
// RFC 9700, RFC 8414 / OIDC discovery, RFC 9207 iss), a real HTML login form
// and consent page, and switchable flaws, one or more per requirement of the
// catalogue. `pkcecheck demo` runs the suites against it, and the self-tests
// prove that each flaw trips exactly the requirements it names.
package refidp

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Client IDs. Every client has the one redirect URI of Config.RedirectURI.
const (
	// PublicClientID is a public client (token endpoint auth "none").
	PublicClientID = "demo-public"
	// ConfidentialClientID authenticates with client_secret_basic or
	// client_secret_post, using Config.ConfidentialSecret.
	ConfidentialClientID = "demo-confidential"
	// OtherClientID is a second public client, for cross-client checks.
	OtherClientID = "demo-other"
)

// CSS selectors of the login and consent pages, for browser profiles.
const (
	UsernameSelector    = "#username"
	PasswordSelector    = "#password"
	LoginButtonSelector = "#login"
	// NextSelector is the button of the user name page under
	// Config.NoSession.
	NextSelector    = "#next"
	ConsentSelector = "#approve"
)

// Lifetimes.
const (
	// defaultCodeLifetime is the code lifetime unless Config.CodeLifetime
	// sets one.
	defaultCodeLifetime = 60 * time.Second
	codeRetention       = 10 * time.Minute // used codes are kept this long to detect replays
	tokenLifetime       = time.Hour
	sessionLifetime     = 12 * time.Hour
	// racyWindow is the gap between "code unused?" and "mark used" under the
	// racy-redeem flaw.
	racyWindow = 50 * time.Millisecond
	// takenWindow is how long the challenge is off the code under
	// pkce-taken-before-check, and verifiedWindow the gap between a passed
	// check and the redemption under pkce-verified-flag.
	takenWindow    = 100 * time.Millisecond
	verifiedWindow = 200 * time.Millisecond
	// maxBody bounds request bodies.
	maxBody = 64 << 10
)

// Config describes the one user, the clients' shared redirect URI and which
// flaws and options are switched on.
type Config struct {
	// Username and Password of the one user; both required.
	Username, Password string
	// RedirectURI is registered for every client, e.g.
	// http://127.0.0.1:8765/callback. It is never served by this package.
	RedirectURI string
	// ConfidentialSecret is the secret of the confidential client; required.
	ConfidentialSecret string
	// Flaws are names from Flaws(); an unknown name makes Start fail.
	Flaws []string
	// PlainSupported makes the clean server support (and advertise) plain,
	// verified correctly.
	PlainSupported bool
	// Consent shows a consent page, remembered per client per session after
	// approval.
	Consent bool
	// ConsentEveryTime shows the consent page on every authorization,
	// approved or not before (implies Consent).
	ConsentEveryTime bool
	// NoSession keeps no single sign-on session: every authorization asks
	// for a login, in two steps (a user name page, then a password page,
	// selectors UsernameSelector, NextSelector, PasswordSelector,
	// LoginButtonSelector). A login is good for the one authorization it
	// was asked for.
	NoSession bool
	// RequireNonce refuses an authorization request whose scope has openid
	// but that sends no nonce (error invalid_request, "nonce required"), as
	// some OpenID providers do.
	RequireNonce bool
	// BurnOnFailure makes any failed PKCE check at the token endpoint consume
	// the code, like Hydra.
	BurnOnFailure bool
	// CheckAfterLogin reports authorization-request errors (PKCE, duplicated
	// parameters, response_type) only after login and consent, like Hydra.
	// By default they are reported before the login.
	CheckAfterLogin bool
	// RequirePAR makes every authorization request go through the pushed
	// authorization request endpoint (RFC 9126 §5: the metadata says
	// require_pushed_authorization_requests).
	RequirePAR bool
	// ClientKey signs the confidential client's private_key_jwt assertions
	// (the server verifies with its public part); nil makes Start generate
	// an EC P-256 key. Profile hands it to the suites.
	ClientKey crypto.Signer
	// CodeLifetime is how long a code can be redeemed; 0 means 60 s. The
	// demo's profile sets max_code_age to it plus a second.
	CodeLifetime time.Duration
	// TLSCert, when set, makes the server speak HTTPS with this
	// certificate (it must be valid for 127.0.0.1); the issuer is then
	// https://127.0.0.1:PORT.
	TLSCert *tls.Certificate
	// Logf, when set, receives one line per request. It never receives
	// secrets: no passwords, client secrets, codes, tokens or verifiers.
	Logf func(string, ...any)
}

// Stats are counters of what the server did.
type Stats struct {
	Logins        int // successful logins through the form
	LoginFailures int // login forms posted with a wrong user name or password
	CodesIssued   int // authorization codes issued
	TokenRequests int // requests to the token endpoint
}

// Server is a running reference authorization server.
type Server struct {
	cfg     Config
	flaws   map[string]bool
	issuer  string
	clients map[string]client
	// clientKey is Config.ClientKey or the generated one.
	clientKey crypto.Signer
	srv       *http.Server
	done      chan struct{}

	// clockOffset shifts the server's clock (tests use it to expire codes).
	clockOffset atomic.Int64

	logins, loginFailures, codesIssued, tokenRequests atomic.Int64

	mu       sync.Mutex
	codes    map[string]*codeRecord
	tokens   map[string]*tokenRecord
	sessions map[string]*session
	// refreshTokens are the refresh tokens issued (refresh.go).
	refreshTokens map[string]*refreshRecord
	jtis          map[string]time.Time  // client assertion IDs seen, until their exp
	pars          map[string]*parRecord // pushed requests by request_uri

	closeOnce sync.Once
	closeErr  error
}

// Start validates cfg and starts a server on 127.0.0.1 with a free port. The
// server runs until Close is called or ctx is cancelled.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	flaws, err := checkConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("start refidp: %w", err)
	}
	key := cfg.ClientKey
	if key == nil {
		if key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			return nil, fmt.Errorf("start refidp: generate the client key: %w", err)
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start refidp: listen on 127.0.0.1: %w", err)
	}
	scheme := "http"
	if cfg.TLSCert != nil {
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{*cfg.TLSCert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	s := &Server{
		cfg:           cfg,
		flaws:         flaws,
		issuer:        scheme + "://" + ln.Addr().String(),
		clients:       newClients(),
		done:          make(chan struct{}),
		codes:         make(map[string]*codeRecord),
		tokens:        make(map[string]*tokenRecord),
		sessions:      make(map[string]*session),
		refreshTokens: make(map[string]*refreshRecord),
		jtis:          make(map[string]time.Time),
		pars:          make(map[string]*parRecord),

		clientKey: key,
	}
	s.srv = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("refidp: serve: %v", err)
		}
	}()
	stop := context.AfterFunc(ctx, func() { _ = s.Close() })
	go func() {
		<-s.done
		stop()
	}()
	return s, nil
}

// checkConfig reports a missing required field or an unknown flaw, and
// returns the set of flaws switched on.
func checkConfig(cfg Config) (map[string]bool, error) {
	switch {
	case cfg.Username == "":
		return nil, errors.New("config: Username is required")
	case cfg.Password == "":
		return nil, errors.New("config: Password is required")
	case cfg.ConfidentialSecret == "":
		return nil, errors.New("config: ConfidentialSecret is required")
	case cfg.RedirectURI == "":
		return nil, errors.New("config: RedirectURI is required")
	case cfg.CodeLifetime < 0 || cfg.CodeLifetime > codeRetention:
		return nil, fmt.Errorf("config: CodeLifetime %v is out of range (0 to %v)", cfg.CodeLifetime, codeRetention)
	}
	u, err := url.Parse(cfg.RedirectURI)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
		return nil, fmt.Errorf("config: RedirectURI %q is not an absolute http(s) URL without fragment", cfg.RedirectURI)
	}
	known := make(map[string]bool)
	for _, f := range Flaws() {
		known[f.Name] = true
	}
	on := make(map[string]bool)
	for _, name := range cfg.Flaws {
		if !known[name] {
			return nil, fmt.Errorf("config: unknown flaw %q (see refidp.Flaws)", name)
		}
		on[name] = true
	}
	return on, nil
}

// QueryRedirectURI is the second redirect URI every client has: the
// configured one with a query of its own (from=pkcecheck), which redirects
// must keep (RFC 6749 §3.1.2).
func (s *Server) QueryRedirectURI() string {
	sep := "?"
	if strings.Contains(s.cfg.RedirectURI, "?") {
		sep = "&"
	}
	return s.cfg.RedirectURI + sep + "from=pkcecheck"
}

// CodeLifetime is how long a code can be redeemed (Config.CodeLifetime or
// its default).
func (s *Server) CodeLifetime() time.Duration {
	if s.cfg.CodeLifetime > 0 {
		return s.cfg.CodeLifetime
	}
	return defaultCodeLifetime
}

// codeExpiry is the lifetime a new code gets: the configured one, or 60
// times it under code-lifetime-minutes (seconds taken for minutes).
func (s *Server) codeExpiry() time.Duration {
	if s.has(flawCodeLifetimeMinutes) {
		return 60 * s.CodeLifetime()
	}
	return s.CodeLifetime()
}

// Issuer is the server's issuer identifier, http://127.0.0.1:PORT
// (https with Config.TLSCert).
func (s *Server) Issuer() string { return s.issuer }

// Close stops the server at once and frees its port. It is safe to call more
// than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if err := s.srv.Close(); err != nil {
			s.closeErr = fmt.Errorf("close refidp: %w", err)
		}
		<-s.done
	})
	return s.closeErr
}

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	return Stats{
		Logins:        int(s.logins.Load()),
		LoginFailures: int(s.loginFailures.Load()),
		CodesIssued:   int(s.codesIssued.Load()),
		TokenRequests: int(s.tokenRequests.Load()),
	}
}

// routes is the server's HTTP surface.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", s.handleMetadata)
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", s.handleMetadata)
	mux.HandleFunc("GET /authorize", s.handleAuthorize)
	mux.HandleFunc("GET /login", s.handleLoginPage)
	mux.HandleFunc("POST /login", s.handleLogin)
	mux.HandleFunc("POST /login/identifier", s.handleIdentifier)
	mux.HandleFunc("POST /consent", s.handleConsent)
	mux.HandleFunc("POST /token", s.handleToken)
	mux.HandleFunc("POST /par", s.handlePAR)
	mux.HandleFunc("GET /userinfo", s.handleUserinfo)
	mux.HandleFunc("POST /userinfo", s.handleUserinfo)
	mux.HandleFunc("POST /introspect", s.handleIntrospect)
	return mux
}

// has reports whether a flaw is switched on.
func (s *Server) has(flaw string) bool { return s.flaws[flaw] }

// now is the server's clock.
func (s *Server) now() time.Time {
	return time.Now().Add(time.Duration(s.clockOffset.Load()))
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}
