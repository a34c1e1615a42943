// Package session holds a target ready to be probed and runs the suites
// against it. Open resolves the endpoints (discovery and the profile),
// refuses endpoints outside the target's scope, starts Chromium, logs in once
// and composes how codes are minted (plain HTTP on the browser's session
// cookies, the browser where a page needs it). Execute opens a session, runs
// the suites and returns the results with their statistics. The CLI's run,
// demo, login and fuzz commands and the Go API (suites/pkcetest) all start
// here.
package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/drivers/httpauthz"
	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
	"github.com/pkcecheck/pkcecheck/results"
	"github.com/pkcecheck/pkcecheck/suites"
)

// Options configure one run.
type Options struct {
	OutDir      string // browser failure artifacts go here
	LabelFilter string
	Verbose     bool
	Color       bool
	Chromium    string    // Chromium binary; "" = found by drivers/browser
	Log         io.Writer // progress lines; nil = discarded
	Version     string
	// Redactor masks what Open logs and returns, and learns the codes;
	// nil = a new one that masks every secret of the profile.
	Redactor *redact.Redactor
	// Steps, when set, receives a line for each step of the browser (its
	// start, each login and consent step, the redirect), redacted; it is
	// called under the same lock as the writes to Log.
	Steps func(line string)
	// T is the *testing.T when the suites run under `go test`.
	T ginkgo.GinkgoTestingT
	// Progress, when set, hears of each spec as it starts and ends (see
	// suites.RunOptions.Progress).
	Progress func(suites.Progress)
	// GinkgoOutput receives Ginkgo's own console reporter; nil = standard
	// output, io.Discard silences it.
	GinkgoOutput io.Writer
	// BrowserOnly mints every code in the browser; by default codes are
	// minted with plain HTTP on the browser's session where the server
	// allows it (see fastpath.go).
	BrowserOnly bool
	// HTTPFirst logs in over plain HTTP too (the profile's steps replayed
	// on server-rendered forms) and starts Chromium only when a page needs
	// it (lazy.go); pkcecheck code uses it. Ignored under BrowserOnly.
	HTTPFirst bool
}

// TargetError means the target could not be exercised before any probe ran
// (discovery, scope, browser start, login): exit status 3. When the login
// stopped at a step, errors.As finds the *browser.LoginError in Err.
type TargetError struct{ Err error }

func (e *TargetError) Error() string { return e.Err.Error() }
func (e *TargetError) Unwrap() error { return e.Err }

// ProfileError means the profile cannot be used as it is (a tls.ca_file
// without a certificate): exit status 2, like a profile that does not load.
type ProfileError struct{ Err error }

func (e *ProfileError) Error() string { return e.Err.Error() }
func (e *ProfileError) Unwrap() error { return e.Err }

// Session is a target ready to be probed: its endpoints resolved and a
// browser logged in. Close it when done; it also closes when the context
// given to Open ends (SIGINT), even while a probe runs.
type Session struct {
	Profile   *profiles.Profile
	Metadata  *discovery.Metadata // nil when the profile gives every endpoint and discovery failed
	Endpoints discovery.Endpoints
	Browser   *browser.Browser
	Redactor  *redact.Redactor
	// Authorizer mints the codes: plain HTTP on the browser's session, the
	// browser where a page needs it (or the Browser alone, BrowserOnly).
	Authorizer authz.Authorizer
	// CodesMinted counts the codes Open obtained (the warm-up login).
	CodesMinted int

	hc        *httpclient.Client
	started   time.Time
	close     func()
	stopWatch func() bool
	fast      *httpauthz.Authorizer // nil under BrowserOnly
	lazy      *lazyBrowser          // set under HTTPFirst
}

// Close stops the browser. It is idempotent.
func (s *Session) Close() {
	s.stopWatch()
	s.close()
}

// HTTP is the client for the target's endpoints: the profile's TLS
// settings, scope, rate limit and request budget, every request counted.
func (s *Session) HTTP() *http.Client { return s.hc.HTTP() }

// Requests is the number of HTTP requests sent so far through HTTP (the
// browser's navigations are not counted).
func (s *Session) Requests() int { return s.hc.Requests() }

