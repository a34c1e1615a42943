package django

import (
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// TestShippedProfileMatchesServer checks that
// profiles/django-oauth-toolkit.yaml names the applications, redirect URI,
// user and page selectors the test site sets up, with and without the
// environment overriding its defaults.
func TestShippedProfileMatchesServer(t *testing.T) {
	providertest.CheckShipped(t, providertest.Shipped{
		File:     "django-oauth-toolkit.yaml",
		PublicID: PublicClientID, ConfidentialID: ConfidentialClientID, OtherID: OtherClientID,
		ConfidentialAuthMethods: []string{profiles.AuthClientSecretBasic, profiles.AuthClientSecretPost},
		RedirectURI:             RedirectURI, Scopes: []string{"openid"},
		// DOT's PKCE_REQUIRED (True by default) holds for every client.
		PKCERequired: profiles.PKCERequiredAll,
		Steps:        []string{"fill " + UsernameSelector, "fill " + PasswordSelector, "click " + SubmitSelector, "click " + AuthorizeSelector},
		Cases: []providertest.ShippedCase{
			{Name: "defaults", Issuer: "http://127.0.0.1:8000/o", Secret: "dev-only-django-secret", User: Username, Password: "dev-only-django-password"},
			{Name: "from environment", Env: map[string]string{
				"DJANGO_ISSUER":      "http://127.0.0.1:40001/o",
				"DJANGO_CONF_SECRET": testSecret,
				"DJANGO_USER":        "bob",
				"DJANGO_PASSWORD":    "pw",
			}, Issuer: "http://127.0.0.1:40001/o", Secret: testSecret, User: "bob", Password: "pw"},
		},
	})
}
