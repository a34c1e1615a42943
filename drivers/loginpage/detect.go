package loginpage

import (
	"fmt"
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

// login plans a login or password-only page.
func (d *detector) login() (Plan, string, bool) {
	pwds := d.usable(isLoginPassword)
	if len(pwds) == 0 {
		if len(d.usable(isNewPassword)) > 0 && len(d.usable(isOTPField)) == 0 {
			return Plan{}, "the only password fields are for a new password (a sign-up or change-password form), never filled", true
		}
		return Plan{}, "", false
	}
	pwd, why := d.choosePassword(pwds)
	if pwd < 0 {
		return Plan{}, "every password field is in a form that also asks for a new password (sign-up or change-password), never filled", true
	}
	form := d.p.Controls[pwd].Form
	plan := Plan{Kind: KindPassword, Message: d.message()}
	if u, uwhy := d.userFor(pwd); u >= 0 {
		plan.Kind = KindLogin
		plan.Actions = append(plan.Actions, d.fill(u, "user name: "+uwhy, d.c.Username))
	}
	plan.Actions = append(plan.Actions, d.fill(pwd, "password: "+why, d.c.Password))
	b, bwhy := d.submit(form)
	if b < 0 {
		return Plan{}, "found the password field but no button to submit it (" + bwhy + ")", true
	}
	plan.Actions = append(plan.Actions, d.click(b, "submit: "+bwhy))
	return plan, "", true
}

// choosePassword picks the current-password field: autocomplete
// current-password first, then the first one, skipping forms that also
// hold a new-password field or a second password field.
func (d *detector) choosePassword(pwds []int) (int, string) {
	ok := func(i int) bool {
		form := d.p.Controls[i].Form
		n := 0
		for j := range d.p.Controls {
			o := &d.p.Controls[j]
			if o.Form == form && o.Usable() && o.Tag == "input" && o.Type == "password" {
				n++
				if isNewPassword(o) {
					return false
				}
			}
		}
		return n == 1 || autocompleteToken(&d.p.Controls[i]) == "current-password"
	}
	for _, i := range pwds {
		if autocompleteToken(&d.p.Controls[i]) == "current-password" && ok(i) {
			return i, "autocomplete=current-password"
		}
	}
	for _, i := range pwds {
		if ok(i) {
			if len(pwds) == 1 {
				return i, "the only password field"
			}
			return i, "the first password field alone in its form"
		}
	}
	return -1, ""
}

// userFor finds the user-name field that goes with the password field pwd:
// in its form, by autocomplete, else the nearest text field before it,
// else by name/id and label words.
func (d *detector) userFor(pwd int) (int, string) {
	form := d.p.Controls[pwd].Form
	cands := d.usable(func(c *Control) bool { return c.Form == form && isTextField(c) && !isOTPField(c) })
	for _, i := range cands {
		if sig := userNameSignal(&d.p.Controls[i]); strings.HasPrefix(sig, "autocomplete=") {
			return i, sig
		}
	}
	for k := len(cands) - 1; k >= 0; k-- {
		if i := cands[k]; i < pwd && !isNegativeField(&d.p.Controls[i]) {
			return i, "the nearest text field before the password field"
		}
	}
	for _, i := range cands {
		if sig := userNameSignal(&d.p.Controls[i]); sig != "" {
			return i, sig
		}
	}
	return -1, ""
}

// otp plans a one-time-code page (no password field there).
func (d *detector) otp() (Plan, string, bool) {
	codes := d.usable(isOTPField)
	if len(codes) == 0 {
		return Plan{}, "", false
	}
	i := codes[0]
	if d.c.TOTPSecret == "" {
		return Plan{}, "the page asks for a one-time code and the profile gives no totp_secret", true
	}
	why := "one-time code: "
	if autocompleteToken(&d.p.Controls[i]) == "one-time-code" {
		why += "autocomplete=one-time-code"
	} else {
		why += "name, id or label names a code"
	}
	plan := Plan{Kind: KindOTP, Message: d.message(),
		Actions: []Action{d.totp(i, why)}}
	b, bwhy := d.submit(d.p.Controls[i].Form)
	if b < 0 {
		return Plan{}, "found the one-time-code field but no button to submit it (" + bwhy + ")", true
	}
	plan.Actions = append(plan.Actions, d.click(b, "submit: "+bwhy))
	return plan, "", true
}

// identifier plans an identifier-first page: no password field, exactly one
// usable text field that is not a search-like one, which reads as a user
// name or whose form's button reads Next / Sign in / Continue.
func (d *detector) identifier() (Plan, bool) {
	fields := d.usable(func(c *Control) bool { return isTextField(c) && !isNegativeField(c) })
	if len(fields) != 1 || len(d.usable(func(c *Control) bool { return isEntryField(c) && !isTextField(c) })) > 0 {
		return Plan{}, false
	}
	i := fields[0]
	b, bwhy := d.submit(d.p.Controls[i].Form)
	if b < 0 {
		return Plan{}, false
	}
	why := userNameSignal(&d.p.Controls[i])
	if why == "" {
		if matchWord(buttonShownText(&d.p.Controls[b])+" "+buttonAttrText(&d.p.Controls[b]), submitWords) == "" {
			return Plan{}, false
		}
		why = "the only text field, its form's button reads " + quote(d.p.Controls[b].Text)
	}
	return Plan{Kind: KindIdentifier, Message: d.message(), Actions: []Action{
		d.fill(i, "user name: "+why, d.c.Username),
		d.click(b, "submit: "+bwhy),
	}}, true
}

// submit chooses the button that sends form: usable, not a toggle, never a
// deny; in the form, else outside every form, else anywhere; scored by
// submit words in its attributes and text, type=submit and Okta's save
// markers. It says why, or why none fits.
func (d *detector) submit(form int) (int, string) {
	scopes := []func(c *Control) bool{
		func(c *Control) bool { return c.Form == form },
		func(c *Control) bool { return c.Form < 0 },
		func(c *Control) bool { return true },
	}
	if form < 0 {
		scopes = scopes[1:]
	}
	for _, in := range scopes {
		best, bestScore, bestWhy := -1, 0, ""
		for _, i := range d.usable(func(c *Control) bool { return isButton(c) && in(c) }) {
			c := &d.p.Controls[i]
			if isToggle(c) || isDeny(c) != "" {
				continue
			}
			score, why := submitScore(c)
			if score > bestScore {
				best, bestScore, bestWhy = i, score, why
			}
		}
		if best >= 0 {
			return best, bestWhy
		}
	}
	return -1, "no submit, login, next or continue button that is not cancel, back, sign-up or forgot"
}

// submitScore rates a button as the submit of a login form, with why.
func submitScore(c *Control) (int, string) {
	score, why := 0, []string{}
	if c.Attr("data-se") == "save" || c.Attr("data-type") == "save" {
		score += 4
		why = append(why, "Okta's save marker")
	}
	if w := matchWord(buttonAttrText(c), submitWords); w != "" {
		score += 3
		why = append(why, "attributes have "+quote(w))
	}
	if w := matchWord(buttonShownText(c), submitWords); w != "" {
		score += 3
		why = append(why, "text "+quote(c.Text+c.AriaLabel))
	}
	if (c.Tag == "button" || c.Tag == "input") && (c.Type == "submit" || c.Type == "image") {
		score += 2
		why = append(why, "type=submit")
	} else if score == 0 {
		return 0, "" // a link or script button needs a word
	}
	return score, strings.Join(why, ", ")
}

// factorChoice plans a page listing authenticators: choose the password,
// else (with a TOTP secret) the authenticator app.
func (d *detector) factorChoice() (Plan, string, bool) {
	factors := d.usable(func(c *Control) bool { return isButton(c) && factorName(c) != "" })
	if len(factors) < 2 {
		return Plan{}, "", false
	}
	pick := func(want string) int {
		for _, i := range factors {
			if factorName(&d.p.Controls[i]) == want {
				return i
			}
		}
		return -1
	}
	if i := pick("password"); i >= 0 {
		return Plan{Kind: KindFactorChoice, Actions: []Action{d.click(i, "factor choice: the password")}}, "", true
	}
	if i := pick("totp"); i >= 0 && d.c.TOTPSecret != "" {
		return Plan{Kind: KindFactorChoice, Actions: []Action{d.click(i, "factor choice: the authenticator app (a totp_secret is given)")}}, "", true
	}
	if pick("totp") >= 0 {
		return Plan{}, "the page asks to choose a factor; only an authenticator app fits and the profile gives no totp_secret", true
	}
	return Plan{}, "the page asks to choose a factor and offers neither a password nor an authenticator app", true
}

// factorName is "password", "totp" or "other" for a button of an
// authenticator list (Okta Gen3 authenticator-button, Gen2 select-factor,
// "Select X." labels), "" for any other control.
func factorName(c *Control) string {
	okta := c.Attr("data-se") == "authenticator-button" || strings.Contains(c.Class, "select-factor") ||
		strings.HasPrefix(c.AriaLabel, "Select ")
	if !okta {
		return ""
	}
	s := strings.ToLower(c.Attr("inner-data-se") + " " + c.Attr("parent-data-se") + " " + c.AriaLabel + " " + c.Text)
	switch {
	case strings.Contains(s, "okta_password") || strings.Contains(s, "select password"):
		return "password"
	case strings.Contains(s, "google_otp") || strings.Contains(s, "google authenticator") || strings.Contains(s, "authenticator app"):
		return "totp"
	}
	return "other"
}

// approve plans an interstitial or consent page: no entry field, a button
// that approves, stays signed in or continues; on consent, first ticks the
// unticked boxes of the requested scopes.
func (d *detector) approve() (Plan, string) {
	if fields := d.usable(isEntryField); len(fields) > 0 {
		c := &d.p.Controls[fields[0]]
		return Plan{}, fmt.Sprintf("a %s field (name %q, id %q) that is neither a user name, a password nor a one-time code (a CAPTCHA or an unknown step?)", c.Type, c.Name, c.ID)
	}
	best, bestScore, bestWhy := -1, 0, ""
	for _, i := range d.usable(isButton) {
		c := &d.p.Controls[i]
		if isToggle(c) || isDeny(c) != "" {
			continue
		}
		score, why := approveScore(c)
		if score > bestScore {
			best, bestScore, bestWhy = i, score, why
		}
	}
	if best < 0 {
		return Plan{}, "no login field, and no button that approves or continues (only cancel/deny/back, links, or nothing)"
	}
	kind := KindConsent
	if matchWord(d.p.Title+" "+d.p.Text+" "+buttonShownText(&d.p.Controls[best])+" "+buttonAttrText(&d.p.Controls[best]), stayWords) != "" {
		kind = KindInterstitial
	}
	plan := Plan{Kind: kind}
	if kind == KindConsent {
		plan.Actions = d.tickScopes()
	}
	plan.Actions = append(plan.Actions, d.click(best, string(kind)+": "+bestWhy))
	return plan, ""
}

// approveScore rates a button as the approve of a consent or interstitial
// page: attribute words count more than text.
func approveScore(c *Control) (int, string) {
	score, why := 0, []string{}
	if w := matchWord(buttonAttrText(c), approveWords); w != "" {
		score += 4
		why = append(why, "attributes have "+quote(w))
	}
	if w := matchWord(buttonAttrText(c), stayWords); w != "" {
		score += 4
		why = append(why, "attributes have "+quote(w))
	}
	if w := matchWord(buttonShownText(c), approveWords); w != "" {
		score += 3
		why = append(why, "text "+quote(c.Text))
	} else if w := matchWord(buttonShownText(c), stayWords); w != "" {
		score += 3
		why = append(why, "text "+quote(c.Text))
	}
	if score == 0 {
		return 0, ""
	}
	if c.Type == "submit" && (c.Tag == "button" || c.Tag == "input") {
		score++
	}
	return score, strings.Join(why, ", ")
}

// tickScopes plans a click on each usable unticked checkbox that names a
// requested scope (value, name, id or label; with no scopes given, a box
// whose name or id has "scope"), never a remember-me box.
func (d *detector) tickScopes() []Action {
	var out []Action
	boxes := d.usable(func(c *Control) bool {
		return (c.Tag == "input" && c.Type == "checkbox" || c.Role == "checkbox") && !c.Checked
	})
	for _, i := range boxes {
		c := &d.p.Controls[i]
		if matchWord(attrText(c)+" "+shownText(c), rememberWords) != "" {
			continue
		}
		if s := scopeOf(c, d.c.Scopes); s != "" {
			out = append(out, d.click(i, "consent: the checkbox of the requested scope "+quote(s)))
		}
	}
	return out
}

// scopeOf is the requested scope c's box names, "" if none.
func scopeOf(c *Control, scopes []string) string {
	for _, s := range scopes {
		for _, v := range []string{c.Value, c.Name, c.ID, collapse(c.Label), collapse(c.Text)} {
			if strings.EqualFold(v, s) {
				return s
			}
		}
	}
	if len(scopes) == 0 && matchWord(c.Name+" "+c.ID, []string{"scope"}) != "" {
		return c.Value
	}
	return ""
}
