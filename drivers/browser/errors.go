package browser

import (
	"errors"
	"fmt"
	"strings"
)

// Kinds of LoginError.
const (
	KindFill    = "fill"
	KindClick   = "click"
	KindWait    = "wait"
	KindConsent = "consent"
	KindPage    = "page"
)

// ErrClosed is returned by Authorize once Close has been called.
var ErrClosed = errors.New("browser closed")

// LoginError is returned when the login or consent could not be completed.
type LoginError struct {
	Step       int    // 1-based index of the failing step (0 if not a step)
	Kind       string // "fill" | "click" | "wait" | "consent" | "page"
	Selector   string
	Where      string // "profiles/x.yaml:14" when known
	URL        string // page URL, with query values redacted (codes/tokens/state may be in it)
	Screenshot string // path of the saved PNG, or ""
	HTML       string // path of the saved HTML, or ""
	Err        error
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
		detail = append(detail, fmt.Sprintf("click %q", e.Selector))
	case e.Step > 0:
		fmt.Fprintf(&b, "login step %d", e.Step)
		detail = append(detail, fmt.Sprintf("%s %q", e.Kind, e.Selector))
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

// Unwrap returns the underlying error.
func (e *LoginError) Unwrap() error { return e.Err }
