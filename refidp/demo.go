package refidp

import (
	"context"
	"crypto/rand"
	"encoding/base64"
)

// DemoRedirectURI is the redirect URI of a demo server's clients. Nothing
// listens there: the browser catches the redirect.
const DemoRedirectURI = "http://127.0.0.1:8765/callback"

// DemoUsername is the user of a demo server.
const DemoUsername = "demo"

// StartDemo starts the server the one way `pkcecheck demo`, `pkcecheck fuzz
// --demo` and the tests outside this package do: Start, with what cfg
// leaves empty filled in: DemoUsername, a random password, a random client
// secret, DemoRedirectURI. Tests that write profiles set the credentials
// they name.
func StartDemo(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Username == "" {
		cfg.Username = DemoUsername
	}
	if cfg.Password == "" {
		cfg.Password = randomSecret()
	}
	if cfg.ConfidentialSecret == "" {
		cfg.ConfidentialSecret = randomSecret()
	}
	if cfg.RedirectURI == "" {
		cfg.RedirectURI = DemoRedirectURI
	}
	return Start(ctx, cfg)
}

// randomSecret is 18 random bytes, base64url: a password or client secret
// nobody needs to type (Profile carries it).
func randomSecret() string {
	b := make([]byte, 18)
	rand.Read(b) // never fails (Go ≥ 1.24 crashes instead of returning an error)
	return base64.RawURLEncoding.EncodeToString(b)
}
