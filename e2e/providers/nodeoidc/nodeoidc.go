// Package nodeoidc starts node-oidc-provider (panva/oidc-provider 9.13.3, a
// certified OpenID provider) on 127.0.0.1 as a real, strict PKCE target for
// pkcecheck's tests. The Node.js side lives beside this file (package.json,
// package-lock.json, server.mjs); Start installs it with `npm ci` when needed,
// runs it in its own process group and stops it by PID.
//
// The provider registers three clients, all with RedirectURI and the
// authorization_code grant: PublicClientID and OtherClientID (public,
// token_endpoint_auth_method none, PKCE required) and ConfidentialClientID
// (client_secret_basic with Options.ConfidentialSecret), PostClientID
// (client_secret_post, same secret) and JWTClientID (private_key_jwt with the
// key of DevClientKeyFile). Its development login
// page accepts any login and password, then asks for consent.
//
// It needs node and npm in PATH and works on Linux (and other Unix systems).
package nodeoidc

// Client IDs registered by server.mjs.
const (
	PublicClientID       = "pkce-public"
	ConfidentialClientID = "pkce-confidential"
	OtherClientID        = "pkce-other"
	// PostClientID authenticates with client_secret_post and the
	// confidential secret.
	PostClientID = "pkce-conf-post"
	// JWTClientID authenticates with private_key_jwt, signed with the key in
	// DevClientKeyFile (or Options.JWTKeyFile).
	JWTClientID = "pkce-conf-jwt"
)

// DevClientKeyFile is the development-only private key of JWTClientID, beside
// server.mjs (a test fixture, never a real credential).
const DevClientKeyFile = "dev-only-client-key.pem"

// RedirectURI is the one redirect URI every client registers. Nothing needs to
// listen there: pkcecheck catches the redirect in the browser.
const RedirectURI = "http://127.0.0.1:8765/callback"

// Selectors of the provider's development login and consent pages, for
// profiles built in code.
const (
	LoginSelector    = "input[name=login]"
	PasswordSelector = "input[name=password]"
	SubmitSelector   = "button[type=submit]"
	ConsentSelector  = `form:has(input[name="prompt"][value="consent"]) button[type="submit"]`
)
