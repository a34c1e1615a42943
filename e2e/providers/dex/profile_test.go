package dex

import (
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
)

// TestShippedProfileMatchesServer checks that profiles/dex.yaml names the
// clients, redirect URI, user and page selectors this package configures,
// with and without the environment overriding its defaults.
func TestShippedProfileMatchesServer(t *testing.T) {
	providertest.CheckShipped(t, providertest.Shipped{
		File:     "dex.yaml",
		PublicID: PublicClientID, ConfidentialID: ConfidentialClientID, OtherID: OtherClientID,
		RedirectURI: RedirectURI, Scopes: []string{"openid"},
		Steps: []string{"fill " + LoginSelector, "fill " + PasswordSelector, "click " + SubmitSelector, "click " + ApprovalSelector},
		Cases: []providertest.ShippedCase{
			{Name: "defaults", Issuer: "http://127.0.0.1:5556/dex", Secret: "dev-only-dex-secret", User: Email, Password: Password},
			{Name: "from environment", Env: map[string]string{
				"DEX_ISSUER":      "http://127.0.0.1:40001/dex",
				"DEX_CONF_SECRET": testSecret,
				"DEX_USER":        "bob@example.com",
				"DEX_PASSWORD":    "pw",
			}, Issuer: "http://127.0.0.1:40001/dex", Secret: testSecret, User: "bob@example.com", Password: "pw"},
		},
	})
}
