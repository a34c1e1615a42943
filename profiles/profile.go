// Package profiles loads and validates the YAML profiles that describe a
// target authorization server: its issuer or endpoints, its clients, how to
// log in through its login page, and the policy that decides which
// requirements are binding. The shipped example profiles live beside this
// package as *.yaml files.
package profiles

import (
	"crypto"
	"time"
)

// Profile is a validated target description. Values written as ${VAR} in the
// file have already been replaced from the environment.
type Profile struct {
	// Path is the file the profile was loaded from ("" when built in code).
	Path string

	Name      string
	Issuer    string
	Endpoints Endpoints
	Clients   Clients
	Login     Login
	Policy    Policy
	Limits    Limits
	TLS       TLS
	Scope     Scope
	// AuthorizeParams are extra parameters sent with every authorization
	// request, in order (profile key authorize_params: audience, resource,
	// acr_values, prompt, login_hint, ui_locales, ... as some servers
	// need). They never name the parameters pkcecheck sets itself.
	AuthorizeParams [][2]string
	Flows           Flows

	// secrets holds values that must never be shown beyond the client
	// secrets: values substituted from ${VAR} and those added with AddSecret.
	secrets []string
}

// Endpoints override (or stand in for) what the issuer's metadata says.
// An empty field means "take it from discovery".
type Endpoints struct {
	Authorization string `yaml:"authorization"`
	Token         string `yaml:"token"`
	Userinfo      string `yaml:"userinfo"`
	Introspection string `yaml:"introspection"`
}

// Clients are the OAuth clients the suites use. Public is required; the others
// enable the checks that need them.
type Clients struct {
	Public       *Client
	Confidential *Client
	Other        *Client
	// Extra are further confidential clients (clients.extra), for servers
	// that register one authentication method per client: the
	// per-authentication-method checks run for each of their methods.
	Extra []*Client
}

// Client authentication methods at the token endpoint.
const (
	AuthNone              = "none"
	AuthClientSecretBasic = "client_secret_basic"
	AuthClientSecretPost  = "client_secret_post"
	// AuthPrivateKeyJWT is a client assertion JWT signed with the client's
	// private key (RFC 7523 §2.2, OIDC Core §9).
	AuthPrivateKeyJWT = "private_key_jwt"
)

// Client is one registered OAuth client.
type Client struct {
	ID          string
	Secret      string
	AuthMethod  string // AuthNone, AuthClientSecretBasic, AuthClientSecretPost or AuthPrivateKeyJWT
	RedirectURI string
	Scopes      []string
	// AuthMethods are every method the server accepts for this client
	// (auth_methods), AuthMethod first; nil means just AuthMethod.
	AuthMethods []string
	// PrivateKeyJWT is the signing key of private_key_jwt; set when a
	// method of the client is AuthPrivateKeyJWT.
	PrivateKeyJWT *PrivateKeyJWT
	// RedirectURIWithQuery is an optional second registered redirect URI
	// with a query of its own (same scheme, host and path as RedirectURI),
	// for rfc6749.redirect-keeps-query.
	RedirectURIWithQuery string
}

// Methods returns the client's authentication methods, AuthMethod first.
func (c *Client) Methods() []string {
	if len(c.AuthMethods) == 0 {
		return []string{c.AuthMethod}
	}
	return c.AuthMethods
}

// PrivateKeyJWT is how a client signs its client assertions.
type PrivateKeyJWT struct {
	// KeyFile is the PEM file the key was read from (as written in the
	// profile; relative paths are relative to the profile's folder).
	KeyFile string
	// Key is the private key (RSA or EC P-256). It is never shown.
	Key crypto.Signer
	// KeyID is the JWS kid header ("" leaves it out).
	KeyID string
	// Alg is RS256, PS256 or ES256 (default: RS256 for RSA, ES256 for EC).
	Alg string
	// Audience is the assertion's aud ("" means the endpoint it is sent to).
	Audience string
}

// Login describes how a browser gets through the provider's login page.
type Login struct {
	// Steps run in order; each waits for its selector to become visible.
	Steps []Step
	// Consent steps run only when their element appears (after the login,
	// once per authorization): consent pages, "stay signed in?" prompts.
	// They are never optional: showing up is their condition.
	Consent []Step
	// Credentials, when set, are the test account: pages no step fits are
	// read and acted on without selectors (drivers/loginpage). nil means
	// the steps alone log in, as before.
	Credentials *Credentials
}

