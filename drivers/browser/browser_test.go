package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

const (
	testProfile = "profiles/test.yaml"
	// unusedRedirect points at a port nothing listens on: a code can only
	// come back through interception.
	unusedRedirect = "http://127.0.0.1:1/callback"
)

func loginSteps(password string) []profiles.Step {
	return []profiles.Step{
		{Fill: "#username", Value: testUser, Line: 10},
		{Fill: "#password", Value: password, Line: 11},
		{Click: "button#signin", Line: 12},
	}
}

var consentSteps = []profiles.Step{{Click: "#allow", Line: 14}}

// logLines collects Options.Logf output so tests can check it for secrets.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// startTestBrowser starts a browser with the test login steps; it is closed
// (and its cleanup checked) when the test ends.
func startTestBrowser(t *testing.T, opts Options) (*Browser, *logLines) {
	t.Helper()
	if opts.Login == nil {
		opts.Login = loginSteps(testPassword)
	}
	if opts.ProfilePath == "" {
		opts.ProfilePath = testProfile
	}
	if opts.StepTimeout == 0 {
		opts.StepTimeout = 5 * time.Second
	}
	logs := &logLines{}
	t0 := time.Now()
	opts.Logf = func(format string, args ...any) {
		line := fmt.Sprintf("%5dms ", time.Since(t0).Milliseconds()) + fmt.Sprintf(format, args...)
		logs.mu.Lock()
		logs.lines = append(logs.lines, line)
		logs.mu.Unlock()
		t.Log(line)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if _, err := os.Stat(b.UserDataDir()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("profile dir %s still there after Close (stat: %v)", b.UserDataDir(), err)
		}
		if out := logs.all(); strings.Contains(out, testPassword) {
			t.Errorf("the password appeared in the log:\n%s", out)
		}
	})
	return b, logs
}

func authorize(t *testing.T, b *Browser, authURL, redirectURI string) (*authz.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return b.Authorize(ctx, authURL, redirectURI)
}

func TestAuthorizeLogsInOnceThenReusesSession(t *testing.T) {
	app := newLoginApp(t)
	began := time.Now()
	b, _ := startTestBrowser(t, Options{})
	startMS := time.Since(began).Milliseconds()

	began = time.Now()
	resp, err := authorize(t, b, app.authURL(unusedRedirect, "state-1", ""), unusedRedirect)
	firstMS := time.Since(began).Milliseconds()
	if err != nil {
		t.Fatalf("first Authorize: %v", err)
	}
	if resp.Code != "code-1" || resp.State != "state-1" || resp.ErrorPage || resp.Error != "" {
		t.Fatalf("first Authorize = %+v, want code-1 and state-1", resp)
	}
	if !strings.HasPrefix(resp.Location, unusedRedirect+"?") {
		t.Errorf("Location = %q, want the redirect URI with a query", resp.Location)
	}
	if b.Logins() != 1 {
		t.Errorf("Logins() = %d after the first Authorize, want 1", b.Logins())
	}

	// The app's own /callback: it must never be fetched.
	own := app.srv.URL + "/callback"
	const further = 5
	began = time.Now()
	for i := 0; i < further; i++ {
		redirect := unusedRedirect
		if i%2 == 0 {
			redirect = own
		}
		state := "state-again-" + string(rune('a'+i))
		resp, err := authorize(t, b, app.authURL(redirect, state, ""), redirect)
		if err != nil {
			t.Fatalf("Authorize %d: %v", i+2, err)
		}
		if resp.Code == "" || resp.State != state {
			t.Fatalf("Authorize %d = %+v, want a code and state %q", i+2, resp, state)
		}
	}
	furtherMS := time.Since(began).Milliseconds() / further
	if b.Logins() != 1 {
		t.Errorf("Logins() = %d after %d more Authorize calls, want 1 (session reused)", b.Logins(), further)
	}
	if n := app.count(func() int { return app.loginPosts }); n != 1 {
		t.Errorf("the app saw %d login posts, want 1", n)
	}
	if n := app.count(func() int { return app.callbackHits }); n != 0 {
		t.Errorf("the redirect URI was fetched %d times, want 0 (interception)", n)
	}
	t.Logf("TIMING browser start %d ms, first login+code %d ms, further code %d ms (mean of %d)", startMS, firstMS, furtherMS, further)
}

