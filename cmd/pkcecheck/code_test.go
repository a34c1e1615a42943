package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/refidp"
)

// assignment is one line pkcecheck code prints.
var assignment = regexp.MustCompile(`^export ([A-Z_0-9]+)=('[^']*'|[A-Za-z0-9._~/:,+@%=-]*)$`)

// assignments parses pkcecheck code's stdout; every line must be an
// assignment.
func assignments(t *testing.T, stdout string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range strings.Split(strings.TrimRight(stdout, "\n"), "\n") {
		m := assignment.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("stdout line %q is not a shell assignment:\n%s", l, stdout)
		}
		out[m[1]] = strings.Trim(m[2], "'")
	}
	return out
}

// TestCodeCommand: pkcecheck code prints fresh codes with their verifier
// and challenge as shell assignments and nothing else on stdout, numbered
// with --count and --index, bound to --challenge when given; eval works;
// client secrets and the password never show.
func TestCodeCommand(t *testing.T) {
	fx := newReproFixture(t)
	srv := fx.start(t)
	env := fx.env(srv)
	secrets := []string{reproPassword, reproSecret}
	run := func(args ...string) (string, string, int) {
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		so, se, code := shell(t, env, "pkcecheck code --profile "+fx.profile+" "+strings.Join(quoted, " "))
		checkNoSecrets(t, map[string]string{"stdout": so, "stderr": se}, secrets)
		return so, se, code
	}

	t.Run("fresh S256 codes", func(t *testing.T) {
		so, se, code := run("--count", "2", "--index", "2")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, se)
		}
		a := assignments(t, so)
		for _, n := range []string{"_2", "_3"} {
			if a["CODE"+n] == "" || pkce.S256(a["CODE_VERIFIER"+n]) != a["CODE_CHALLENGE"+n] {
				t.Errorf("code%s: %v", n, a)
			}
		}
		if len(a) != 6 || a["CODE_2"] == a["CODE_3"] || !strings.Contains(se, "redirect: ") || strings.Contains(se, a["CODE_2"]) {
			t.Errorf("stdout %q stderr %q", so, se)
		}
	})
	t.Run("a given challenge", func(t *testing.T) {
		c := pkce.S256(strings.Repeat("v", 43))
		so, se, code := run("--challenge", c, "--method", "S256")
		a := assignments(t, so)
		if code != 0 || a["CODE"] == "" || a["CODE_CHALLENGE"] != c || a["CODE_VERIFIER"] != "" || !strings.Contains(se, "no verifier is known") {
			t.Errorf("exit %d, %v\n%s", code, a, se)
		}
	})
	t.Run("the confidential client", func(t *testing.T) {
		so, se, code := run("--client", "confidential")
		a := assignments(t, so)
		if code != 0 || a["CODE"] == "" || a["CLIENT_ASSERTION"] == "" || !strings.Contains(se, "set CLIENT_SECRET yourself") {
			t.Errorf("exit %d, %v\n%s", code, a, se)
		}
	})
	t.Run("eval", func(t *testing.T) {
		so, se, code := shell(t, env, `eval "$(pkcecheck code --profile "$1")" && sh -c 'test -n "$CODE" && test -n "$CODE_VERIFIER"' && echo ok`, fx.profile)
		if code != 0 || so != "ok\n" {
			t.Errorf("exit %d: %s\n%s", code, so, se)
		}
	})
	t.Run("refused", func(t *testing.T) {
		so, se, code := run("--method", "none") // PKCE is required for the public client
		if code != exitUnreachable || so != "" || !strings.Contains(se, "error=invalid_request") || !strings.Contains(se, "redirect: ") {
			t.Errorf("exit %d, stdout %q\n%s", code, so, se)
		}
	})
	t.Run("usage and profile errors", func(t *testing.T) {
		for _, args := range [][]string{{"--count", "0"}, {"--client", "nobody"}, {"--response-mode", "post"}, {"--index", "0"}, {"extra"}} {
			if so, se, code := run(args...); code != exitUsage || so != "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, so, se)
			}
		}
		if so, _, code := shell(t, env, "pkcecheck code"); code != exitUsage || so != "" {
			t.Errorf("no --profile: exit %d", code)
		}
		if _, _, code := shell(t, env, "pkcecheck code --profile /nonexistent.yaml"); code != exitUsage {
			t.Errorf("missing profile: exit %d", code)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		so, se, code := shell(t, append(env, "REPRO_ISSUER=http://127.0.0.1:1"), "pkcecheck code --profile "+fx.profile)
		if code != exitUnreachable || so != "" {
			t.Errorf("exit %d, stdout %q\n%s", code, so, se)
		}
	})
	_ = refidp.PublicClientID
}

// TestCodeCommandDetectedLogin: pkcecheck code logs in from the profile's
// test account alone (no steps; the login found on the pages, over HTTP)
// and never prints the account.
func TestCodeCommandDetectedLogin(t *testing.T) {
	srv := startTestIDP(t)
	r := cli(t, accountEnv(loginTestPassword), "code", "--profile", accountProfile(t, srv.Issuer()))
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if a := assignments(t, r.stdout); a["CODE"] == "" || pkce.S256(a["CODE_VERIFIER"]) != a["CODE_CHALLENGE"] {
		t.Errorf("assignments %v", a)
	}
	if strings.Contains(r.stdout+r.stderr, loginTestUser) || strings.Contains(r.stdout+r.stderr, loginTestPassword) {
		t.Errorf("the output shows the account:\n%s\n%s", r.stdout, r.stderr)
	}
}