// Elapsed is the time since Open began.
func (s *Session) Elapsed() time.Duration { return time.Since(s.started) }

// Issuer is the issuer the metadata confirmed, or the profile's.
func (s *Session) Issuer() string {
	if s.Metadata != nil {
		return s.Metadata.Issuer
	}
	return s.Profile.Issuer
}

// Open discovers the target's endpoints while Chromium starts, checks that
// they are in the target's scope, then logs in once with a valid S256
// request for the public client. A *TargetError means the target cannot be
// exercised (exit status 3), a *ProfileError that the profile cannot be used.
func Open(ctx context.Context, p *profiles.Profile, opts Options) (*Session, error) {
	s := &Session{Profile: p, started: time.Now()}
	var logMu sync.Mutex // Log and Steps hear from the browser's goroutine too
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			logMu.Lock()
			defer logMu.Unlock()
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	s.Redactor = opts.Redactor
	if s.Redactor == nil {
		s.Redactor = redact.New()
		s.Redactor.Add(p.Secrets()...)
	}
	var steps func(string, ...any)
	if opts.Steps != nil {
		steps = func(format string, args ...any) {
			logMu.Lock()
			defer logMu.Unlock()
			opts.Steps(s.Redactor.String(fmt.Sprintf(format, args...)))
		}
	}
	hc, err := httpclient.ForProfile(p)
	if err != nil {
		return nil, &ProfileError{err}
	}
	s.hc = hc
	warnInsecure(p, opts.Log)
	logf("%s", p.Limits.DescribeRate())

	bopts := browser.Options{
		ExecPath: opts.Chromium, Login: p.Login.Steps, Consent: p.Login.Consent,
		ProfilePath: p.Path, ArtifactDir: opts.OutDir, StepTimeout: p.Limits.Timeout,
		CACerts: p.TLS.CAPEM, IgnoreCertErrors: p.TLS.InsecureSkipVerify, Logf: steps,
		Detect: s.detection(),
	}
	if opts.HTTPFirst && !opts.BrowserOnly {
		return openHTTPFirst(ctx, s, opts, bopts, logf)
	}
	// Start Chromium while discovery runs: both take a few hundred ms.
	h := startBrowser(ctx, bopts)
	s.close = h.close
	// On SIGINT the context ends: close the browser at once, even mid-probe.
	s.stopWatch = context.AfterFunc(ctx, h.close)
	fail := func(err error) (*Session, error) {
		s.Close()
		return nil, &TargetError{err}
	}

	if err := s.resolve(ctx, logf); err != nil {
		return fail(err)
	}

	b, err := h.wait()
	if err != nil {
		return fail(fmt.Errorf("start Chromium: %w", err))
	}
	s.Browser = b
	logf("logging in at %s (a valid S256 request for client %q)", s.Endpoints.Authorization, p.Clients.Public.ID)
	if err := warmUp(ctx, s, s.Browser); err != nil {
		return fail(err)
	}
	s.CodesMinted = 1
	logf("logged in")
	s.Authorizer = s.codeMinter(ctx, opts, logf)
	return s, nil
}

// resolve discovers the endpoints and checks that they are in scope.
func (s *Session) resolve(ctx context.Context, logf func(string, ...any)) error {
	p := s.Profile
	if p.Issuer != "" {
		logf("discovering %s", p.Issuer)
		m, err := discovery.Fetch(ctx, s.HTTP(), p.Issuer)
		switch {
		case err == nil:
			s.Metadata = m
		case p.Endpoints.Authorization != "" && p.Endpoints.Token != "":
			logf("discovery failed, using the profile's endpoints: %v", s.Redactor.String(err.Error()))
		default:
			return fmt.Errorf("%s", s.Redactor.String(err.Error()))
		}
	}
	eps, err := discovery.Resolve(p, s.Metadata)
	if err != nil {
		return err
	}
	if err := checkScope(s.hc, eps); err != nil {
		return err
	}
	s.Endpoints = eps
	return nil
}

