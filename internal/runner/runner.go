// Package runner runs the suites against one target: discovery, one browser
// login, the specs, and the results with their statistics. The CLI's run and
// demo commands are thin wrappers around Execute.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/internal/authz"
	"github.com/pkcecheck/pkcecheck/internal/discovery"
	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/internal/pkce"
	"github.com/pkcecheck/pkcecheck/internal/redact"
	"github.com/pkcecheck/pkcecheck/internal/results"
	"github.com/pkcecheck/pkcecheck/profiles"
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
	// Redactor collects secrets; nil = a new one from the profile.
	Redactor *redact.Redactor
	// T is the *testing.T when the suites run under `go test`.
	T ginkgo.GinkgoTestingT
}

// TargetError means the target could not be exercised before any probe ran
// (discovery, browser start, login): exit status 3.
type TargetError struct{ Err error }

func (e *TargetError) Error() string { return e.Err.Error() }
func (e *TargetError) Unwrap() error { return e.Err }

// Execute checks the target p describes and returns the run's results. A
// *TargetError means nothing was probed. Execute stops every browser it
// started before it returns, also when ctx is cancelled (SIGINT).
func Execute(ctx context.Context, p *profiles.Profile, opts Options) (*results.Run, error) {
	start := time.Now()
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	red := opts.Redactor
	if red == nil {
		red = redact.New()
	}
	red.Add(p.Secrets()...)
	hc := httpclient.New(httpclient.Options{Timeout: p.Limits.Timeout, RequestsPerSecond: p.Limits.RequestsPerSecond})

	// Start Chromium while discovery runs: both take a few hundred ms.
	h := startBrowser(ctx, browser.Options{
		ExecPath: opts.Chromium, Login: p.Login.Steps, Consent: p.Login.Consent,
		ProfilePath: p.Path, ArtifactDir: opts.OutDir, StepTimeout: p.Limits.Timeout,
	})
	defer h.close()
	// On SIGINT the context ends: close the browser at once, even mid-spec.
	defer context.AfterFunc(ctx, h.close)()

	var md *discovery.Metadata
	if p.Issuer != "" {
		logf("discovering %s", p.Issuer)
		m, err := discovery.Fetch(ctx, hc.HTTP(), p.Issuer)
		switch {
		case err == nil:
			md = m
		case p.Endpoints.Authorization != "" && p.Endpoints.Token != "":
			logf("discovery failed, using the profile's endpoints: %v", red.String(err.Error()))
		default:
			return nil, &TargetError{fmt.Errorf("%s", red.String(err.Error()))}
		}
	}
	eps, err := discovery.Resolve(p, md)
	if err != nil {
		return nil, &TargetError{err}
	}

	b, err := h.wait()
	if err != nil {
		return nil, &TargetError{fmt.Errorf("start Chromium: %w", err)}
	}

	target := &suites.Target{Profile: p, Metadata: md, Endpoints: eps, Authorizer: b, HTTP: hc.HTTP(), Redactor: red}
	logf("logging in at %s", eps.Authorization)
	if err := warmUp(ctx, target, b); err != nil {
		return nil, &TargetError{err}
	}
	logf("logged in; running the suites")

	suites.Run(target, suites.RunOptions{LabelFilter: opts.LabelFilter, Verbose: opts.Verbose, Color: opts.Color, T: opts.T})

	issuer := p.Issuer
	if md != nil {
		issuer = md.Issuer
	}
	run := &results.Run{
		Tool:   results.Tool{Name: "pkcecheck", Version: opts.Version},
		Target: results.Target{Name: p.Name, Issuer: issuer},
		Policy: results.Policy{PKCERequired: p.Policy.PKCERequired, Plain: p.Policy.Plain, ErrorCodes: p.Policy.ErrorCodes},
		Stats: results.Stats{
			DurationMS:   time.Since(start).Milliseconds(),
			Logins:       b.Logins(),
			CodesMinted:  target.CodesMinted() + 1, // + the warm-up code
			HTTPRequests: hc.Requests(),
		},
		Results: target.Results(),
	}
	if ctx.Err() != nil {
		return run, ctx.Err()
	}
	return run, nil
}

// warmUp logs in once with a valid request for the public client, so a login
// problem is reported before any probe runs and never counts as a finding.
func warmUp(ctx context.Context, t *suites.Target, b *browser.Browser) error {
	c := t.Profile.Clients.Public
	pair, err := pkce.NewPair(43)
	if err != nil {
		return err
	}
	req := authz.NewRequest(t.Endpoints.Authorization, c.ID, c.RedirectURI, c.Scopes, "pkcecheck-warm-up")
	req.Params.Add("code_challenge", pair.Challenge)
	req.Params.Add("code_challenge_method", pkce.MethodS256)
	resp, err := b.Authorize(ctx, req.URL(), c.RedirectURI)
	if err != nil {
		return fmt.Errorf("log in: %s", t.Redactor.String(err.Error()))
	}
	t.Redactor.Add(resp.Code)
	switch {
	case resp.Code != "":
		return nil
	case resp.Error != "":
		return fmt.Errorf("the server refused a valid PKCE authorization request for client %q: error=%s %s (check the client's registration and redirect_uri)",
			c.ID, resp.Error, t.Redactor.String(resp.ErrorDescription))
	case resp.ErrorPage:
		return fmt.Errorf("the server showed an error page (HTTP %d) for a valid PKCE authorization request for client %q: %s",
			resp.Status, c.ID, t.Redactor.String(firstLine(resp.Body)))
	default:
		return errors.New("the server redirected without a code or an error")
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
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
