package nodeoidc

import (
	"path/filepath"
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// TestShippedProfileMatchesServer checks that profiles/node-oidc-provider.yaml
// names the clients, redirect URI and page selectors server.mjs provides, with
// and without the environment overriding its defaults.
func TestShippedProfileMatchesServer(t *testing.T) {
	providertest.CheckShipped(t, providertest.Shipped{
		File:     "node-oidc-provider.yaml",
		PublicID: PublicClientID, ConfidentialID: ConfidentialClientID, OtherID: OtherClientID,
		RedirectURI: RedirectURI, Scopes: []string{"openid"},
		// server.mjs registers it for pkce-other only.
		OtherQueryRedirectURI: RedirectURI + "?from=pkcecheck",
		Steps:                 []string{"fill " + LoginSelector, "fill " + PasswordSelector, "click " + SubmitSelector, "click " + ConsentSelector},
		Cases: []providertest.ShippedCase{
			{Name: "defaults", Issuer: "http://127.0.0.1:9810", Secret: "dev-only-node-oidc-secret", User: "alice"},
			{Name: "from environment", Env: map[string]string{
				"NODE_OIDC_ISSUER":      "http://127.0.0.1:40001",
				"NODE_OIDC_CONF_SECRET": testSecret,
				"NODE_OIDC_USER":        "bob",
				"NODE_OIDC_PASSWORD":    "pw",
			}, Issuer: "http://127.0.0.1:40001", Secret: testSecret, User: "bob"},
		},
		Extra: func(t *testing.T, p *profiles.Profile) {
			// On 127.0.0.1 a run is not paced (no requests_per_second).
			if p.Limits.RequestsPerSecond != 0 || p.Limits.RateSource != profiles.RateLoopback || p.Limits.Timeout.String() != "10s" {
				t.Errorf("limits = %+v, want no rate limit (loopback) and 10s", p.Limits)
			}
			extra := p.Clients.Extra
			if len(extra) != 2 {
				t.Fatalf("%d extra clients, want the client_secret_post and private_key_jwt ones", len(extra))
			}
			if c := extra[0]; c.ID != PostClientID || c.AuthMethod != profiles.AuthClientSecretPost ||
				c.Secret != p.Clients.Confidential.Secret || c.RedirectURI != RedirectURI {
				t.Errorf("extra[0] = %s %s, want %s with client_secret_post and the confidential secret", c.ID, c.AuthMethod, PostClientID)
			}
			if c := extra[1]; c.ID != JWTClientID || c.AuthMethod != profiles.AuthPrivateKeyJWT || c.PrivateKeyJWT == nil ||
				c.PrivateKeyJWT.Key == nil || filepath.Base(c.PrivateKeyJWT.KeyFile) != DevClientKeyFile || c.RedirectURI != RedirectURI {
				t.Errorf("extra[1] = %s %s, want %s with private_key_jwt and %s", c.ID, c.AuthMethod, JWTClientID, DevClientKeyFile)
			}
		},
	})
}
