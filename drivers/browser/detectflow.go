package browser

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/pkcecheck/pkcecheck/drivers/loginpage"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// DetectFlow follows the pages detection acts on in one authorization, for
// both drivers (the browser and drivers/httpauthz): it tells a page still
// waiting for its answer from the next page, recognises a refused login
// (the credential page again, with the page's own message) and bounds the
// pages. Logins are never retried.
type DetectFlow struct {
	// Max bounds the pages acted on (0: DefaultMaxPages).
	Max int

	pages     int
	last      string
	lastKind  loginpage.Kind
	submitted bool // a plan typed the user name, password or a one-time code
	counted   bool // the login of this authorization was completed
}

// Next judges page, read after the pages acted on so far, and plan,
// Detect's plan for it. sameDoc reports that the document is one a plan
// acted on already (a page a script re-renders; always false over HTTP).
// wait means the page acted on is still there: look again later. An error
// ends the authorization: the login was refused (the error quotes the
// page's message, masked by mask), showed again, or took too many pages.
func (f *DetectFlow) Next(page *loginpage.Page, plan loginpage.Plan, sameDoc bool, mask func(string) string) (wait bool, err error) {
	fp := fingerprint(page, plan)
	switch {
	case fp == f.last && sameDoc:
		return true, nil
	case f.submitted && plan.Message != "" && IsCredentialPage(plan.Kind) && !successor(f.lastKind, plan.Kind):
		return false, fmt.Errorf("login rejected: after the credentials were submitted the %s page shows again with the message %q (not retried)",
			plan.Kind, mask(plan.Message))
	case f.submitted && plan.Kind == f.lastKind && typesCredentials(plan) && !sameDoc:
		return false, fmt.Errorf("login did not succeed: the %s page showed again after the credentials were submitted (not retried)", plan.Kind)
	}
	max := f.Max
	if max <= 0 {
		max = DefaultMaxPages
	}
	if f.pages >= max {
		return false, fmt.Errorf("login did not finish: detection acted on %d pages in this authorization and a %s page still shows", max, plan.Kind)
	}
	return false, nil
}

// Acted records that plan is being carried out on page. It reports
// whether the plan completes the login (a password or one-time code
// submitted), once per authorization: count it as a login.
func (f *DetectFlow) Acted(page *loginpage.Page, plan loginpage.Plan) (completesLogin bool) {
	f.pages++
	f.last, f.lastKind = fingerprint(page, plan), plan.Kind
	if typesCredentials(plan) {
		f.submitted = true
	}
	if !f.counted && completes(plan) {
		f.counted = true
		return true
	}
	return false
}

// CheckHosts refuses a plan that types into a page outside the target's
// scope, before anything is typed: every URL given (the page's, and for a
// frame the top document's too) must be http(s) and allowed, and so must
// the action of each form a field typed into belongs to (where the values
// go).
func CheckHosts(allowed func(*url.URL) error, plan loginpage.Plan, page *loginpage.Page, urls ...string) error {
	if !typesAnything(plan) {
		return nil
	}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("the %s page%s is not an http(s) page of the target: credentials are not typed there", plan.Kind, inFrame(page.Frame))
		}
		if allowed == nil {
			return errors.New("no scope to check the login page's host against: credentials are not typed")
		}
		if err := allowed(u); err != nil {
			return fmt.Errorf("the %s page%s is on %s, outside the profile's scope (the issuer's host, the endpoints' hosts and scope.hosts): "+
				"credentials are not typed there; add %s to scope.hosts if it belongs to the provider", plan.Kind, inFrame(page.Frame), u.Hostname(), u.Hostname())
		}
	}
	return checkFormActions(allowed, plan, page)
}

// checkFormActions refuses a plan whose typed fields belong to a form
// that sends them to a host outside the scope.
func checkFormActions(allowed func(*url.URL) error, plan loginpage.Plan, page *loginpage.Page) error {
	base, err := url.Parse(page.URL)
	if err != nil || allowed == nil {
		return nil // the page's own URL is refused below
	}
	for _, a := range plan.Actions {
		if k := a.Step.Kind(); k != profiles.KindFill && k != profiles.KindTOTP {
			continue
		}
		if a.Control < 0 || a.Control >= len(page.Controls) {
			continue
		}
		f := page.Controls[a.Control].Form
		if f < 0 || f >= len(page.Forms) || strings.TrimSpace(page.Forms[f].Action) == "" {
			continue
		}
		to, err := base.Parse(strings.TrimSpace(page.Forms[f].Action))
		if err != nil || (to.Scheme != "http" && to.Scheme != "https") {
			continue // not a URL the form can send to without a script
		}
		if err := allowed(to); err != nil {
			return fmt.Errorf("the %s form%s sends to %s, outside the profile's scope (the issuer's host, the endpoints' hosts and scope.hosts): "+
				"credentials are not typed there; add %s to scope.hosts if it belongs to the provider", plan.Kind, inFrame(page.Frame), to.Hostname(), to.Hostname())
		}
	}
	return nil
}

// fingerprint tells two readings of a page apart: the same page with the
// same plan and message is the same page.
func fingerprint(page *loginpage.Page, plan loginpage.Plan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%s|%s", page.URL, page.Frame, plan.Kind, plan.Message)
	for _, a := range plan.Actions {
		b.WriteString("|" + a.Step.Kind() + " " + a.Step.Selector())
	}
	return b.String()
}

// IsCredentialPage reports the kinds of page that ask for the account.
func IsCredentialPage(k loginpage.Kind) bool {
	switch k {
	case loginpage.KindLogin, loginpage.KindIdentifier, loginpage.KindPassword, loginpage.KindOTP:
		return true
	}
	return false
}

// successor reports whether page kind next naturally follows prev (the
// next step of a login): its message, if any, is not about what was typed
// on prev.
func successor(prev, next loginpage.Kind) bool {
	switch prev {
	case loginpage.KindIdentifier:
		return next == loginpage.KindPassword || next == loginpage.KindOTP || next == loginpage.KindFactorChoice
	case loginpage.KindLogin, loginpage.KindPassword:
		return next == loginpage.KindOTP || next == loginpage.KindFactorChoice
	}
	return !IsCredentialPage(prev)
}

// typesAnything reports whether the plan types or chooses something.
func typesAnything(plan loginpage.Plan) bool {
	for _, a := range plan.Actions {
		switch a.Step.Kind() {
		case profiles.KindFill, profiles.KindTOTP, profiles.KindSelect:
			return true
		}
	}
	return false
}

// typesCredentials reports whether the plan types a field of the account.
func typesCredentials(plan loginpage.Plan) bool {
	for _, a := range plan.Actions {
		if a.Step.Kind() == profiles.KindFill || a.Step.Kind() == profiles.KindTOTP {
			return true
		}
	}
	return false
}

// completes reports whether the plan submits a password or a one-time
// code: the plan that completes a login.
func completes(plan loginpage.Plan) bool {
	switch plan.Kind {
	case loginpage.KindLogin, loginpage.KindPassword, loginpage.KindOTP:
		return typesCredentials(plan)
	}
	return false
}

// inFrame is ` in frame "..."` for a page inside an iframe.
func inFrame(frame string) string {
	if frame == "" {
		return ""
	}
	return fmt.Sprintf(" in frame %q", frame)
}
