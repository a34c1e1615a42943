// Package profiles loads and validates the YAML profiles that describe a
// target authorization server: its issuer or endpoints, its clients, how to
// log in through its login page, and the policy that decides which
// requirements are binding. The shipped example profiles live beside this
// package as *.yaml files.
package profiles

import "time"

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
}

// Client authentication methods at the token endpoint.
const (
	AuthNone              = "none"
	AuthClientSecretBasic = "client_secret_basic"
	AuthClientSecretPost  = "client_secret_post"
)

// Client is one registered OAuth client.
type Client struct {
	ID          string
	Secret      string
	AuthMethod  string // AuthNone, AuthClientSecretBasic or AuthClientSecretPost
	RedirectURI string
	Scopes      []string
}

// Login describes how a browser gets through the provider's login page.
type Login struct {
	// Steps run in order; each waits for its selector to become visible.
	Steps []Step
	// Consent steps run only when their selector appears.
	Consent []Step
}

// Step is one browser action. Exactly one of Fill, Click and Wait is set.
type Step struct {
	Fill  string // CSS selector of an input to type Value into
	Value string
	Click string // CSS selector of an element to click
	Wait  string // CSS selector of an element to wait for

	// Line is the line of the step in the profile file (0 if unknown); errors
	// about the step name it as Path:Line.
	Line int
}

// Selector is the CSS selector the step acts on.
func (s Step) Selector() string {
	switch {
	case s.Fill != "":
		return s.Fill
	case s.Click != "":
		return s.Click
	default:
		return s.Wait
	}
}

// Kind is "fill", "click" or "wait".
func (s Step) Kind() string {
	switch {
	case s.Fill != "":
		return "fill"
	case s.Click != "":
		return "click"
	default:
		return "wait"
	}
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
)

// Policy decides which behaviours are binding for this target.
type Policy struct {
	PKCERequired string // none | public | all
	Plain        string // forbidden | allowed
	ErrorCodes   string // strict | lenient
}

// Limits bound the load pkcecheck puts on the target.
type Limits struct {
	RequestsPerSecond float64
	Timeout           time.Duration
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
	for _, c := range []*Client{p.Clients.Public, p.Clients.Confidential, p.Clients.Other} {
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
