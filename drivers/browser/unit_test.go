package browser

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
)

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"http://127.0.0.1:1/callback", "http://127.0.0.1:1/callback"},
		{"http://127.0.0.1:1/callback?code=abc&state=xyz", "http://127.0.0.1:1/callback?code=REDACTED&state=REDACTED"},
		{"https://idp.example/login?return=%2Fauthorize%3Fcode%3Dx&flag", "https://idp.example/login?return=REDACTED&flag"},
		{"https://app.example/cb#access_token=t&state=s", "https://app.example/cb#REDACTED"},
		{"https://user:pw@idp.example/a?x=", "https://REDACTED@idp.example/a?x=REDACTED"},
		{"http://[::1", "(unparsable URL)"},
	}
	for _, tt := range tests {
		if got := redactURL(tt.in); got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoginErrorMessage(t *testing.T) {
	base := errors.New("selector not visible after 10s")
	tests := []struct {
		e    LoginError
		want string
	}{
		{LoginError{Step: 2, Kind: KindFill, Selector: "#password", Where: "profiles/x.yaml:14", URL: "http://127.0.0.1:5556/login?back=REDACTED", Screenshot: "out/login-failure-1.png", HTML: "out/login-failure-1.html", Err: base},
			`login step 2 (fill "#password", profiles/x.yaml:14): selector not visible after 10s at http://127.0.0.1:5556/login?back=REDACTED; screenshot: out/login-failure-1.png; page: out/login-failure-1.html`},
		{LoginError{Step: 1, Kind: KindConsent, Selector: "#allow", Where: "p.yaml:20", Err: base},
			`consent step 1 (click "#allow", p.yaml:20): selector not visible after 10s`},
		{LoginError{Kind: KindPage, Where: "p.yaml", URL: "http://h/x", Err: errors.New("login did not succeed")},
			`login (p.yaml): login did not succeed at http://h/x`},
		{LoginError{Kind: KindPage}, `login: failed`},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() =\n  %s\nwant\n  %s", got, tt.want)
		}
	}
	e := &LoginError{Err: base}
	if !errors.Is(e, base) {
		t.Error("LoginError does not unwrap to its Err")
	}
}

func TestResolveExecPath(t *testing.T) {
	bin := t.TempDir()
	exe := func(name string) string {
		p := filepath.Join(bin, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	chromium, chrome := exe("chromium"), exe("google-chrome")
	custom := exe("my-chrome")
	tests := []struct {
		name, explicit, env, path string
		want                      string
		wantErr                   bool
	}{
		{name: "explicit wins", explicit: custom, env: chrome, path: bin, want: custom},
		{name: "env next", env: custom, path: bin, want: custom},
		{name: "PATH order", path: bin, want: chromium},
		{name: "missing explicit", explicit: filepath.Join(bin, "nope"), wantErr: true},
		{name: "missing env", env: filepath.Join(bin, "nope"), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvChromium, tt.env)
			t.Setenv("PATH", tt.path)
			got, err := resolveExecPath(tt.explicit)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("resolveExecPath = %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
	// Only google-chrome on PATH.
	t.Setenv(EnvChromium, "")
	if err := os.Remove(chromium); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	if got, err := resolveExecPath(""); err != nil || got != chrome {
		t.Errorf("resolveExecPath with only google-chrome = %q, %v", got, err)
	}
}

func TestMaskFillValues(t *testing.T) {
	b := &Browser{opts: Options{Login: []profiles.Step{{Fill: "#u", Value: "alice"}, {Fill: "#p", Value: "s3cret-pw"}, {Fill: "#pin", Value: "12"}, {Click: "#go"}}}}
	got := b.maskFillValues(`<input value="alice"><input value="s3cret-pw"><p>12 items</p>`)
	want := `<input value="REDACTED"><input value="REDACTED"><p>12 items</p>`
	if got != want {
		t.Errorf("maskFillValues = %s, want %s", got, want)
	}
}
