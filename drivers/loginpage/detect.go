package loginpage

import (
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// Detect classifies p and plans the steps a user with c would take on it,
// in this order: a current-password field (login, or password-only when
// its form has no user-name field), a one-time-code field, an
// identifier-first field, a factor choice, then, on pages without entry
// fields, an interstitial or consent approve button. It returns a
// *NotFound error (carrying p) when no form or button fits, and never plans
// a deny, cancel, sign-up, forgot-password or new-password control.
func Detect(p *Page, c Creds) (Plan, error) {
	d := &detector{p: p, c: c}
	plan, reason := d.detect()
	if reason != "" {
		return Plan{Kind: KindUnknown, Message: d.message()}, &NotFound{Page: p, Reason: reason}
	}
	return plan, nil
}

// detector is one Detect call.
type detector struct {
	p *Page
	c Creds
}

func (d *detector) detect() (Plan, string) {
	if plan, reason, ok := d.login(); ok {
		return plan, reason
	}
	if plan, reason, ok := d.otp(); ok {
		return plan, reason
	}
	if plan, ok := d.identifier(); ok {
		return plan, ""
	}
	if plan, reason, ok := d.factorChoice(); ok {
		return plan, reason
	}
	return d.approve()
}

// usable lists the indexes of the usable controls accepted by pred.
func (d *detector) usable(pred func(c *Control) bool) []int {
	var out []int
	for i := range d.p.Controls {
		c := &d.p.Controls[i]
		if c.Usable() && pred(c) {
			out = append(out, i)
		}
	}
	return out
}

func (d *detector) message() string { return strings.Join(d.p.Messages, " / ") }

// act makes the action s on Controls[i]: s with its selector set (the one
// Selector gives) and the page's frame.
func (d *detector) act(i int, why string, s profiles.Step) Action {
	sel, how := d.p.Selector(i)
	switch {
	case s.TOTP != "" || s.Secret != "":
		s.TOTP = sel
	case s.Value != "" || s.Fill != "":
		s.Fill = sel
	default:
		s.Click = sel
	}
	s.Frame = d.p.Frame
	return Action{Step: s, Control: i, Why: why + "; selector by " + how}
}

// fill, click and totp plan one step on Controls[i].
func (d *detector) fill(i int, why, value string) Action {
	return d.act(i, why, profiles.Step{Fill: "-", Value: value})
}

func (d *detector) click(i int, why string) Action { return d.act(i, why, profiles.Step{}) }

func (d *detector) totp(i int, why string) Action {
	return d.act(i, why, profiles.Step{TOTP: "-", Secret: d.c.TOTPSecret})
}
