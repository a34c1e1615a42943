package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/refidp"
)

// Credentials of `pkcecheck demo --serve`: public and fixed, so that the
// profile it writes can name them and anyone can replay a reproducer
// against the provider it keeps running on 127.0.0.1. They are not
// secrets (the demo's other modes use random ones).
const (
	servePassword = "demo-password-public"
	serveSecret   = "demo-client-secret-public"
)

// serveProfileFile is the profile demo --serve writes into --out.
const serveProfileFile = "demo-profile.yaml"

// writeServeProfile writes a profile file for the running reference
// provider (without the private_key_jwt client authentication, whose key
// lives in memory) and returns its path.
func writeServeProfile(dir string, srv *refidp.Server, p *profiles.Profile) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	body := fmt.Sprintf(`# The reference provider of "pkcecheck demo --serve" (127.0.0.1, public demo credentials).
name: %q
issuer: %q
clients:
  public: {id: %q, auth_method: none, redirect_uri: %q, redirect_uri_with_query: %q, scopes: [openid]}
  confidential: {id: %q, secret: %q, auth_method: client_secret_basic, auth_methods: [client_secret_basic, client_secret_post], redirect_uri: %q, scopes: [openid]}
  other: {id: %q, auth_method: none, redirect_uri: %q, scopes: [openid]}
login:
  steps:
    - {fill: %q, value: %q}
    - {fill: %q, value: %q}
    - {click: %q}
  consent:
    - {click: %q}
policy: {pkce_required: %s, plain: %s, error_codes: %s}
flows: {response_modes: [form_post, fragment]}
`, p.Name, srv.Issuer(), refidp.PublicClientID, p.Clients.Public.RedirectURI, srv.QueryRedirectURI(),
		refidp.ConfidentialClientID, serveSecret, p.Clients.Public.RedirectURI, refidp.OtherClientID, p.Clients.Public.RedirectURI,
		refidp.UsernameSelector, refidp.DemoUsername, refidp.PasswordSelector, servePassword, refidp.LoginButtonSelector, refidp.ConsentSelector,
		p.Policy.PKCERequired, p.Policy.Plain, p.Policy.ErrorCodes)
	path := filepath.Join(dir, serveProfileFile)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// serve keeps the reference provider running after the checks until ctx
// ends (Ctrl-C), for the reproducers; it returns the checks' outcome.
func serve(ctx context.Context, srv *refidp.Server, profile string, result error, stderr io.Writer) error {
	fmt.Fprintf(stderr, "reference provider still running at %s (Ctrl-C stops it); its profile: %s\n", srv.Issuer(), profile)
	fmt.Fprintf(stderr, "replay a finding: pkcecheck repro --results %s ID > repro.sh, then the pkcecheck code line at its top, then sh repro.sh\n", filepath.Dir(profile))
	<-ctx.Done()
	return result
}