func TestAuthorizeClicksConsentOncePerSession(t *testing.T) {
	app := newLoginApp(t)
	app.consent = true
	b, _ := startTestBrowser(t, Options{Consent: consentSteps})
	for i, state := range []string{"c1", "c2"} {
		resp, err := authorize(t, b, app.authURL(unusedRedirect, state, ""), unusedRedirect)
		if err != nil {
			t.Fatalf("Authorize %d: %v", i+1, err)
		}
		if resp.Code == "" || resp.State != state {
			t.Fatalf("Authorize %d = %+v, want a code and state %q", i+1, resp, state)
		}
	}
	if n := app.count(func() int { return app.consentPosts }); n != 1 {
		t.Errorf("consent posted %d times, want 1", n)
	}
	if b.Logins() != 1 {
		t.Errorf("Logins() = %d, want 1", b.Logins())
	}
}

func TestAuthorizeErrorOutcomes(t *testing.T) {
	tests := []struct {
		mode       string
		wantError  string // error parameter of the redirect
		wantStatus int    // status of the error page
		wantBody   string
		wantLogins int
	}{
		{mode: "early", wantError: "invalid_request"},
		{mode: "error", wantStatus: 400, wantBody: "code_challenge is required"},
		{mode: "empty400", wantStatus: 400},
		{mode: "late-error", wantError: "invalid_grant", wantLogins: 1},
		{mode: "late-page", wantStatus: 400, wantBody: "checked after login", wantLogins: 1},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			app := newLoginApp(t)
			app.consent = true
			b, _ := startTestBrowser(t, Options{Consent: consentSteps})
			resp, err := authorize(t, b, app.authURL(unusedRedirect, "st-"+tt.mode, tt.mode), unusedRedirect)
			if err != nil {
				t.Fatalf("Authorize: %v", err)
			}
			if tt.wantError != "" {
				if resp.Error != tt.wantError || resp.State != "st-"+tt.mode || resp.ErrorPage {
					t.Errorf("Authorize = %+v, want error=%s with the state", resp, tt.wantError)
				}
			} else {
				if !resp.ErrorPage || resp.Status != tt.wantStatus || !strings.Contains(resp.Body, tt.wantBody) {
					t.Errorf("Authorize = %+v, want an error page %d containing %q", resp, tt.wantStatus, tt.wantBody)
				}
				if !strings.Contains(resp.PageURL, "/authorize") {
					t.Errorf("PageURL = %q, want the /authorize page", resp.PageURL)
				}
			}
			if b.Logins() != tt.wantLogins {
				t.Errorf("Logins() = %d, want %d", b.Logins(), tt.wantLogins)
			}
		})
	}
}

func TestAuthorizeWaitsForScriptInsertedForm(t *testing.T) {
	app := newLoginApp(t)
	app.jsForm = true
	b, _ := startTestBrowser(t, Options{})
	resp, err := authorize(t, b, app.authURL(unusedRedirect, "js", ""), unusedRedirect)
	if err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	if resp.Code == "" || resp.State != "js" {
		t.Fatalf("Authorize = %+v, want a code", resp)
	}
	if b.Logins() != 1 {
		t.Errorf("Logins() = %d, want 1", b.Logins())
	}
}

// checkArtifacts checks that a LoginError names saved, non-empty files and
// that the HTML holds no password.
func checkArtifacts(t *testing.T, le *LoginError, dir string) {
	t.Helper()
	if le.Screenshot == "" || le.HTML == "" {
		t.Fatalf("LoginError names no artifacts: %+v", le)
	}
	for _, p := range []string{le.Screenshot, le.HTML} {
		if filepath.Dir(p) != dir {
			t.Errorf("artifact %s not in %s", p, dir)
		}
	}
	png, err := os.ReadFile(le.Screenshot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("screenshot %s: not a PNG (err %v)", le.Screenshot, err)
	}
	html, err := os.ReadFile(le.HTML)
	if err != nil || !bytes.Contains(html, []byte("<html")) {
		t.Errorf("page %s: not HTML (err %v)", le.HTML, err)
	}
	if bytes.Contains(html, []byte(testPassword)) {
		t.Errorf("page %s contains the password", le.HTML)
	}
	msg := le.Error()
	for _, want := range []string{"screenshot: " + le.Screenshot, "page: " + le.HTML} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, testPassword) {
		t.Errorf("error %q contains the password", msg)
	}
}

