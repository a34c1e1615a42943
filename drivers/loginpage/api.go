package loginpage

import (
	"fmt"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// Kind is what Detect makes of a page.
type Kind string

// The kinds of page Detect tells apart.
const (
	// KindLogin: a user-name and a password field on one page.
	KindLogin Kind = "login"
	// KindIdentifier: identifier-first, a user-name field and Next.
	KindIdentifier Kind = "identifier"
	// KindPassword: a password field alone (the second step).
	KindPassword Kind = "password"
	// KindFactorChoice: a list of authenticators to choose from.
	KindFactorChoice Kind = "factor-choice"
	// KindOTP: a one-time-code field.
	KindOTP Kind = "otp"
	// KindInterstitial: "stay signed in?", "remember this device", continue.
	KindInterstitial Kind = "interstitial"
	// KindConsent: the provider asks the user to approve the client.
	KindConsent Kind = "consent"
	// KindRejected is never returned by Detect: a driver reports it when
	// the page after its own credentials submit carries Plan.Message.
	KindRejected Kind = "rejected"
	// KindUnknown: nothing Detect can act on (returned with *NotFound).
	KindUnknown Kind = "unknown"
)

// Creds is what Detect may type. The values go verbatim into the planned
// steps, so `pkcecheck init` may pass "${USER}"-style references.
type Creds struct {
	Username, Password string
	// TOTPSecret, when set, is the Secret of a planned totp step; without
	// it a one-time-code page is *NotFound.
	TOTPSecret string
	// Scopes are the scopes the client requested: consent checkboxes that
	// name one of them are ticked before approving.
	Scopes []string
}

// Action is one planned step and how its element was found.
type Action struct {
	Step profiles.Step
	// Control is the index in Page.Controls of the element acted on.
	Control int
	// Why says how the element was chosen and its selector made
	// ("autocomplete=username; #username"), for init's comments and logs.
	Why string
}

// Plan is Detect's answer: the kind of page and the steps to take on it,
// in order (fills and ticks first, then exactly one click).
type Plan struct {
	Kind    Kind
	Actions []Action
	// Message is the page's own visible error text (Page.Messages joined),
	// set on login, identifier, password and OTP pages that show one.
	Message string
}

// NotFound is Detect's error when nothing on the page fits: the page (for
// Listing) and why.
type NotFound struct {
	Page   *Page
	Reason string
}

func (e *NotFound) Error() string {
	return fmt.Sprintf("no login or consent controls recognised on %s: %s", redactURL(e.Page.URL), e.Reason)
}
