package profiles

import (
	"gopkg.in/yaml.v3"
)

// Credentials are the test account of login.username, login.password and
// login.totp_secret: with them pkcecheck finds the login and consent pages'
// fields and buttons itself (drivers/loginpage) wherever no step of
// login.steps or login.consent fits the page. Password and TOTPSecret are
// always secrets (also when written literally); Username is one when it
// comes from ${VAR}, as a fill step's value.
type Credentials struct {
	Username string
	Password string
	// TOTPSecret is the base32 secret of the account's authenticator
	// (RFC 6238, SHA-1, 30 s, 6 digits), "" when the account has none.
	TOTPSecret string
	// Line is the line of login.username in the profile file (0 if unknown).
	Line int
}

// credentialKeys are the keys of login that give the test account.
var credentialKeys = []string{"username", "password", "totp_secret"}

// credentials decodes login.username, login.password and login.totp_secret;
// nil when none is given. User name and password come together.
func (d *decoder) credentials(o *object) *Credentials {
	user, pass, totp := d.scalar(o, "username"), d.scalar(o, "password"), d.scalar(o, "totp_secret")
	if user.node == nil && pass.node == nil && totp.node == nil {
		return nil
	}
	d.secret(user) // a user name from the environment, as a fill value
	for _, s := range []scalar{pass, totp} {
		if s.value != "" {
			d.secrets = append(d.secrets, s.value)
		}
		d.secret(s)
	}
	c := &Credentials{Username: user.value, Password: pass.value, TOTPSecret: totp.value}
	given := o.fields[credentialKeys[0]].key // the first key given, where a missing one is reported
	for _, k := range credentialKeys {
		if f, ok := o.fields[k]; ok && (given == nil || f.key.Line < given.Line || (f.key.Line == given.Line && f.key.Column < given.Column)) {
			given = f.key
		}
	}
	for _, k := range []struct {
		key string
		s   scalar
	}{{"username", user}, {"password", pass}} {
		switch {
		case k.s.node == nil || isNull(k.s.node):
			d.errorf(given, "%s is required: pkcecheck logs in with login.username and login.password", o.name(k.key))
		case k.s.ok && k.s.value == "":
			d.errorf(k.s.node, "%s must not be empty, got %s", o.name(k.key), k.s.show())
		}
	}
	if totp.set() {
		if _, err := DecodeTOTPSecret(totp.value); err != nil {
			d.errorf(totp.node, "%s: %v", o.name("totp_secret"), err)
		}
	}
	if user.node != nil {
		c.Line = user.node.Line
	} else if pass.node != nil {
		c.Line = pass.node.Line
	}
	return c
}

// emptyList reports whether n is null or an empty sequence.
func emptyList(n *yaml.Node) bool {
	return isNull(n) || (n.Kind == yaml.SequenceNode && len(n.Content) == 0)
}
