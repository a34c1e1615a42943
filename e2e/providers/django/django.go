// Package django starts django-oauth-toolkit (DOT) 3.4.1 on Django 5.2 LTS
// on 127.0.0.1 as a real PKCE target for pkcecheck's tests: the OAuth 2.0 /
// OpenID Connect provider most Django sites use, with its defaults.
//
// The packages come from PyPI, pinned exactly in requirements.txt, into a
// virtual environment made with the machine's python3 (3.10 or newer, with
// its venv module) in the user cache directory (process.Cached: once, under
// a lock). The site in site/ is this project's own code: settings (DOT with
// OIDC on and otherwise its defaults; the admin's login page as LOGIN_URL,
// as DOT's tutorial sets it up) and the management command pkcecheck_serve,
// which migrates a fresh SQLite database in a temporary folder, creates the
// user and the three applications, and runs Django's own server (runserver,
// without the autoreloader: one process, stopped by its PID).
//
// The user Username (staff: the admin's login form only lets staff in)
// logs in on Django's admin login page; DOT then shows its authorization
// page on every authorization (REQUEST_APPROVAL_PROMPT "force"). Django
// keeps the login in a session cookie: later authorizations in the same
// browser go straight to the authorization page.
//
// Three applications are registered, all with RedirectURI, the
// authorization-code grant and RS256 ID tokens: PublicClientID and
// OtherClientID (public) and ConfidentialClientID (confidential; DOT takes
// client_secret_basic and client_secret_post) with
// Options.ConfidentialSecret, handed over through the environment and
// stored hashed, as DOT does.
package django

// Versions this package installs (requirements.txt pins them and their
// dependencies).
const (
	Version       = "3.4.1" // django-oauth-toolkit
	DjangoVersion = "5.2.19"
)

// Client IDs of the three applications.
const (
	PublicClientID       = "django-public"
	ConfidentialClientID = "django-confidential"
	OtherClientID        = "django-other"
)

// RedirectURI is the one redirect URI every application registers. Nothing
// needs to listen there: pkcecheck catches the redirect in the browser.
const RedirectURI = "http://127.0.0.1:8765/callback"

// Username is the one user's name; Options.Password is its password.
const Username = "alice"

// Selectors of Django's admin login page and DOT's authorization page, for
// profiles built in code (profiles/django-oauth-toolkit.yaml uses the same).
const (
	// The admin login form (django/contrib/admin/templates/admin/login.html):
	// form#login-form with AuthenticationForm's #id_username and
	// #id_password and an <input type="submit" value="Log in">.
	UsernameSelector = "#id_username"
	PasswordSelector = "#id_password"
	SubmitSelector   = `#login-form input[type="submit"]`
	// DOT's oauth2_provider/authorize.html: form#authorizationForm with two
	// submit inputs, "Cancel" (no name) and "Authorize" (name="allow").
	AuthorizeSelector = `#authorizationForm input[name="allow"]`
)
