package hydra

import (
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
)

// TestShippedProfileMatchesServer checks that profiles/hydra.yaml names the
// clients, redirect URI, scopes and page selectors Start provides, with and
// without the environment overriding its defaults.
func TestShippedProfileMatchesServer(t *testing.T) {
	providertest.CheckShipped(t, providertest.Shipped{
		File:     "hydra.yaml",
		PublicID: PublicClientID, ConfidentialID: ConfidentialClientID, OtherID: OtherClientID,
		RedirectURI: RedirectURI, Scopes: []string{"openid", "offline"},
		Steps: []string{"fill " + UsernameSelector, "fill " + PasswordSelector, "click " + SubmitSelector, "click " + ConsentSelector},
		Cases: []providertest.ShippedCase{
			{Name: "defaults", Issuer: "http://127.0.0.1:4444/", Secret: "dev-only-hydra-secret", User: DefaultUsername},
			{Name: "from environment", Env: map[string]string{
				"HYDRA_ISSUER":      "http://127.0.0.1:40001/",
				"HYDRA_CONF_SECRET": "conf-secret-from-env",
				"HYDRA_USER":        "bob",
				"HYDRA_PASSWORD":    "pw",
			}, Issuer: "http://127.0.0.1:40001/", Secret: "conf-secret-from-env", User: "bob", Password: "pw"},
		},
	})
}
