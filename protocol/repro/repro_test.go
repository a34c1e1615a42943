package repro

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/results"
)

// TestQuote: every value comes back from the shell exactly as it went in.
func TestQuote(t *testing.T) {
	for _, s := range []string{"", "plain", "it's", `"$HOME" $(id) ` + "`id`", "a\nb", "~user", "*", "é ü", "a=b;c|d&e"} {
		out, err := exec.Command("/bin/sh", "-c", "printf %s "+Quote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("Quote(%q) = %s came back as %q (%v)", s, Quote(s), out, err)
		}
	}
}

// hostileFinding is a probe whose recorded values try to break out of the
// script: quotes, $( ), newlines in names and values.
func hostileFinding() Finding {
	pair, _ := pkce.NewPair(43)
	return Finding{
		ID: "rfc7636.verifier-mismatch", Level: "MUST", Source: "RFC 7636 §4.6", Status: "fail",
		Text: "Reject a verifier that does not match", Probe: "probe\nrm -rf /tmp/x", Observed: "fail: tokens issued $(id)",
		Exchanges: []results.Evidence{
			{Probe: "authorize", Request: "GET https://idp.example/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=s&code_challenge=" + pair.Challenge + "&code_challenge_method=S256",
				Response: "redirect to http://127.0.0.1/cb?code=[REDACTED]&state=s", Replay: &results.Replay{Mints: 1, ClientID: "app"}},
			{Probe: "right verifier\n$(id)", Request: "POST https://idp.example/token\nAccept: application/json\nAuthorization: Basic [REDACTED]\nContent-Type: application/x-www-form-urlencoded\n\n" +
				"grant_type=authorization_code&code=[REDACTED]&code_verifier=" + pair.Verifier + "&extra=%27%24%28id%29%0A",
				Response: "HTTP 200 OK\nCache-Control: no-store\n\n{\"access_token\":\"[REDACTED]\",\"refresh_token\":\"[REDACTED]\"}",
				Replay:   &results.Replay{Codes: []int{1}, ClientID: "app"}},
			{Probe: "refresh", Request: "POST https://idp.example/token\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=refresh_token&refresh_token=[REDACTED]&client_id=app",
				Response: "HTTP 400 Bad Request\nCache-Control: no-store\n\n{\"error\":\"invalid_grant\"}", Replay: &results.Replay{ClientID: "app"}},
		},
	}
}

// TestScriptShape: the script parses, refuses to run without $CODE naming
// the pkcecheck code line, sends the right verifier as $CODE_VERIFIER, the
// client secret and the refresh token (taken from the earlier answer) as
// variables, and nothing recorded becomes a command.
func TestScriptShape(t *testing.T) {
	f := hostileFinding()
	s := Script(f)
	if err := exec.Command("/bin/sh", "-n", "-c", s).Run(); err != nil {
		t.Fatalf("sh -n: %v\n%s", err, s)
	}
	for _, want := range []string{"set -eu\n", `"code=$CODE"`, `"code_verifier=$CODE_VERIFIER"`, `-u app:"$CLIENT_SECRET"`,
		`"refresh_token=$REFRESH_TOKEN"`, `t=$(field refresh_token "$out/2")`, `eval "$(pkcecheck code --profile PROFILE --client app --method S256)"`,
		`--data-raw extra=%27%24%28id%29%0A`} {
		if !strings.Contains(s, want) {
			t.Errorf("script lacks %q:\n%s", want, s)
		}
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		if strings.Contains(l, "[REDACTED]") || strings.Contains(l, f.Exchanges[1].Request[strings.Index(f.Exchanges[1].Request, "code_verifier=")+14:][:43]) {
			t.Errorf("a command line holds a recorded secret or the right verifier: %s", l)
		}
		// Labels are single-quoted words (TestQuote): only commands count.
		if strings.HasPrefix(strings.TrimSpace(l), "rm ") || (strings.Contains(l, "$(id)") && !strings.HasPrefix(l, "show '")) {
			t.Errorf("a recorded value became a command: %s", l)
		}
	}
	out, err := exec.Command("/bin/sh", "-c", s).CombinedOutput()
	if err == nil || !strings.Contains(string(out), `run: eval "$(pkcecheck code --profile PROFILE --client app --method S256)" first`) {
		t.Errorf("without $CODE: %v\n%s", err, out)
	}
}

// TestPinnedChallenge: a verifier that is not the right 43-character one
// (here 42 characters, with its own challenge) keeps the recorded
// challenge, named in the authorization URL and a --challenge line.
func TestPinnedChallenge(t *testing.T) {
	v := strings.Repeat("a", 42)
	c := pkce.S256(v)
	f := Finding{ID: "rfc7636.verifier-length", Level: "MUST", Status: "fail", Profile: "my profile.yaml", Exchanges: []results.Evidence{
		{Request: "GET https://idp.example/authorize?client_id=app&code_challenge=" + c + "&code_challenge_method=S256", Response: "redirect to http://x/cb?code=[REDACTED]", Replay: &results.Replay{Mints: 1}},
		{Request: "POST https://idp.example/token\nContent-Type: application/x-www-form-urlencoded\n\ncode=[REDACTED]&code_verifier=" + v, Response: "HTTP 200 OK\n\n{}", Replay: &results.Replay{Codes: []int{1}}},
	}}
	s := Script(f)
	for _, want := range []string{"pkcecheck code --profile 'my profile.yaml' --client app --challenge " + c + " --method S256", "code_challenge=" + c, "--data-raw code_verifier=" + v} {
		if !strings.Contains(s, want) {
			t.Errorf("script lacks %q:\n%s", want, s)
		}
	}
}
