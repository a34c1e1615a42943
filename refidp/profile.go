package refidp

import (
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// Profile describes the running server the way a profile file would: its
// issuer, its three clients (the confidential one with every authentication
// method it accepts, and the private_key_jwt key), the login and consent selectors and a strict
// policy (PKCE required for public clients, plain forbidden), with the
// user's password and the client secret marked secret. Under
// Config.NoSession the login steps are those of the two-step login.
func (s *Server) Profile() *profiles.Profile {
	redirect := s.cfg.RedirectURI
	p := &profiles.Profile{
		Name:   "reference provider (pkcecheck demo)",
		Issuer: s.Issuer(),
		Clients: profiles.Clients{
			Public: &profiles.Client{ID: PublicClientID, AuthMethod: profiles.AuthNone, RedirectURI: redirect, Scopes: []string{"openid"}},
			Confidential: &profiles.Client{ID: ConfidentialClientID, Secret: s.cfg.ConfidentialSecret, AuthMethod: profiles.AuthClientSecretBasic, RedirectURI: redirect, Scopes: []string{"openid"},
				AuthMethods:   []string{profiles.AuthClientSecretBasic, profiles.AuthClientSecretPost, profiles.AuthPrivateKeyJWT},
				PrivateKeyJWT: &profiles.PrivateKeyJWT{Key: s.clientKey, Alg: profiles.DefaultAlg(s.clientKey)}},
			Other: &profiles.Client{ID: OtherClientID, AuthMethod: profiles.AuthNone, RedirectURI: redirect, Scopes: []string{"openid"}},
		},
		Login: profiles.Login{
			Steps: []profiles.Step{
				{Fill: UsernameSelector, Value: s.cfg.Username},
				{Fill: PasswordSelector, Value: s.cfg.Password},
				{Click: LoginButtonSelector},
			},
			Consent: []profiles.Step{{Click: ConsentSelector}},
		},
		Policy: profiles.Policy{PKCERequired: profiles.PKCERequiredPublic, Plain: profiles.PlainForbidden, ErrorCodes: profiles.ErrorCodesStrict},
		Limits: profiles.Limits{Timeout: profiles.DefaultTimeout},
	}
	// On 127.0.0.1 (always): no rate limit, as a profile file would get.
	p.ApplyRateDefault()
	if s.cfg.NoSession {
		p.Login.Steps = []profiles.Step{
			{Fill: UsernameSelector, Value: s.cfg.Username},
			{Click: NextSelector},
			{Fill: PasswordSelector, Value: s.cfg.Password},
			{Click: LoginButtonSelector},
		}
	}
	p.Clients.Public.RedirectURIWithQuery = s.QueryRedirectURI()
	p.Flows.ResponseModes = []string{profiles.ResponseModeFormPost, profiles.ResponseModeFragment}
	p.Flows.MaxCodeAge = s.CodeLifetime() + time.Second
	p.AddSecret(s.cfg.Password)
	p.AddSecret(s.cfg.ConfidentialSecret)
	return p
}
