package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pkcecheck/pkcecheck/fuzz"
	"github.com/pkcecheck/pkcecheck/refidp"
)

// findingsDoc is the part of findings.json the end-to-end tests read.
type findingsDoc struct {
	Seed        uint64   `json:"seed"`
	Budget      int      `json:"budget"`
	Interrupted bool     `json:"interrupted"`
	Clients     []string `json:"clients"`
	Stopped     string   `json:"stopped"`
	Stats       struct {
		TokenCases   int   `json:"token_cases"`
		ShrinkCases  int   `json:"shrink_cases"`
		CodesMinted  int   `json:"codes_minted"`
		Logins       int   `json:"logins"`
		HTTPRequests int   `json:"http_requests"`
		DurationMS   int64 `json:"duration_ms"`
	} `json:"stats"`
	Findings []struct {
		ID, Group, Severity, Title string
		Level, Requirement, Rule   string
		Client                     string
		RawCases                   int `json:"raw_cases"`
		FirstSeen                  struct {
			TokenCases int   `json:"token_cases"`
			ElapsedMS  int64 `json:"elapsed_ms"`
		} `json:"first_seen"`
		Shrink struct {
			Cases int `json:"cases"`
		} `json:"shrink"`
		Case struct {
			Verifier string    `json:"verifier"`
			Spec     fuzz.Case `json:"spec"`
			Token    struct {
				CodeVerifier []string `json:"code_verifier"`
			} `json:"token"`
		} `json:"case"`
		Reproducer struct {
			Curl string `json:"curl"`
		} `json:"reproducer"`
	} `json:"findings"`
}

func readFindings(t *testing.T, dir string) *findingsDoc {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, fuzz.FileName))
	if err != nil {
		t.Fatalf("findings.json: %v", err)
	}
	var doc findingsDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("findings.json: %v", err)
	}
	return &doc
}

// edits counts the edits of a case's challenge and verifiers.
func edits(c fuzz.Case) int {
	n := len(c.Challenge.Edits)
	for _, v := range c.Verifiers {
		n += len(v.Edits)
	}
	return n
}

// TestFuzzDemoFlaws: with the default budget, a campaign against the
// reference provider finds each comparison or format flaw, in a group that
// names it, shrunk to a short reproducer; against the clean provider it
// finds nothing.
func TestFuzzDemoFlaws(t *testing.T) {
	tests := []struct {
		flaw, group string
		check       func(t *testing.T, c fuzz.Case, verifier string)
	}{
		{"prefix-compare", fuzz.GroupPrefixCompare, func(t *testing.T, c fuzz.Case, v string) {
			if edits(c) != 1 || len(v) != 43 {
				t.Errorf("shrunk case has %d edits and a %d-character verifier, want 1 and 43", edits(c), len(v))
			}
		}},
		{"case-insensitive-compare", fuzz.GroupCaseInsensitive, func(t *testing.T, c fuzz.Case, v string) {
			if edits(c) != 1 || len(v) != 43 {
				t.Errorf("shrunk case has %d edits and a %d-character verifier, want 1 and 43", edits(c), len(v))
			}
		}},
		{"no-charset-check", fuzz.GroupCharsetUnchecked, func(t *testing.T, c fuzz.Case, v string) {
			if n := utf8.RuneCountInString(v); n > 44 || edits(c) != 0 {
				t.Errorf("shrunk verifier %q has %d characters and %d edits, want ≤ 44 and none", v, n, edits(c))
			}
		}},
		{"", "", nil},
	}
	for i, tt := range tests {
		name := tt.flaw
		if name == "" {
			name = "clean"
		}
		t.Run(name, func(t *testing.T) {
			args := []string{"fuzz", "--demo", "--seed", "1" + strings.Repeat("0", i)}
			if tt.flaw != "" {
				args = append(args, "--flaws", tt.flaw)
			}
			start := time.Now()
			r := pkcecheck(t, nil, args...)
			t.Logf("%s: %.1f s", name, time.Since(start).Seconds())
			doc := readFindings(t, r.out)
			// Every client and method of the demo profile runs the budget:
			// the public client and the confidential one with its three.
			const clients = 4
			if doc.Budget != fuzz.DefaultBudget || doc.Stats.TokenCases != clients*fuzz.DefaultBudget || doc.Stats.Logins != 1 ||
				doc.Stats.CodesMinted < clients*fuzz.DefaultBudget || doc.Stats.HTTPRequests < clients*fuzz.DefaultBudget || len(doc.Clients) != clients {
				t.Errorf("stats %+v, clients %v", doc.Stats, doc.Clients)
			}
			if progress := strings.Count(r.stderr, "fuzz: "); progress != clients*fuzz.DefaultBudget/fuzz.DefaultProgressEvery {
				t.Errorf("%d progress lines, want %d:\n%s", progress, clients*fuzz.DefaultBudget/fuzz.DefaultProgressEvery, r.stderr)
			}
			if tt.flaw == "" {
				if r.code != exitOK || len(doc.Findings) != 0 {
					t.Fatalf("clean provider: exit %d, %d findings\nstdout:\n%s\nstderr:\n%s", r.code, len(doc.Findings), r.stdout, r.stderr)
				}
				return
			}
			if r.code != exitFailed {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
			}
			found := false
			for _, f := range doc.Findings {
				if f.Group != tt.group {
					t.Errorf("unexpected finding %s: %s", f.Group, f.Title)
					continue
				}
				found = true
				if f.Severity != "must" || f.RawCases < 1 || f.Shrink.Cases > fuzz.DefaultMaxShrink {
					t.Errorf("finding %+v", f)
				}
				tt.check(t, f.Case.Spec, f.Case.Verifier)
				if !strings.Contains(f.Reproducer.Curl, `"code=$CODE"`) || strings.Contains(r.stdout, "code=") {
					t.Errorf("reproducer:\n%s", f.Reproducer.Curl)
				}
				t.Logf("found after %d token cases (%.1f s), shrunk with %d cases: %s", f.FirstSeen.TokenCases, float64(f.FirstSeen.ElapsedMS)/1000, f.Shrink.Cases, f.Title)
			}
			if !found || !strings.Contains(tt.group, strings.TrimPrefix(strings.TrimSuffix(tt.flaw, "-check"), "no-")) {
				t.Fatalf("no %s finding\nstdout:\n%s", tt.group, r.stdout)
			}
			if !strings.Contains(r.stdout, tt.group) || !strings.Contains(r.stdout, "findings.json") {
				t.Errorf("summary:\n%s", r.stdout)
			}
		})
	}
}

