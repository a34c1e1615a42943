package session

import (
	"net/url"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/results"
)

// detection is how both drivers find their way through pages no step of
// the profile fits: with the profile's test account (login.username,
// login.password, login.totp_secret), typing only on the target's hosts
// (the issuer's, the endpoints', scope.hosts). nil without an account.
func (s *Session) detection() *browser.Detection {
	c := s.Profile.Login.Credentials
	if c == nil {
		return nil
	}
	return &browser.Detection{
		Username: c.Username, Password: c.Password, TOTPSecret: c.TOTPSecret,
		Allowed: func(u *url.URL) error { return s.hc.CheckScope(u.String()) },
	}
}

// LoginSteps says which login and consent steps the session used, given
// by the profile or detected, for the reports (never a value).
func (s *Session) LoginSteps() *results.Login {
	var steps []browser.UsedStep
	if b := s.browser(); b != nil {
		steps = b.UsedSteps()
	}
	if s.fast != nil {
		for _, st := range s.fast.UsedSteps() {
			if !containsStep(steps, st) {
				steps = append(steps, st)
			}
		}
	}
	if len(steps) == 0 {
		return nil
	}
	l := &results.Login{}
	given, detected := false, false
	for _, st := range steps {
		if browser.IsDetected(st) {
			detected = true
		} else {
			given = true
		}
		l.Steps = append(l.Steps, results.LoginStep{Page: st.Page, Step: s.Redactor.String(st.Step), How: s.Redactor.String(st.How)})
	}
	switch {
	case given && detected:
		l.Mode = results.LoginMixed
	case detected:
		l.Mode = results.LoginDetected
	default:
		l.Mode = results.LoginGiven
	}
	return l
}

func containsStep(steps []browser.UsedStep, s browser.UsedStep) bool {
	for _, have := range steps {
		if have == s {
			return true
		}
	}
	return false
}