// Detects reports whether pages no step fits are left to detection (the
// profile gives login.username and login.password).
func (l Login) Detects() bool { return l.Credentials != nil }

// Step is one browser action of the login or consent. Exactly one action
// field (Fill, Click, Wait, ClickIfPresent, TOTP, Select, ClickText) is set;
// Kind names it. Every action first waits for its element to be visible
// (forms rendered by JavaScript after the page loaded work), up to the
// profile's limits.timeout, unless the step is optional.
//
// In YAML (one action per step; frame, optional and optional_timeout are
// modifiers):
//
//   - {fill: "#username", value: "${USER}"}          # type value into the input
//   - {click: "#kc-login"}                           # click the element
//   - {wait: "#kc-form-login"}                       # only wait until it is visible
//   - {click_if_present: "#stay-signed-in"}          # click it if it shows within optional_timeout (default 2s), else go on
//   - {totp: "#otp", secret: "${TOTP_SECRET}"}       # type the current RFC 6238 code (SHA-1, 30 s, digits: 6|8)
//   - {select: "select#tenant", value: "acme"}       # choose the <option> with this value (or visible text)
//   - {click_text: "alice@example.com"}              # click the visible button/link/list item with this text
//   - {fill: "#username", value: "u", frame: "iframe#login"}    # the selector is looked up inside the iframe
//   - {totp: "#otp", secret: "${S:-}", optional: true}          # any step: skip it if its element does not show in time
type Step struct {
	Fill  string // CSS selector of an input to type Value into
	Value string // text typed by Fill; the option chosen by Select
	Click string // CSS selector of an element to click
	Wait  string // CSS selector of an element to wait for

	// ClickIfPresent is the CSS selector of an element clicked when it
	// shows within the optional timeout; otherwise the step is skipped
	// ("stay signed in?" prompts, cookie banners, factor choosers).
	ClickIfPresent string
	// TOTP is the CSS selector of an input the current time-based one-time
	// password (RFC 6238: HMAC-SHA-1, 30 s steps) is typed into, computed
	// from Secret (base32, as authenticator apps take it) with Digits digits.
	TOTP   string
	Secret string // TOTP only; a secret: never shown
	Digits int    // TOTP only: 6 or 8; 0 means 6
	// Select is the CSS selector of a <select>; the option whose value (or
	// else visible text) equals Value is chosen, as a user would.
	Select string
	// ClickText is the visible text of the element to click: a button,
	// link, list item or other clickable element whose whole text equals it
	// (case and white space aside), else the one with the shortest text that
	// contains it. For account pickers that are lists of buttons.
	ClickText string

	// Frame, when set, is the CSS selector of an <iframe>: the step's
	// element is looked up inside that frame's document.
	Frame string
	// Optional steps are skipped when their element does not show within
	// OptionalTimeout, or sooner: as soon as the element of a later login
	// step that is not optional, or of a consent step, shows while theirs
	// does not (the page they were for is not coming). ClickIfPresent steps
	// are always optional. Only login steps can be optional.
	Optional bool
	// OptionalTimeout bounds the wait of an optional step (0: the default,
	// DefaultOptionalTimeout).
	OptionalTimeout time.Duration

	// Line is the line of the step in the profile file (0 if unknown); errors
	// about the step name it as Path:Line.
	Line int
}

// Step kinds, as Kind returns them (and as the YAML keys are named).
const (
	KindFill           = "fill"
	KindClick          = "click"
	KindWait           = "wait"
	KindClickIfPresent = "click_if_present"
	KindTOTP           = "totp"
	KindSelect         = "select"
	KindClickText      = "click_text"
)

// DefaultOptionalTimeout is how long an optional step (and click_if_present)
// waits for its element when the profile sets no optional_timeout.
const DefaultOptionalTimeout = 2 * time.Second

// DefaultTOTPDigits is the length of a TOTP code when Digits is 0.
const DefaultTOTPDigits = 6