// TestFuzzUsage: usage and profile errors exit 2 before anything starts.
func TestFuzzUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	for _, args := range [][]string{
		{"fuzz"},
		{"fuzz", "--demo", "--profile", missing},
		{"fuzz", "--profile", missing, "--flaws", "prefix-compare"},
		{"fuzz", "--demo", "--budget", "0"},
		{"fuzz", "--demo", "--seed", "minus-one"},
		{"fuzz", "--demo", "--flaws", "no-such-flaw"},
		{"fuzz", "--profile", missing},
		{"fuzz", "--demo", "extra"},
		{"fuzz", "--demo", "--fail-on", "may"},
		{"fuzz", "--demo", "--duration", "500ms"},
		{"fuzz", "--demo", "--duration", "25h"},
		{"fuzz", "--demo", "--duration", "soon"},
	} {
		r := pkcecheck(t, nil, args...)
		if r.code != exitUsage || r.stderr == "" {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, r.code, exitUsage, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(r.out, fuzz.FileName)); err == nil {
			t.Errorf("%v wrote findings.json", args)
		}
	}
}

// TestFuzzUnreachable: a target nobody answers for exits 3.
func TestFuzzUnreachable(t *testing.T) {
	path := writeProfile(t, "name: gone\nissuer: http://127.0.0.1:1\n"+goodProfileTail)
	r := pkcecheck(t, nil, "fuzz", "--profile", path, "--budget", "5")
	if r.code != exitUnreachable || !strings.Contains(r.stderr, "127.0.0.1:1") {
		t.Fatalf("exit %d, want %d: %s", r.code, exitUnreachable, r.stderr)
	}
}

// Distinctive credentials of TestFuzzProfileSecrets.
const (
	fuzzPassword = "pw-Fuzzy-Pangolin-61c2"
	fuzzSecret   = "conf-Fuzzy-Capybara-0d9b"
)

