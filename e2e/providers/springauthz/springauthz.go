// Package springauthz starts Spring Authorization Server (the one in Spring
// Security 7.0.6, through Spring Boot 4.0.7's starter) on 127.0.0.1 as a
// real PKCE target for pkcecheck's tests: the authorization server of the
// Spring ecosystem, configured by properties alone.
//
// The app in app/ is this project's own code: a pom.xml whose parent
// (spring-boot-starter-parent 4.0.7) pins every dependency and plugin, a
// main class, application.yml with the user and the three clients, and a
// filter that adds a Content-Security-Policy (so the browser never fetches
// the Bootstrap stylesheet the default consent page links from a CDN).
// Maven builds it from Maven Central into a jar in the user cache
// (process.Cached: once, under a lock); Start runs it with the java on
// PATH (17 or newer) in its own process group and stops it by PID.
//
// The users Username and OtherUsername log in on Spring Security's
// generated login page; Spring Authorization Server then shows its
// generated consent page, once per user and client (consent is remembered,
// in memory). The login lives in the
// HTTP session: later authorizations in the same browser go straight on.
//
// Three clients are registered, all with RedirectURI and the scopes openid
// and profile: PublicClientID and OtherClientID (authentication method
// none: PKCE required) and ConfidentialClientID (client_secret_basic and
// client_secret_post) with Options.ConfidentialSecret, handed over through
// the environment.
package springauthz

// Versions this package builds (app/pom.xml pins them).
const (
	Version     = "7.0.6" // Spring Security, which holds the authorization server
	BootVersion = "4.0.7"
)

// Client IDs of the three registered clients.
const (
	PublicClientID       = "spring-public"
	ConfidentialClientID = "spring-confidential"
	OtherClientID        = "spring-other"
)

// RedirectURI is the one redirect URI every client registers. Nothing needs
// to listen there: pkcecheck catches the redirect in the browser.
const RedirectURI = "http://127.0.0.1:8765/callback"

// The two users (Options.Password is the password of both). Consent is
// remembered per user and client: a second run on the same server meets
// the consent page again as the other user.
const (
	Username      = "alice"
	OtherUsername = "bob"
)

// Selectors of Spring Security's login page and Spring Authorization
// Server's consent page, for profiles built in code
// (profiles/spring-authorization-server.yaml uses the same).
const (
	// DefaultLoginPageGeneratingFilter's page: form.login-form with
	// input#username, input#password and <button type="submit"
	// class="primary">Sign in</button>.
	UsernameSelector = "#username"
	PasswordSelector = "#password"
	SubmitSelector   = `form.login-form button[type="submit"]`
	// The consent page: form[name=consent_form] with a checkbox per scope
	// besides openid (input.form-check-input[name=scope], id = the scope),
	// #submit-consent ("Submit Consent") and #cancel-consent ("Cancel", a
	// button that resets the form and submits it).
	ProfileScopeSelector = `form[name="consent_form"] input#profile`
	ConsentSelector      = "#submit-consent"
)