// Selector is the CSS selector the step acts on (inside Frame when that is
// set); for a click_text step, the text.
func (s Step) Selector() string {
	switch s.Kind() {
	case KindFill:
		return s.Fill
	case KindClick:
		return s.Click
	case KindClickIfPresent:
		return s.ClickIfPresent
	case KindTOTP:
		return s.TOTP
	case KindSelect:
		return s.Select
	case KindClickText:
		return s.ClickText
	default:
		return s.Wait
	}
}

// Kind is "fill", "click", "wait", "click_if_present", "totp", "select" or
// "click_text".
func (s Step) Kind() string {
	switch {
	case s.Fill != "":
		return KindFill
	case s.Click != "":
		return KindClick
	case s.ClickIfPresent != "":
		return KindClickIfPresent
	case s.TOTP != "":
		return KindTOTP
	case s.Select != "":
		return KindSelect
	case s.ClickText != "":
		return KindClickText
	default:
		return KindWait
	}
}

// IsOptional reports whether the step is skipped when its element does not
// show in time (Optional, or a click_if_present step).
func (s Step) IsOptional() bool { return s.Optional || s.ClickIfPresent != "" }

// GraceTimeout is how long an optional step waits for its element.
func (s Step) GraceTimeout() time.Duration {
	if s.OptionalTimeout > 0 {
		return s.OptionalTimeout
	}
	return DefaultOptionalTimeout
}

// Policy values.
const (
	PKCERequiredNone   = "none"
	PKCERequiredPublic = "public"
	PKCERequiredAll    = "all"

	PlainForbidden = "forbidden"
	PlainAllowed   = "allowed"

	ErrorCodesStrict  = "strict"
	ErrorCodesLenient = "lenient"

	// ProfileBase ("" in a Policy) judges by RFC 6749, RFC 7636 and RFC 9700
	// as published.
	ProfileBase = "base"
	// ProfileOAuth21Draft16 adds OAuth 2.1 draft 16 (September 2026):
	// code_challenge_method required, plain prohibited, iss required on
	// every authorization response.
	ProfileOAuth21Draft16 = "oauth2.1-draft16"
)

// Policy decides which behaviours are binding for this target.
type Policy struct {
	PKCERequired string // none | public | all
	Plain        string // forbidden | allowed
	ErrorCodes   string // strict | lenient
	// Profile is the specification set judged: "" (ProfileBase) or
	// ProfileOAuth21Draft16, whose requirements are skipped otherwise.
	Profile string
}

// OAuth21 reports whether the policy judges by OAuth 2.1 draft 16.
func (p Policy) OAuth21() bool { return p.Profile == ProfileOAuth21Draft16 }

// Limits bound the load pkcecheck puts on the target.
type Limits struct {
	// RequestsPerSecond spaces pkcecheck's own requests; 0 means no limit.
	// Without limits.requests_per_second it is DefaultRequestsPerSecond,
	// or 0 when every host of the profile is a loopback address (see
	// ApplyRateDefault).
	RequestsPerSecond float64
	// RateSource says where RequestsPerSecond came from: RateFromProfile,
	// RateDefault or RateLoopback ("" for a profile built in code).
	RateSource string
	Timeout    time.Duration
	// MaxRequests is the most HTTP requests pkcecheck itself sends to the
	// target in one run (discovery, token, userinfo, introspection; the
	// browser's page loads are not counted). 0 means no budget.
	MaxRequests int
}

// Defaults applied to fields the file leaves out.
const (
	DefaultRequestsPerSecond = 5
	DefaultTimeout           = 10 * time.Second
)

// Secrets returns every secret value of the profile, for redaction: client
// secrets, values substituted from the environment (passwords belong there)
// and values marked with AddSecret. Literal values written in the file are
// not secret: the file shows them anyway.
func (p *Profile) Secrets() []string {
	out := append([]string(nil), p.secrets...)
	for _, c := range append([]*Client{p.Clients.Public, p.Clients.Confidential, p.Clients.Other}, p.Clients.Extra...) {
		if c != nil && c.Secret != "" {
			out = append(out, c.Secret)
		}
	}
	return out
}

// AddSecret marks a value as secret (used by profiles built in code).
func (p *Profile) AddSecret(v string) {
	if v != "" {
		p.secrets = append(p.secrets, v)
	}
}
