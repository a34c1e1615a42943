package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/results"
)

// detectedProfile returns the path of a copy of the shipped profile name
// (in a temporary folder) whose login is only the test account:
// login.username and login.password (and login.totp_secret when totp is
// set), given as ${VAR} references, with no steps and no consent.
func detectedProfile(t *testing.T, name, user, password, totp string) string {
	t.Helper()
	return detectedCopy(t, filepath.Join("..", "..", "profiles", name), user, password, totp)
}

// detectedCopy is detectedProfile for a profile file at path.
func detectedCopy(t *testing.T, path, user, password, totp string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	login := []string{"login:", `  username: "` + user + `"`, `  password: "` + password + `"`}
	if totp != "" {
		login = append(login, `  totp_secret: "`+totp+`"`)
	}
	lines := strings.Split(string(data), "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "login:") })
	if start < 0 {
		t.Fatalf("%s has no top-level login section", path)
	}
	end := start + 1
	for end < len(lines) && (lines[end] == "" || lines[end][0] == ' ' || lines[end][0] == '#') {
		end++
	}
	lines = slices.Concat(lines[:start], login, lines[end:])
	text := strings.Join(lines, "\n")
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	// Key files are relative to the profile: keep them pointing at the originals.
	text = strings.ReplaceAll(text, "key_file: ../", "key_file: "+abs+"/../")
	out := filepath.Join(t.TempDir(), "detected-"+filepath.Base(path))
	if err := os.WriteFile(out, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameVerdicts checks that the run with the detected login gave every
// requirement the status the run with the hand-written steps gave it (or,
// for a requirement whose result depends on timing, a status its
// expectations in either list), and that its login was detected
// (results.json says so, without values).
func sameVerdicts(t *testing.T, given, detected cliResult, either map[string][]results.Status, secrets ...string) {
	t.Helper()
	if given.run == nil || detected.run == nil {
		t.Fatalf("a run wrote no results.json (given: %v, detected: %v)\ndetected stderr:\n%s", given.run != nil, detected.run != nil, detected.stderr)
	}
	if given.code != detected.code {
		t.Errorf("exit %d with the detected login, %d with the profile's steps\nstderr:\n%s", detected.code, given.code, detected.stderr)
	}
	want := map[string]results.Status{}
	for _, r := range given.run.Results {
		want[r.ID] = r.Status
	}
	if len(detected.run.Results) != len(given.run.Results) {
		t.Errorf("%d results with the detected login, %d with the steps", len(detected.run.Results), len(given.run.Results))
	}
	for _, r := range detected.run.Results {
		if w, ok := want[r.ID]; ok && r.Status != w && len(either[r.ID]) > 1 && slices.Contains(either[r.ID], r.Status) && slices.Contains(either[r.ID], w) {
			continue
		}
		if w, ok := want[r.ID]; !ok || r.Status != w {
			t.Errorf("%s: %s with the detected login, %s with the profile's steps: %s", r.ID, r.Status, w, r.Summary)
		}
	}
	l := detected.run.Login
	if l == nil || l.Mode != results.LoginDetected || len(l.Steps) == 0 {
		t.Errorf("results.json login = %+v, want mode detected with its steps", l)
	}
	if g := given.run.Login; g == nil || g.Mode != results.LoginGiven {
		t.Errorf("results.json login of the hand-written run = %+v, want mode given", g)
	}
	if !strings.Contains(detected.stdout, "login steps: detected") {
		t.Errorf("the console does not say the login was detected:\n%s", detected.stdout)
	}
	t.Logf("given: %d ms, %d logins; detected: %d ms, %d logins; login %s",
		given.run.Stats.DurationMS, given.run.Stats.Logins, detected.run.Stats.DurationMS, detected.run.Stats.Logins, l.Summary())
	assertNoSecrets(t, detected, secrets...)
}
