package browser

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pkcecheck/pkcecheck/drivers/loginpage"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// Kinds of LoginError: the kind of the login step that failed, or consent
// (a consent step) or page (the page never reached a known state).
const (
	KindFill           = profiles.KindFill
	KindClick          = profiles.KindClick
	KindWait           = profiles.KindWait
	KindClickIfPresent = profiles.KindClickIfPresent
	KindTOTP           = profiles.KindTOTP
	KindSelect         = profiles.KindSelect
	KindClickText      = profiles.KindClickText
	KindConsent        = "consent"
	KindPage           = "page"
)

// ErrClosed is returned by Authorize once Close has been called.
var ErrClosed = errors.New("browser closed")

// LoginError is returned when the login or consent could not be completed.
type LoginError struct {
	Step       int    // 1-based index of the failing step (0 if not a step)
	Kind       string // a step kind (KindFill, ...), "consent" or "page"
	Action     string // for Kind "consent": the consent step's kind ("" reads as click)
	Selector   string // the step's CSS selector (its text for click_text)
	Frame      string // the iframe the selector was looked up in, or ""
	Where      string // "profiles/x.yaml:14" when known
	URL        string // page URL, with query values redacted (codes/tokens/state may be in it)
	Screenshot string // path of the saved PNG, or ""
	HTML       string // path of the saved HTML, or ""
	// Page is what the page offered when the login stopped, as detection
	// read it (nil when it was not read): its Listing shows the user the
	// fields and buttons with selectors to paste.
	Page *loginpage.Page
	Err  error
}

// Error reads like
// `login step 2 (fill "#password", profiles/x.yaml:14): selector not visible after 10s at http://127.0.0.1:5556/login?return=REDACTED; screenshot: out/login-failure-1.png; page: out/login-failure-1.html`.
func (e *LoginError) Error() string {
	var b strings.Builder
	var detail []string
	switch {
	case e.Kind == KindConsent:
		b.WriteString("consent")
		if e.Step > 0 {
			fmt.Fprintf(&b, " step %d", e.Step)
		}
		action := e.Action
		if action == "" {
			action = KindClick
		}
		detail = append(detail, fmt.Sprintf("%s %q", action, e.Selector)+e.inFrame())
	case e.Step > 0:
		fmt.Fprintf(&b, "login step %d", e.Step)
		detail = append(detail, fmt.Sprintf("%s %q", e.Kind, e.Selector)+e.inFrame())
	default:
		b.WriteString("login")
	}
	if e.Where != "" {
		detail = append(detail, e.Where)
	}
	if len(detail) > 0 {
		b.WriteString(" (" + strings.Join(detail, ", ") + ")")
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("failed")
	}
	if e.URL != "" {
		b.WriteString(" at " + e.URL)
	}
	if e.Screenshot != "" {
		b.WriteString("; screenshot: " + e.Screenshot)
	}
	if e.HTML != "" {
		b.WriteString("; page: " + e.HTML)
	}
	return b.String()
}

// inFrame is ` in frame "..."` when the step looked inside an iframe.
func (e *LoginError) inFrame() string {
	if e.Frame == "" {
		return ""
	}
	return fmt.Sprintf(" in frame %q", e.Frame)
}

// Unwrap returns the underlying error.
func (e *LoginError) Unwrap() error { return e.Err }