func TestAuthorizeWrongSelectorNamesTheStep(t *testing.T) {
	app := newLoginApp(t)
	dir := filepath.Join(t.TempDir(), "out") // created on demand
	steps := loginSteps(testPassword)
	steps[1].Fill = "#passwd"
	b, _ := startTestBrowser(t, Options{Login: steps, ArtifactDir: dir, StepTimeout: 1500 * time.Millisecond})
	_, err := authorize(t, b, app.authURL(unusedRedirect, "secret-state-value", ""), unusedRedirect)
	var le *LoginError
	if !errors.As(err, &le) {
		t.Fatalf("Authorize error = %v, want a *LoginError", err)
	}
	if le.Step != 2 || le.Kind != KindFill || le.Selector != "#passwd" || le.Where != testProfile+":11" {
		t.Errorf("LoginError = %+v, want step 2, fill, #passwd, %s:11", le, testProfile)
	}
	msg := err.Error()
	for _, want := range []string{`login step 2 (fill "#passwd", profiles/test.yaml:11)`, "selector not visible after 1.5s", "/login?return=REDACTED"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "secret-state-value") {
		t.Errorf("error %q shows the state", msg)
	}
	checkArtifacts(t, le, dir)
	if !strings.HasSuffix(le.Screenshot, "login-failure-1.png") {
		t.Errorf("screenshot = %s, want login-failure-1.png", le.Screenshot)
	}
	if n := app.count(func() int { return app.loginPosts }); n != 0 {
		t.Errorf("the app saw %d login posts, want 0", n)
	}
}

func TestAuthorizeWrongPasswordIsNotRetried(t *testing.T) {
	app := newLoginApp(t)
	app.password = "the-real-one"
	dir := t.TempDir()
	b, _ := startTestBrowser(t, Options{ArtifactDir: dir})
	_, err := authorize(t, b, app.authURL(unusedRedirect, "wp", ""), unusedRedirect)
	var le *LoginError
	if !errors.As(err, &le) {
		t.Fatalf("Authorize error = %v, want a *LoginError", err)
	}
	if le.Kind != KindPage || !strings.Contains(err.Error(), "login did not succeed") {
		t.Errorf("error = %v, want kind page and 'login did not succeed'", err)
	}
	if b.Logins() != 1 {
		t.Errorf("Logins() = %d, want 1", b.Logins())
	}
	if n := app.count(func() int { return app.loginPosts }); n != 1 {
		t.Errorf("the app saw %d login posts, want exactly 1 (no retry)", n)
	}
	checkArtifacts(t, le, dir)
}

