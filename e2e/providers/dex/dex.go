// Package dex starts Dex v2.45.1 (dexidp/dex, a CNCF OpenID Connect provider)
// on 127.0.0.1 as a real, lenient PKCE target for pkcecheck's tests.
//
// Dex is built from the Go module proxy by the scratch module in build/ (its
// go.mod and go.sum pin Dex and every dependency; Dex's own go.mod has a
// replace directive, so `go install` refuses it) into the user cache
// directory; Start builds it when the cached binary is missing, writes a
// config into a temporary folder, runs `dex serve` with in-memory storage in
// its own process group and stops it by PID.
//
// The password database holds one static user, Email with Password. Dex keeps
// no login session: every authorization request shows the login form again,
// then (unless Options.SkipApproval) the approval page. With the password
// database as the only connector, Dex shows no connector chooser.
//
// Three static clients are registered, all with RedirectURI:
// PublicClientID and OtherClientID (public: no secret) and
// ConfidentialClientID (client_secret_basic or client_secret_post with
// Options.ConfidentialSecret, handed to Dex through its environment, never
// written to disk).
//
// It needs the go command to build Dex once (without cgo), and works on Linux
// (and other Unix systems).
package dex

// Version is the Dex release this package builds; build/go.mod pins its
// commit.
const Version = "v2.45.1"

// Client IDs registered as static clients.
const (
	PublicClientID       = "dex-public"
	ConfidentialClientID = "dex-confidential"
	OtherClientID        = "dex-other"
)

// RedirectURI is the one redirect URI every client registers. Nothing needs to
// listen there: pkcecheck catches the redirect in the browser.
const RedirectURI = "http://127.0.0.1:8765/callback"

// The one user of Dex's password database. Dex's login form takes the email
// address. The password is a fixed, development-only value: Dex only accepts
// bcrypt hashes, and this module computes none (no bcrypt dependency), so
// passwordHash is its precomputed hash (cost 10).
const (
	Email    = "alice@example.com"
	Username = "alice"
	Password = "dev-only-dex-password-Kestrel-42"

	passwordHash = "$2a$10$LDq.IpqPDlE2VTGhCqAbrOW8i.KZFPcQrVPGonYA381Q9n3yPmBge"
)

// Selectors of Dex's login and approval pages, for profiles built in code.
const (
	LoginSelector    = "#login"
	PasswordSelector = "#password"
	SubmitSelector   = "#submit-login"
	// ApprovalSelector is the "Grant Access" button; its form is marked by a
	// hidden approval=approve input (the other form cancels).
	ApprovalSelector = `form:has(input[name="approval"][value="approve"]) button[type="submit"]`
)
