package loginpage

import "strings"

// The roles detection gives controls. Each reads only the control.

// isTextField reports whether c is a field a user name could be typed in.
func isTextField(c *Control) bool {
	if c.Tag != "input" {
		return false
	}
	switch c.Type {
	case "text", "email", "tel", "":
		return true
	}
	return false
}

// isEntryField reports whether c takes typed text at all (text-like,
// password, number... not buttons, boxes or files).
func isEntryField(c *Control) bool {
	switch c.Tag {
	case "textarea":
		return true
	case "input":
		switch c.Type {
		case "hidden", "submit", "button", "reset", "image", "checkbox", "radio", "file", "range", "color", "search":
			return false
		}
		return true
	}
	return false
}

// attrText is what the markup names a control by: name, id, autocomplete,
// class and test ids.
func attrText(c *Control) string {
	parts := []string{c.Name, c.ID, c.Autocomplete}
	for _, a := range testIDAttrs {
		parts = append(parts, c.Attr(a))
	}
	parts = append(parts, c.Attr("data-type"))
	return strings.Join(parts, " ")
}

// shownText is what a user reads of a control: its label, placeholder,
// aria-label, title and text.
func shownText(c *Control) string {
	return strings.Join([]string{c.Label, c.Placeholder, c.AriaLabel, c.Title, c.Text}, " ")
}

// autocompleteToken is the last autocomplete token that is not "webauthn"
// ("username webauthn" is a user name).
func autocompleteToken(c *Control) string {
	f := strings.Fields(c.Autocomplete)
	for len(f) > 0 && f[len(f)-1] == "webauthn" {
		f = f[:len(f)-1]
	}
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// isOTPField reports whether c asks for a one-time code: autocomplete
// one-time-code, or a non-password entry field named or labelled as one.
func isOTPField(c *Control) bool {
	if !isEntryField(c) {
		return false
	}
	if autocompleteToken(c) == "one-time-code" {
		return true
	}
	if c.Type == "password" {
		return maskedOTP(c)
	}
	if matchWord(attrText(c), userWords) != "" && matchWord(attrText(c), otpWords) == "" {
		return false
	}
	return matchWord(attrText(c), otpWords) != "" || matchWord(c.Label+" "+c.Placeholder+" "+c.AriaLabel, otpWords) != ""
}

// isLoginPassword reports whether c is a current-password field.
func isLoginPassword(c *Control) bool {
	return c.Tag == "input" && c.Type == "password" && !isNewPassword(c) && autocompleteToken(c) != "one-time-code" && !maskedOTP(c)
}

// maskedOTP reports whether a password-type field asks for a one-time code
// (masked as it is typed): named otp, totp, mfa... in its attributes and
// not marked current-password. Okta's credentials.passcode is a password.
func maskedOTP(c *Control) bool {
	return c.Type == "password" && autocompleteToken(c) != "current-password" &&
		matchWord(c.Name+" "+c.ID, []string{"otp", "totp", "mfa", "2fa", "one-time", "onetime", "verification code", "security code"}) != ""
}

// isNewPassword reports whether c is the password of a sign-up or
// change-password form: autocomplete new-password, or named new/confirm.
func isNewPassword(c *Control) bool {
	if c.Tag != "input" || c.Type != "password" {
		return false
	}
	switch autocompleteToken(c) {
	case "new-password":
		return true
	case "current-password":
		return false
	}
	return matchWord(c.Name+" "+c.ID, newPasswordWords) != ""
}

// userNameSignal says why c reads as a user-name field ("" if it does not):
// its autocomplete token, or a user word in its attributes, then in what
// the user reads. Negative words (search, captcha, one-time code...) come
// first and rule it out.
func userNameSignal(c *Control) string {
	if !isTextField(c) {
		return ""
	}
	switch tok := autocompleteToken(c); tok {
	case "username", "email":
		return "autocomplete=" + tok
	}
	if w := matchWord(attrText(c)+" "+shownText(c), notUserWords); w != "" {
		return ""
	}
	if w := matchWord(c.Name+" "+c.ID, userWords); w != "" {
		return "name/id has " + quote(w)
	}
	if w := matchWord(shownText(c), userWords); w != "" {
		return "label has " + quote(w)
	}
	if c.Type == "email" {
		return "type=email"
	}
	return ""
}

// isNegativeField reports whether c is a text field that is certainly not
// a user name (search, captcha, coupon...).
func isNegativeField(c *Control) bool {
	return matchWord(attrText(c)+" "+shownText(c), notUserWords) != "" || c.Type == "search"
}

// isButton reports whether c is something to press: a button, a submit or
// button input, a link, or a role=button/link element.
func isButton(c *Control) bool {
	switch {
	case c.Tag == "button":
		return c.Type != "reset"
	case c.Tag == "input":
		return c.Type == "submit" || c.Type == "button" || c.Type == "image"
	case c.Tag == "a":
		return true
	}
	return c.Role == "button" || c.Role == "link"
}

// isToggle reports whether c is a show-password eye or similar toggle.
func isToggle(c *Control) bool {
	if c.Attr("aria-controls") != "" && c.Type == "button" {
		return true
	}
	if c.Attr("data-action") == "toggle" {
		return true
	}
	return matchWord(c.Class+" "+shownText(c), []string{"show", "hide", "toggle", "reveal", "eye", "anzeigen", "afficher", "mostrar", "mostra"}) != "" &&
		matchWord(shownText(c), submitWords) == ""
}

// buttonAttrText is a button's markup naming: attributes and, for buttons,
// the value attribute (Auth0's action=accept).
func buttonAttrText(c *Control) string {
	s := attrText(c) + " " + c.Class
	if c.Tag == "button" {
		s += " " + c.Value
	}
	return s
}

// buttonShownText is what a user reads on a button.
func buttonShownText(c *Control) string {
	return strings.Join([]string{c.Text, c.AriaLabel, c.Title, c.Label}, " ")
}

// denyWord says why pressing c could refuse, cancel, leave or sign up ("" if
// nothing does): a deny word in its text or its naming attributes (not its
// classes: "kc-feedback" holds "back").
func denyWord(c *Control) string {
	if w := matchWord(buttonShownText(c), denyWords); w != "" {
		return w
	}
	named := attrText(c)
	if c.Tag == "button" || valueIsAttribute(c) {
		named += " " + c.Value
	}
	return matchWord(named, denyWords)
}
