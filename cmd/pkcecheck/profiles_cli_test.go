package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// brokenProfileHead is the valid start of the broken profiles below
// (lines 1-2); each case adds the rest.
const brokenProfileHead = "name: broken\nissuer: http://127.0.0.1:1\n"

// brokenProfileTail completes a profile (5 lines).
const brokenProfileTail = `clients:
  public: {id: p, redirect_uri: "http://127.0.0.1:8765/callback"}
login:
  steps:
    - {click: "#login"}
`

// TestRunBrokenProfiles runs the binary on broken profiles: each exits 2
// at once with a message naming file:line (or the variable), and never
// panics or hangs.
func TestRunBrokenProfiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		body string
		line int    // the line the message must name (path:line)
		want string // and a part of the message
	}{
		{"bad YAML: tab indentation", brokenProfileHead + "clients:\n\tpublic: {}\n", 4, "invalid YAML"},
		{"bad YAML: unclosed flow map", brokenProfileHead + "clients: {public: {id: p\n" + "login: {}\n", 3, "invalid YAML"},
		{"unknown top-level key", brokenProfileHead + "polcy: {plain: allowed}\n" + brokenProfileTail, 3, `unknown key "polcy"`},
		{"unknown client key", brokenProfileHead + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\", scope: openid}\nlogin: {steps: [{click: \"#l\"}]}\n", 4, `unknown key "scope"`},
		{"wrong type: clients is a list", brokenProfileHead + "clients:\n  - public\nlogin: {steps: [{click: \"#l\"}]}\n", 4, "clients must be a map, not a list"},
		{"wrong type: timeout is a list", brokenProfileHead + brokenProfileTail + "limits: {timeout: [1, 2]}\n", 8, "limits.timeout must be a string, not a list"},
		{"missing client", brokenProfileHead + "login: {steps: [{click: \"#l\"}]}\n", 1, "clients.public is required"},
		{"missing client id", brokenProfileHead + "clients:\n  public: {redirect_uri: \"http://127.0.0.1:8765/cb\"}\nlogin: {steps: [{click: \"#l\"}]}\n", 4, "clients.public.id is required"},
		{"bad issuer URL", "name: broken\nissuer: ftp://idp.example\n" + brokenProfileTail, 2, "must be an absolute http or https URL"},
		{"redirect URI is not a URL", brokenProfileHead + "clients:\n  public: {id: p, redirect_uri: \"/callback\"}\nlogin: {steps: [{click: \"#l\"}]}\n", 4, "clients.public.redirect_uri"},
		{"unset environment variable", brokenProfileHead + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\"}\nlogin:\n  steps:\n    - {fill: \"#pw\", value: \"${PKC_UNSET_PASSWORD_VAR}\"}\n", 7, "PKC_UNSET_PASSWORD_VAR"},
		{"unknown policy value", brokenProfileHead + brokenProfileTail + "policy: {pkce_required: sometimes}\n", 8, `unknown value "sometimes"`},
		{"bad duration", brokenProfileHead + brokenProfileTail + "limits: {timeout: 10}\n", 8, "limits.timeout must be a duration"},
		{"bad rate", brokenProfileHead + brokenProfileTail + "limits: {requests_per_second: 0}\n", 8, "requests_per_second must be more than 0"},
		{"bad step: two actions", brokenProfileHead + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\"}\nlogin:\n  steps:\n    - {fill: \"#u\", value: x, click: \"#l\"}\n", 7, "login.steps[0]"},
		{"bad step: fill without value", brokenProfileHead + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\"}\nlogin:\n  steps:\n    - {click: \"#a\"}\n    - {fill: \"#u\"}\n", 8, "fill needs a value"},
		{"bad step: unknown action", brokenProfileHead + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\"}\nlogin:\n  steps:\n    - {press: \"#l\"}\n", 7, `unknown key "press"`},
		{"no login steps", brokenProfileHead + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\"}\nlogin:\n  steps: []\n", 6, "at least one step"},
		{"confidential client without secret", brokenProfileHead + "clients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:8765/cb\"}\n" +
			"  confidential: {id: c, redirect_uri: \"http://127.0.0.1:8765/cb\"}\nlogin: {steps: [{click: \"#l\"}]}\n", 5, "clients.confidential.secret is required"},
		{"duplicate key", brokenProfileHead + "name: again\n" + brokenProfileTail, 3, `duplicate key "name"`},
		{"two documents", brokenProfileHead + brokenProfileTail + "---\nname: second\n", 8, "single YAML document"},
		{"empty file", "", 1, "profile is empty"},
		{"ca_file missing", brokenProfileHead + brokenProfileTail + "tls: {ca_file: no-such-ca.pem}\n", 8, "no such file"},
		{"ca_file holds a private key", brokenProfileHead + brokenProfileTail + "tls: {ca_file: key.pem}\n", 8, "private key"},
		{"insecure_skip_verify not a boolean", brokenProfileHead + brokenProfileTail + "tls: {insecure_skip_verify: maybe}\n", 8, "must be true or false"},
		{"scope host with scheme", brokenProfileHead + brokenProfileTail + "scope: {hosts: [\"https://idp.example\"]}\n", 8, "host name only"},
		{"max_requests negative", brokenProfileHead + brokenProfileTail + "limits: {max_requests: -5}\n", 8, "max_requests must be at least 1"},
	}
	if len(tests) < 15 {
		t.Fatalf("only %d broken profiles", len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("broken-%02d.yaml", i))
			if err := os.WriteFile(path, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			r := pkcecheck(t, nil, "run", "--profile", path)
			d := time.Since(start)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, exitUsage, r.stderr)
			}
			if where := fmt.Sprintf("%s:%d", path, tt.line); !strings.Contains(r.stderr, where) {
				t.Errorf("stderr does not name %s:\n%s", where, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, r.stderr)
			}
			for _, bad := range []string{"panic", "goroutine "} {
				if strings.Contains(r.stderr, bad) {
					t.Errorf("stderr shows %q:\n%s", bad, r.stderr)
				}
			}
			if d > 5*time.Second {
				t.Errorf("took %v to reject a broken profile", d)
			}
			if r.run != nil {
				t.Error("a broken profile produced results.json")
			}
		})
	}
}
