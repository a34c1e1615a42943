package main

import (
	"fmt"
	"strings"
	"sync"

	"github.com/pkcecheck/pkcecheck/drivers/loginpage"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// recordedStep is one step init's login took, as the profile will give
// it: typed values replaced by ${VAR} references.
type recordedStep struct {
	page    loginpage.Kind
	step    profiles.Step
	why     string
	consent bool // a consent or interstitial page: login.consent
}

// recorder keeps the steps the browser detected during init's login,
// turning each typed value into the reference of the variable it came
// from as it arrives (the values themselves are never kept).
type recorder struct {
	creds *profiles.Credentials
	vars  *initFlags

	mu      sync.Mutex
	steps   []recordedStep
	err     error
	stopped bool
}

// stop ends the recording: the steps of later authorizations are not
// the login's.
func (r *recorder) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
}

// list is a copy of the steps recorded.
func (r *recorder) list() []recordedStep {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedStep(nil), r.steps...)
}

// add is session.Options.RecordDetected.
func (r *recorder) add(k loginpage.Kind, a loginpage.Action) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	s := a.Step
	switch s.Kind() {
	case profiles.KindFill:
		switch s.Value {
		case r.creds.Username:
			s.Value = ref(r.vars.userVar)
		case r.creds.Password:
			s.Value = ref(r.vars.passVar)
		default:
			s.Value = ""
			if r.err == nil {
				r.err = fmt.Errorf("the %s page's step %s typed a value that is not the account's: init cannot record it", k, s.Selector())
			}
		}
	case profiles.KindTOTP:
		s.Secret = ref(r.vars.totpVar)
	}
	consent := k == loginpage.KindConsent || k == loginpage.KindInterstitial
	rs := recordedStep{page: k, step: s, why: a.Why, consent: consent}
	if consent {
		for _, have := range r.steps {
			if have.consent && have.step == s {
				return // the same prompt on another authorization
			}
		}
	}
	r.steps = append(r.steps, rs)
}

// counts are the login and consent steps recorded.
func (r *recorder) counts() (login, consent int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.steps {
		if s.consent {
			consent++
		} else {
			login++
		}
	}
	return login, consent
}

// ref is the ${NAME} reference of an environment variable.
func ref(name string) string { return "${" + name + "}" }

// literal escapes the $ of a value written into a profile, which expands
// ${VAR} and $$ (a selector such as [name$=user] stays what it is).
func literal(s string) string { return strings.ReplaceAll(s, "$", "$$") }
