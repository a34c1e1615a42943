// Package hydra starts Ory Hydra v2.3.0 (an OAuth 2.0 and OpenID Connect
// server built on fosite) on 127.0.0.1 as a real, strict PKCE target for
// pkcecheck's tests, together with the login and consent app Hydra needs.
//
// Hydra is built from the Go module proxy by the scratch module in build/
// (its go.mod and go.sum pin every dependency) into the user cache directory;
// Start builds it when the cached binary is missing, runs
// `hydra serve all --dev` with in-memory storage in its own process group,
// registers the clients through the admin API and stops everything by PID.
//
// Hydra has no login page of its own: it sends the browser to the login and
// consent app of this package (loginapp.go), an in-process net/http server on
// another loopback port. Its login form checks Options.Username and
// Options.Password, then accepts Hydra's login request with remember=true;
// its consent page grants the requested scopes, also remembered. Later
// authorizations in the same browser therefore pass both pages without a
// form: Hydra marks them skip and the app accepts them at once.
//
// The provider registers three clients, all with RedirectURI, the
// authorization_code and refresh_token grants and the scopes "openid offline":
// PublicClientID and OtherClientID (public, token_endpoint_auth_method none;
// Hydra enforces PKCE for public clients) and ConfidentialClientID
// (client_secret_basic with Options.ConfidentialSecret).
//
// It needs the go command (and gcc, for SQLite through cgo) to build Hydra
// once, and works on Linux (and other Unix systems).
package hydra

// Version is the Hydra release this package builds; build/go.mod pins it.
const Version = "v2.3.0"

// Client IDs registered by Start.
const (
	PublicClientID       = "hydra-public"
	ConfidentialClientID = "hydra-confidential"
	OtherClientID        = "hydra-other"
)

// RedirectURI is the one redirect URI every client registers. Nothing needs to
// listen there: pkcecheck catches the redirect in the browser.
const RedirectURI = "http://127.0.0.1:8765/callback"

// Scope is the scope every client may request.
const Scope = "openid offline"

// DefaultUsername is the login name the login app accepts when
// Options.Username is empty.
const DefaultUsername = "alice"

// Selectors of the login app's pages, for profiles built in code.
const (
	UsernameSelector = "#username"
	PasswordSelector = "#password"
	SubmitSelector   = "#login-submit"
	ConsentSelector  = "#consent-accept"
)
