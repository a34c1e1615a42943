package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/drivers/browser"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/clientjwt"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/protocol/repro"
	"github.com/pkcecheck/pkcecheck/session"
)

// responseModeQuery is the default response mode (code in the query).
const responseModeQuery = "query"

// codeFlags are pkcecheck code's flags.
type codeFlags struct {
	profile, client, method, challenge, responseMode, redirectURI string
	count, index                                                  int
	challengeSet, push                                            bool
	requestURI                                                    string
	params                                                        []string
	out, chromium                                                 string
	browserOnly                                                   bool
}

// paramList collects repeated --param NAME=VALUE flags.
type paramList struct{ list *[]string }

func (p paramList) String() string {
	if p.list == nil {
		return ""
	}
	return strings.Join(*p.list, " ")
}
func (p paramList) Set(v string) error {
	if !strings.Contains(v, "=") {
		return fmt.Errorf("%q: want NAME=VALUE", v)
	}
	*p.list = append(*p.list, v)
	return nil
}

// cmdCode logs in like run (the profile's steps, over HTTP where the pages
// are server-rendered, Chromium where a page needs it) and prints fresh
// authorization codes with their verifier and challenge as shell
// assignments (export CODE=...), for `eval "$(pkcecheck code ...)"` before
// a reproducer run with sh. Nothing else goes to stdout; progress, the
// redirect of each authorization (code masked) and errors go to stderr;
// client secrets are never printed.
//
// Exit status: 0 codes printed; 2 usage or profile error; 3 the target
// could not be exercised, or it refused the authorization request (the
// refusal is printed).
func cmdCode(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pkcecheck code", flag.ContinueOnError)
	var f codeFlags
	fs.StringVar(&f.profile, "profile", "", "the target's YAML profile (required)")
	fs.StringVar(&f.client, "client", "public", "the client: public, confidential, other, or a client ID of the profile")
	fs.StringVar(&f.method, "method", pkce.MethodS256, "code_challenge_method: S256, plain, or none (no method parameter); other values are sent as given")
	fs.StringVar(&f.challenge, "challenge", "", "send exactly this code_challenge (the verifier is then unknown, unless plain); empty sends code_challenge=")
	fs.StringVar(&f.responseMode, "response-mode", responseModeQuery, "how the code comes back: query, form_post or fragment")
	fs.StringVar(&f.redirectURI, "redirect-uri", "", "send this redirect_uri instead of the client's")
	fs.IntVar(&f.count, "count", 1, "how many codes (CODE, CODE_2, ...)")
	fs.IntVar(&f.index, "index", 1, "the number of the first code's variables (2: CODE_2, CODE_VERIFIER_2, ...)")
	fs.Var(paramList{&f.params}, "param", "NAME=VALUE: an authorization parameter sent after the others, as given (repeatable)")
	fs.BoolVar(&f.push, "push", false, "push the authorization request to the PAR endpoint (RFC 9126) and print its REQUEST_URI instead of a code")
	fs.StringVar(&f.requestURI, "request-uri", "", "authorize with only client_id, this request_uri (from --push) and the --param parameters")
	fs.StringVar(&f.out, "out", "out", "directory for the screenshot and page HTML saved when the login fails")
	fs.StringVar(&f.chromium, "chromium", "", "Chromium binary (default: $PKCECHECK_CHROMIUM, then chromium on PATH)")
	fs.BoolVar(&f.browserOnly, "browser-only", false, "log in and mint every code in the browser (by default both go over HTTP, Chromium starting only if a page needs it)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	fs.Visit(func(fl *flag.Flag) { f.challengeSet = f.challengeSet || fl.Name == "challenge" })
	if err := f.check(); err != nil {
		return err
	}
	p, err := profiles.Load(f.profile)
	if err != nil {
		return &exitError{exitUsage, fmt.Errorf("profile: %w", err)}
	}
	c, err := clientOf(p, f.client)
	if err != nil {
		return err
	}
	if f.responseMode != responseModeQuery && !p.Flows.Has(f.responseMode) {
		fmt.Fprintf(stderr, "note: the profile does not list %s in flows.response_modes; asking for it anyway\n", f.responseMode)
	}
	red := outputRedactor(p)
	s, err := session.Open(ctx, p, session.Options{OutDir: f.out, Chromium: f.chromium, Log: stderr, Version: version(),
		Redactor: red, BrowserOnly: f.browserOnly, HTTPFirst: true})
	if err != nil {
		var le *browser.LoginError
		if ctx.Err() == nil && errors.As(err, &le) {
			printStuck(stderr, le, red)
		}
		return openErr(ctx, err, "interrupted")
	}
	defer s.Close()
	var lines []string
	for i := range f.count {
		n := f.index + i
		mint := mintOne
		switch {
		case f.push:
			mint = pushOne
		case f.requestURI != "":
			mint = authorizeURI
		}
		got, err := mint(ctx, s, c, f, n, stderr)
		if err != nil {
			return err
		}
		lines = append(lines, got...)
	}
	switch {
	case f.challengeSet && f.method == pkce.MethodPlain:
		fmt.Fprintln(stderr, "the verifier of a plain challenge is the challenge itself: CODE_VERIFIER is set")
	case f.challengeSet:
		fmt.Fprintln(stderr, "no verifier is known for a challenge given with --challenge: CODE_VERIFIER is not set (the reproducer names the verifier it sends)")
	}
	if c.AuthMethod == profiles.AuthClientSecretBasic || c.AuthMethod == profiles.AuthClientSecretPost {
		fmt.Fprintf(stderr, "client %s authenticates with %s: set CLIENT_SECRET yourself (pkcecheck never prints it)\n", c.ID, c.AuthMethod)
	}
	// export: the reproducer runs in a child shell (sh repro.sh).
	fmt.Fprintln(stdout, "export "+strings.Join(lines, "\nexport "))
	return nil
}

// check validates the flags that need no profile.
func (f *codeFlags) check() error {
	switch {
	case f.profile == "":
		return usageErr("code needs --profile FILE")
	case f.count < 1 || f.count > 100:
		return usageErr("--count %d: want 1 to 100", f.count)
	case f.index < 1:
		return usageErr("--index %d: want 1 or more", f.index)
	case f.method == "":
		return usageErr("--method: want S256, plain or none")
	case f.push && f.requestURI != "":
		return usageErr("--push and --request-uri exclude each other (push first, then authorize with its REQUEST_URI)")
	}
	switch f.responseMode {
	case responseModeQuery, profiles.ResponseModeFormPost, profiles.ResponseModeFragment:
	default:
		return usageErr("--response-mode %q: want query, form_post or fragment", f.responseMode)
	}
	return nil
}

// clientOf finds the client --client names.
func clientOf(p *profiles.Profile, name string) (*profiles.Client, error) {
	cs := p.Clients
	byRole := map[string]*profiles.Client{"public": cs.Public, "confidential": cs.Confidential, "other": cs.Other}
	if c, ok := byRole[name]; ok {
		if c == nil {
			return nil, usageErr("--client %s: the profile has no clients.%s", name, name)
		}
		return c, nil
	}
	var ids []string
	for _, c := range append([]*profiles.Client{cs.Public, cs.Confidential, cs.Other}, cs.Extra...) {
		if c == nil {
			continue
		}
		if c.ID == name {
			return c, nil
		}
		ids = append(ids, c.ID)
	}
	return nil, usageErr("--client %q: not a client of the profile (want public, confidential, other or one of %s)", name, strings.Join(ids, ", "))
}

// mintOne obtains one code and returns its shell assignments.
func mintOne(ctx context.Context, s *session.Session, c *profiles.Client, f codeFlags, n int, stderr io.Writer) ([]string, error) {
	req, verifier, challenge, err := buildRequest(s, c, f, n)
	if err != nil {
		return nil, err
	}
	state, _ := req.Params.Get("state")
	redirect, _ := req.Params.Get("redirect_uri")
	if s.RequiresPAR() {
		pushed, err := s.Push(ctx, c, req)
		if err != nil {
			return nil, targetErr(err)
		}
		req = pushed
	}
	return finishMint(ctx, s, c, f, n, req, redirect, state, verifier, challenge, stderr)
}

// buildRequest is the authorization request the flags describe, with the
// verifier and challenge it carries.
func buildRequest(s *session.Session, c *profiles.Client, f codeFlags, n int) (req *authz.Request, verifier, challenge string, err error) {
	switch {
	case f.challengeSet:
		challenge = f.challenge
		if f.method == pkce.MethodPlain {
			verifier = challenge
		}
	case f.method == "none":
	default:
		v, err := pkce.NewVerifier(43)
		if err != nil {
			return nil, "", "", err
		}
		verifier = v
		if challenge, err = pkce.Challenge(v, f.method); err != nil {
			challenge = pkce.S256(v) // an unknown method: the S256 challenge, sent under that name
		}
	}
	redirect := c.RedirectURI
	if f.redirectURI != "" {
		redirect = f.redirectURI
	}
	state := fmt.Sprintf("pkcecheck-code-%d-%d", n, time.Now().UnixNano())
	req = authz.NewRequest(s.Endpoints.Authorization, c.ID, redirect, c.Scopes, state)
	req.AddExtra(s.Profile.AuthorizeParams)
	if f.challengeSet || f.method != "none" {
		req.Params.Add("code_challenge", challenge)
	}
	if f.method != "none" {
		req.Params.Add("code_challenge_method", f.method)
	}
	switch f.responseMode {
	case profiles.ResponseModeFragment:
		if offersHybrid(s) && slices.Contains(c.Scopes, "openid") {
			req.Params.Set("response_type", "code id_token")
		} else {
			req.Params.Add("response_mode", f.responseMode)
		}
	case profiles.ResponseModeFormPost:
		req.Params.Add("response_mode", f.responseMode)
	}
	for _, kv := range f.params {
		name, value, _ := strings.Cut(kv, "=")
		req.Params.Add(name, value)
	}
	return req, verifier, challenge, nil
}

// finishMint sends the authorization request and returns the code's
// assignments.
func finishMint(ctx context.Context, s *session.Session, c *profiles.Client, f codeFlags, n int, req *authz.Request, redirect, state, verifier, challenge string, stderr io.Writer) ([]string, error) {
	resp, err := authorizeOnce(ctx, s, c, req, redirect, stderr)
	if err != nil {
		return nil, err
	}
	if resp.State != state {
		return nil, targetErr(errors.New("a code came back, but with the wrong state (the server must return the state it was sent)"))
	}
	fmt.Fprintf(stderr, "code %d for client %s (%s)\n", n, c.ID, describePKCE(f))
	lines := []string{repro.CodeVar("CODE", n) + "=" + repro.Quote(resp.Code)}
	if verifier != "" {
		lines = append(lines, repro.CodeVar("CODE_VERIFIER", n)+"="+repro.Quote(verifier))
	}
	if f.challengeSet || f.method != "none" {
		lines = append(lines, repro.CodeVar("CODE_CHALLENGE", n)+"="+repro.Quote(challenge))
	}
	// A client with a private_key_jwt key gets a fresh assertion per code
	// (single use): the reproducer sends it as $CLIENT_ASSERTION_n. The
	// key itself is never printed.
	if c.PrivateKeyJWT != nil && c.PrivateKeyJWT.Key != nil {
		aud := c.PrivateKeyJWT.Audience
		if aud == "" {
			aud = s.Endpoints.Token
		}
		a, err := clientjwt.Sign(c.ID, aud, c.PrivateKeyJWT.Key, c.PrivateKeyJWT.Alg, c.PrivateKeyJWT.KeyID, time.Now())
		if err != nil {
			return nil, fmt.Errorf("sign a client assertion for %s: %w", c.ID, err)
		}
		lines = append(lines, repro.CodeVar(repro.VarClientAssertion, n)+"="+repro.Quote(a))
	}
	return lines, nil
}

// describePKCE says in a few words what PKCE the request carried.
func describePKCE(f codeFlags) string {
	switch {
	case f.method == "none" && !f.challengeSet:
		return "no PKCE"
	case f.method == "none":
		return "a challenge without method"
	case f.challengeSet:
		return "the challenge given, method " + f.method
	}
	return "a fresh challenge, method " + f.method
}

// offersHybrid says whether the metadata lists response_type code id_token.
func offersHybrid(s *session.Session) bool {
	if s.Metadata == nil {
		return false
	}
	list, _ := s.Metadata.Raw["response_types_supported"].([]any)
	for _, v := range list {
		if v == "code id_token" {
			return true
		}
	}
	return false
}

// pushOne pushes one authorization request and returns the assignment of
// its request_uri (REQUEST_URI, REQUEST_URI_2, ...).
func pushOne(ctx context.Context, s *session.Session, c *profiles.Client, f codeFlags, n int, stderr io.Writer) ([]string, error) {
	if s.Metadata == nil || s.Metadata.PushedAuthorizationRequestEndpoint == "" {
		return nil, targetErr(errors.New("--push: the metadata names no pushed_authorization_request_endpoint"))
	}
	req, _, _, err := buildRequest(s, c, f, n)
	if err != nil {
		return nil, err
	}
	front, err := s.Push(ctx, c, req)
	if err != nil {
		return nil, targetErr(s.Redactor.Error(err))
	}
	uri, _ := front.Params.Get("request_uri")
	fmt.Fprintf(stderr, "pushed request %d for client %s (%s): request_uri %s\n", n, c.ID, describePKCE(f), uri)
	return []string{repro.CodeVar("REQUEST_URI", n) + "=" + repro.Quote(uri)}, nil
}

// authorizeURI sends the front channel of a pushed request: client_id,
// request_uri and the --param parameters; it returns the code's
// assignment (the verifier is the pushed request's).
func authorizeURI(ctx context.Context, s *session.Session, c *profiles.Client, f codeFlags, n int, stderr io.Writer) ([]string, error) {
	req := &authz.Request{Endpoint: s.Endpoints.Authorization}
	req.Params.Add("client_id", c.ID)
	req.Params.Add("request_uri", f.requestURI)
	for _, kv := range f.params {
		name, value, _ := strings.Cut(kv, "=")
		req.Params.Add(name, value)
	}
	resp, err := authorizeOnce(ctx, s, c, req, c.RedirectURI, stderr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "code %d for client %s with request_uri %s\n", n, c.ID, f.requestURI)
	return []string{repro.CodeVar("CODE", n) + "=" + repro.Quote(resp.Code)}, nil
}

// authorizeOnce sends one authorization request, prints its redirect (the
// code masked) on stderr and returns the answer when it carries a code; a
// refusal is an error that quotes it.
func authorizeOnce(ctx context.Context, s *session.Session, c *profiles.Client, req *authz.Request, redirect string, stderr io.Writer) (*authz.Response, error) {
	resp, err := s.Authorizer.Authorize(ctx, req.URL(), redirect)
	if err != nil {
		return nil, targetErr(s.Redactor.Error(err))
	}
	s.Redactor.Add(resp.Code)
	if resp.Location != "" {
		fmt.Fprintf(stderr, "redirect: %s\n", s.Redactor.URL(resp.Location))
	}
	if resp.Code == "" {
		return nil, targetErr(errors.New(session.DescribeRefusal(c.ID, resp, s.Redactor)))
	}
	return resp, nil
}
