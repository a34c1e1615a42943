package springauthz

import (
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// TestShippedProfileMatchesServer checks that
// profiles/spring-authorization-server.yaml names the clients, redirect URI,
// user and page selectors the test app sets up, with and without the
// environment overriding its defaults.
func TestShippedProfileMatchesServer(t *testing.T) {
	providertest.CheckShipped(t, providertest.Shipped{
		File:     "spring-authorization-server.yaml",
		PublicID: PublicClientID, ConfidentialID: ConfidentialClientID, OtherID: OtherClientID,
		ConfidentialAuthMethods: []string{profiles.AuthClientSecretBasic, profiles.AuthClientSecretPost},
		RedirectURI:             RedirectURI, Scopes: []string{"openid", "profile"},
		Steps: []string{"fill " + UsernameSelector, "fill " + PasswordSelector, "click " + SubmitSelector, "click " + ProfileScopeSelector, "click " + ConsentSelector},
		Cases: []providertest.ShippedCase{
			{Name: "defaults", Issuer: "http://127.0.0.1:9000", Secret: "dev-only-spring-secret", User: Username, Password: "dev-only-spring-password"},
			{Name: "from environment", Env: map[string]string{
				"SPRING_ISSUER":      "http://127.0.0.1:40001",
				"SPRING_CONF_SECRET": testSecret,
				"SPRING_USER":        "bob",
				"SPRING_PASSWORD":    "pw",
			}, Issuer: "http://127.0.0.1:40001", Secret: testSecret, User: "bob", Password: "pw"},
		},
	})
}
