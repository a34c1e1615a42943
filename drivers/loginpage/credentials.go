package loginpage

import (
	"fmt"
	"strings"
)

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
	boxes := d.usable(func(c *Control) bool { return isEntryField(c) && c.Attr("maxlength") == "1" })
	if len(boxes) >= 4 {
		return Plan{}, fmt.Sprintf("the page asks for a one-time code split over %d one-character boxes, which detection does not type; write the steps by hand", len(boxes)), true
	}
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
		if matchWord(buttonShownText(&d.p.Controls[b])+" "+buttonAttrText(&d.p.Controls[b]), nextWords) == "" {
			return Plan{}, false
		}
		why = "the only text field, its form's button reads " + quote(d.p.Controls[b].Text)
	}
	return Plan{Kind: KindIdentifier, Message: d.message(), Actions: []Action{
		d.fill(i, "user name: "+why, d.c.Username),
		d.click(b, "submit: "+bwhy),
	}}, true
}