// Execute checks the target p describes and returns the run's results. A
// *TargetError means nothing was probed. Execute stops every browser it
// started before it returns, also when ctx is cancelled (SIGINT).
func Execute(ctx context.Context, p *profiles.Profile, opts Options) (*results.Run, error) {
	s, err := Open(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	defer s.Close()

	target := &suites.Target{Profile: p, Metadata: s.Metadata, Endpoints: s.Endpoints, Authorizer: budgeted(s.Authorizer, s.hc), HTTP: s.HTTP(), Redactor: s.Redactor}
	if opts.Log != nil {
		fmt.Fprintln(opts.Log, "running the suites")
	}
	suites.Run(target, suites.RunOptions{LabelFilter: opts.LabelFilter, Verbose: opts.Verbose, Color: opts.Color, T: opts.T,
		Progress: opts.Progress, Output: opts.GinkgoOutput})
	s.logMinting(opts)

	run := &results.Run{
		Tool:   results.Tool{Name: "pkcecheck", Version: opts.Version},
		Target: results.Target{Name: p.Name, Issuer: s.Issuer()},
		Policy: results.Policy{PKCERequired: p.Policy.PKCERequired, Plain: p.Policy.Plain, ErrorCodes: p.Policy.ErrorCodes, Profile: p.Policy.Profile},
		// HTTPRequests counts our own requests (discovery, token,
		// resources, the HTTP fast path's authorizations and redirects), not
		// the browser's navigations.
		Stats: results.Stats{
			DurationMS:   s.Elapsed().Milliseconds(),
			Logins:       s.Logins(),
			CodesMinted:  target.CodesMinted() + s.CodesMinted,
			HTTPRequests: s.Requests(),
		},
		Results: target.Results(),
	}
	run.Notes = append(run.Notes, safetyNotes(p)...)
	run.Login = s.LoginSteps()
	run.Clients, run.ProfilePath = ClientsUsed(p), p.Path
	if ctx.Err() != nil {
		return run, ctx.Err()
	}
	return run, nil
}

// warmUpState is the state of the warm-up request; the answer must echo it.
const warmUpState = "pkcecheck-warm-up"

// warmUp logs in once with a valid request for the public client, so a login
// problem is reported before any probe runs and never counts as a finding.
func warmUp(ctx context.Context, s *Session, a authz.Authorizer) error {
	c := s.Profile.Clients.Public
	pair, err := pkce.NewPair(43)
	if err != nil {
		return err
	}
	req := authz.NewRequest(s.Endpoints.Authorization, c.ID, c.RedirectURI, c.Scopes, warmUpState)
	req.AddExtra(s.Profile.AuthorizeParams)
	req.Params.Add("code_challenge", pair.Challenge)
	req.Params.Add("code_challenge_method", pkce.MethodS256)
	if s.Metadata != nil && s.Metadata.RequirePushedAuthorizationRequests && s.Metadata.PushedAuthorizationRequestEndpoint != "" {
		if req, err = s.pushWarmUp(ctx, c, req); err != nil {
			return err
		}
	}
	resp, err := a.Authorize(ctx, req.URL(), c.RedirectURI)
	if err != nil {
		return fmt.Errorf("log in: %w", s.Redactor.Error(err))
	}
	s.Redactor.Add(resp.Code)
	switch {
	case resp.Code != "" && resp.State != warmUpState:
		return errors.New("a code came back, but with the wrong state (the server must return the state it was sent)")
	case resp.Code != "":
		return nil
	}
	return errors.New(DescribeRefusal(c.ID, resp, s.Redactor))
}

// browserHandle is a browser being started in the background.
type browserHandle struct {
	done chan struct{}
	b    *browser.Browser
	err  error
}

func startBrowser(ctx context.Context, opts browser.Options) *browserHandle {
	h := &browserHandle{done: make(chan struct{})}
	go func() {
		defer close(h.done)
		h.b, h.err = browser.Start(ctx, opts)
	}()
	return h
}

// wait returns the started browser.
func (h *browserHandle) wait() (*browser.Browser, error) {
	<-h.done
	return h.b, h.err
}

// close stops the browser once it has started; safe to call repeatedly and
// concurrently with Authorize.
func (h *browserHandle) close() {
	if b, _ := h.wait(); b != nil {
		b.Close()
	}
}