func TestAuthorizeTimesOutOnUnknownPage(t *testing.T) {
	app := newLoginApp(t)
	dir := t.TempDir()
	b, _ := startTestBrowser(t, Options{Consent: consentSteps, ArtifactDir: dir, StepTimeout: time.Second})
	began := time.Now()
	_, err := authorize(t, b, app.authURL(unusedRedirect, "stuck", "stuck"), unusedRedirect)
	var le *LoginError
	if !errors.As(err, &le) {
		t.Fatalf("Authorize error = %v, want a *LoginError", err)
	}
	// Well under the default step timeout, so the 1 s option is what
	// ended it, with room for a slow machine.
	if d := time.Since(began); d > DefaultStepTimeout {
		t.Errorf("Authorize took %v with a 1s step timeout", d)
	}
	msg := err.Error()
	for _, want := range []string{`login form "#username"`, `consent "#allow"`, "redirect to http://127.0.0.1:1/callback", "/authorize?", "=REDACTED"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if le.Kind != KindPage || le.Step != 0 {
		t.Errorf("LoginError kind %q step %d, want page 0", le.Kind, le.Step)
	}
	checkArtifacts(t, le, dir)
}

// waitGone waits (bounded, generously for a loaded machine) until pid and
// the rest of its process group have exited.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for processAlive(pid) || len(groupMembers(pid)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("chromium pid %d (or its group: %v) still alive after 15s", pid, groupMembers(pid))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCloseKillsChromiumAndRemovesProfile(t *testing.T) {
	app := newLoginApp(t)
	b, _ := startTestBrowser(t, Options{})
	if _, err := authorize(t, b, app.authURL(unusedRedirect, "x", ""), unusedRedirect); err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	pid, dir := b.PID(), b.UserDataDir()
	if pid <= 0 || !processAlive(pid) {
		t.Fatalf("PID() = %d, not a live process", pid)
	}
	if members := groupMembers(pid); len(members) < 2 {
		t.Errorf("expected Chromium and its helpers in process group %d, found %v", pid, members)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if processAlive(pid) {
		t.Errorf("chromium pid %d alive right after Close returned", pid)
	}
	waitGone(t, pid)
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("profile dir %s still exists", dir)
	}
	if left := append(processesUsing(dir), groupMembers(pid)...); len(left) > 0 {
		t.Errorf("Chromium processes left after Close: %v", left)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := authorize(t, b, app.authURL(unusedRedirect, "y", ""), unusedRedirect); !errors.Is(err, ErrClosed) {
		t.Errorf("Authorize after Close = %v, want ErrClosed", err)
	}
}

func TestCloseDuringAuthorize(t *testing.T) {
	app := newLoginApp(t)
	b, _ := startTestBrowser(t, Options{StepTimeout: 30 * time.Second})
	errc := make(chan error, 1)
	go func() {
		_, err := authorize(t, b, app.authURL(unusedRedirect, "s", "stuck"), unusedRedirect)
		errc <- err
	}()
	deadline := time.Now().Add(time.Minute)
	for app.count(func() int { return app.stuckHits }) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("Authorize never reached the page")
		}
		time.Sleep(10 * time.Millisecond)
	}
	pid := b.PID()
	began := time.Now()
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("Authorize = %v, want ErrClosed", err)
		}
	case <-time.After(15 * time.Second): // half the step timeout
		t.Fatal("Authorize still running 15s after Close")
	}
	t.Logf("Close + Authorize return took %v", time.Since(began))
	waitGone(t, pid)
}

func TestAuthorizeAfterChromiumDied(t *testing.T) {
	app := newLoginApp(t)
	// A step timeout far beyond the bound below: the error must come from
	// the dead browser, not from waiting out a timeout.
	b, _ := startTestBrowser(t, Options{StepTimeout: time.Minute})
	killGroup(b.PID())
	waitGone(t, b.PID())
	began := time.Now()
	_, err := authorize(t, b, app.authURL(unusedRedirect, "d", ""), unusedRedirect)
	if err == nil {
		t.Fatal("Authorize on a dead browser succeeded")
	}
	if d := time.Since(began); d > 30*time.Second {
		t.Errorf("Authorize on a dead browser took %v", d)
	}
	t.Logf("Authorize on a dead browser: %v", err)
	// t.Cleanup checks that Close still removes the profile dir.
}

func TestAuthorizeRejectsInvalidSelector(t *testing.T) {
	app := newLoginApp(t)
	app.consent = true
	// A step timeout far beyond the bound below, as with a dead browser.
	b, _ := startTestBrowser(t, Options{StepTimeout: time.Minute, Consent: []profiles.Step{{Click: "button[", Line: 20}}})
	began := time.Now()
	_, err := authorize(t, b, app.authURL(unusedRedirect, "bad", ""), unusedRedirect)
	var le *LoginError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), `invalid CSS selector "button["`) {
		t.Fatalf("Authorize error = %v, want a LoginError about the invalid selector", err)
	}
	if d := time.Since(began); d > 30*time.Second {
		t.Errorf("took %v: an invalid selector should fail at once, not time out", d)
	}
}
