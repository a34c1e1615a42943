package loginpage

import "strings"

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
