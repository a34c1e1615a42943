package profiles

import (
	"slices"
	"strings"
	"testing"
)

const credHead = "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:1/cb\"}\n"

func TestCredentialsAlone(t *testing.T) {
	src := credHead + "login:\n  username: \"${U}\"\n  password: \"${P}\"\n  totp_secret: \"${T}\"\n"
	env := envOf(map[string]string{"U": "alice-user", "P": "pw-of-alice", "T": "JBSWY3DPEHPK3PXP"})
	p, err := Parse("c.yaml", []byte(src), env)
	if err != nil {
		t.Fatal(err)
	}
	c := p.Login.Credentials
	if c == nil || c.Username != "alice-user" || c.Password != "pw-of-alice" || c.TOTPSecret != "JBSWY3DPEHPK3PXP" || c.Line != 6 {
		t.Fatalf("Credentials = %+v", c)
	}
	if !p.Login.Detects() || len(p.Login.Steps) != 0 || len(p.Login.Consent) != 0 {
		t.Errorf("Login = %+v", p.Login)
	}
	for _, v := range []string{"alice-user", "pw-of-alice", "JBSWY3DPEHPK3PXP"} {
		if !slices.Contains(p.Secrets(), v) {
			t.Errorf("Secrets() lacks %q", v)
		}
	}
}

func TestLiteralPasswordIsSecret(t *testing.T) {
	src := credHead + "login: {username: bob, password: literal-pw, totp_secret: JBSWY3DPEHPK3PXP}\n"
	p, err := Parse("c.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := p.Secrets()
	if !slices.Contains(got, "literal-pw") || !slices.Contains(got, "JBSWY3DPEHPK3PXP") {
		t.Errorf("Secrets() = %q lacks the literal password or TOTP secret", got)
	}
	// A literal user name is not secret (as a literal fill value).
	if slices.Contains(got, "bob") {
		t.Errorf("Secrets() = %q holds the literal user name", got)
	}
}

func TestCredentialsWithSteps(t *testing.T) {
	src := credHead + "login:\n  steps: [{click: \"#pick-password\"}]\n  username: u\n  password: p\n"
	p, err := Parse("c.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Login.Detects() || len(p.Login.Steps) != 1 {
		t.Errorf("Login = %+v", p.Login)
	}
	// Consent steps alone with credentials: detection logs in.
	src = credHead + "login:\n  consent: [{click: \"#ok\"}]\n  username: u\n  password: p\n"
	if p, err = Parse("c.yaml", []byte(src), nil); err != nil || len(p.Login.Consent) != 1 || !p.Login.Detects() {
		t.Errorf("consent with credentials: %v %+v", err, p)
	}
	// Without credentials nothing changes.
	src = credHead + "login:\n  steps: [{click: a}]\n"
	if p, err = Parse("c.yaml", []byte(src), nil); err != nil || p.Login.Detects() {
		t.Errorf("steps alone: %v, detects %v", err, p.Login.Detects())
	}
}

func TestCredentialErrors(t *testing.T) {
	tests := []struct {
		name      string
		login     string
		env       map[string]string
		line, col int
		msg       string
	}{
		{"password alone", "login:\n  password: p\n", nil, 6, 3, "login.username is required: pkcecheck logs in with"},
		{"user name alone", "login:\n  username: u\n", nil, 6, 3, "login.password is required: pkcecheck logs in with"},
		{"totp alone", "login:\n  totp_secret: JBSWY3DPEHPK3PXP\n", nil, 6, 3, "login.username is required: pkcecheck logs in with"},
		{"empty password from env", "login:\n  username: u\n  password: \"${PW}\"\n", map[string]string{"PW": ""}, 7, 13,
			"login.password must not be empty, got (the value of ${PW})"},
		{"bad totp", "login:\n  username: u\n  password: \"${PW}\"\n  totp_secret: \"${TS}\"\n", map[string]string{"PW": "pw-value", "TS": "not base32!"}, 8, 16,
			"login.totp_secret: the TOTP secret is not valid base32"},
		{"password a list", "login:\n  username: u\n  password: [a]\n", nil, 7, 13, "login.password must be a string, not a list"},
		{"nothing", "login: {}\n", nil, 5, 1, "login needs login.steps, or login.username and login.password"},
		{"consent alone", "login:\n  consent: [{click: a}]\n", nil, 5, 1, "login needs login.steps, or login.username and login.password"},
		{"empty steps", "login:\n  steps: []\n  username: u\n  password: p\n", nil, 6, 3, "login.steps must list at least one step"},
		{"typo", "login:\n  username: u\n  passwd: p\n", nil, 6, 3, "login.password is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(credHead+tt.login), envOf(tt.env))
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			errs := problems(t, err)
			e := errs[0]
			if e.Line != tt.line || e.Column != tt.col || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got  %s\nwant x.yaml:%d:%d: ...%s...", err, tt.line, tt.col, tt.msg)
			}
			for _, v := range tt.env {
				if v != "" && strings.Contains(err.Error(), v) {
					t.Errorf("error %q shows the value of a variable", err)
				}
			}
		})
	}
}