// TestFuzzProfileSecrets: fuzzing a confidential client from a profile file,
// against a provider that skips PKCE for it, finds that, and neither the
// console nor findings.json carries the password, the client secret or a
// code: the reproducer names them $CLIENT_SECRET and $CODE.
func TestFuzzProfileSecrets(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := refidp.StartDemo(ctx, refidp.Config{
		Username: "fuzz-user", Password: fuzzPassword, RedirectURI: refidp.DemoRedirectURI, ConfidentialSecret: fuzzSecret,
		Flaws: []string{"confidential-skips-pkce"}, Consent: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	path := writeProfile(t, `name: fuzz-confidential
issuer: `+srv.Issuer()+`
clients:
  public: {id: `+refidp.ConfidentialClientID+`, secret: "${FUZZ_CONF_SECRET}", auth_method: client_secret_basic, redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
login:
  steps:
    - {fill: "`+refidp.UsernameSelector+`", value: fuzz-user}
    - {fill: "`+refidp.PasswordSelector+`", value: "${FUZZ_PASSWORD}"}
    - {click: "`+refidp.LoginButtonSelector+`"}
  consent:
    - {click: "`+refidp.ConsentSelector+`"}
policy: {pkce_required: all, plain: forbidden, error_codes: strict}
limits: {requests_per_second: 50, timeout: 10s}
`)
	r := pkcecheck(t, []string{"FUZZ_CONF_SECRET=" + fuzzSecret, "FUZZ_PASSWORD=" + fuzzPassword}, "fuzz", "--profile", path, "--budget", "25", "--seed", "5")
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
	}
	doc := readFindings(t, r.out)
	if len(doc.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range doc.Findings {
		if !strings.Contains(f.Reproducer.Curl, `"$CLIENT_SECRET"`) || !strings.Contains(f.Reproducer.Curl, `"code=$CODE"`) {
			t.Errorf("reproducer without variables:\n%s", f.Reproducer.Curl)
		}
	}
	assertNoFuzzSecrets(t, r, fuzzPassword, fuzzSecret)
}

// assertNoFuzzSecrets checks the console and every file under the output
// directory (findings.json and any browser artifacts): no secret, and no
// code= but the reproducer's code=$CODE.
func assertNoFuzzSecrets(t *testing.T, r cliResult, secrets ...string) {
	t.Helper()
	texts := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	filepath.WalkDir(r.out, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			texts[path] = string(data)
		}
		return nil
	})
	if len(texts) < 3 {
		t.Errorf("expected console output and findings.json, got %d texts", len(texts))
	}
	for name, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s contains a secret", name)
			}
		}
		if n, vars := strings.Count(text, "code="), strings.Count(text, "code=$CODE"); n != vars {
			t.Errorf("%s has %d code= parameters that are not $CODE", name, n-vars)
		}
	}
}

// TestFuzzInterrupted: SIGINT during a campaign stops it cleanly: exit 130,
// findings.json written with what was found, no Chromium and no temporary
// browser profile left behind.
func TestFuzzInterrupted(t *testing.T) {
	tmp := shortTmp(t)
	out := t.TempDir()
	cmd := exec.Command(binary, "fuzz", "--demo", "--flaws", "case-insensitive-compare", "--seed", "3", "--out", out)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	progress := make(chan bool, 1)
	var lines []string
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if strings.HasPrefix(sc.Text(), "fuzz: 25/") {
				progress <- true
				io.Copy(io.Discard, stderr)
				return
			}
		}
		close(progress)
	}()
	select {
	case ok := <-progress:
		if !ok {
			t.Fatalf("fuzz ended before 25 cases:\n%s", strings.Join(lines, "\n"))
		}
	case <-time.After(stateTimeout):
		t.Fatalf("no progress line within %v", stateTimeout)
	}
	if n := processesMentioning(tmp); n == 0 {
		t.Fatal("found no Chromium process using the temp dir; the test cannot see leftovers")
	}
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("fuzz did not exit within 30s of SIGINT")
	}
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	doc := readFindings(t, out)
	if !doc.Interrupted || doc.Stats.TokenCases < 25 || doc.Stats.TokenCases >= fuzz.DefaultBudget {
		t.Errorf("interrupted %v after %d token cases", doc.Interrupted, doc.Stats.TokenCases)
	}
	assertNoLeftovers(t, tmp)
}

// TestFuzzShouldFindingsWarn: fuzz findings take the levels run gives their
// requirements. A provider whose only fault is a SHOULD (malformed
// challenges accepted at /authorize: rfc7636.challenge-format) gets its
// findings reported as warnings and exit 0, as pkcecheck run warns and
// passes; --fail-on should makes them fail, as it does for run.
func TestFuzzShouldFindingsWarn(t *testing.T) {
	for _, tc := range []struct {
		failOn   string
		wantExit int
	}{{"", exitOK}, {"should", exitFailed}} {
		t.Run("fail-on="+tc.failOn, func(t *testing.T) {
			args := []string{"fuzz", "--demo", "--seed", "7", "--budget", "60", "--flaws", "lax-challenge-format"}
			if tc.failOn != "" {
				args = append(args, "--fail-on", tc.failOn)
			}
			r := pkcecheck(t, nil, args...)
			doc := readFindings(t, r.out)
			if len(doc.Findings) == 0 {
				t.Fatalf("no findings (exit %d)\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			for _, f := range doc.Findings {
				if f.Severity != "should" || f.Level != "SHOULD" || f.Requirement != "rfc7636.challenge-format" {
					t.Errorf("finding %s: %s %s %s", f.Group, f.Level, f.Severity, f.Requirement)
				}
			}
			if r.code != tc.wantExit {
				t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, tc.wantExit, r.stderr)
			}
			if !strings.Contains(r.stdout, "SHOULD") || !strings.Contains(r.stdout, "rfc7636.challenge-format (warning)") {
				t.Errorf("summary does not show the warning:\n%s", r.stdout)
			}
			if tc.wantExit == exitOK && !strings.Contains(r.stderr, "reported as warnings") {
				t.Errorf("stderr does not say the findings are warnings:\n%s", r.stderr)
			}
		})
	}
}
