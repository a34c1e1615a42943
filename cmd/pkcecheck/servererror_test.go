package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/results"
)

// TestServerErrorIsNeverAPass: a token endpoint that answers HTTP 500 with
// an HTML page to the 42-character verifier of rfc7636.verifier-length
// (an unhandled exception in its format check). Under strict error codes
// the refusal without an error code fails the requirement; under lenient
// ones it would pass, and the 5xx rule of docs/design.md makes it error.
// Either way evidence and summary say "server error (HTTP 500)", and every
// other requirement passes.
func TestServerErrorIsNeverAPass(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := refidp.Start(ctx, refidp.Config{
		Username: "se-user", Password: "se-password-Hq2x", RedirectURI: refidp.DemoRedirectURI, ConfidentialSecret: "se-secret-Vb7k", Consent: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	target, _ := url.Parse(srv.Issuer())
	upstream := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if form, err := url.ParseQuery(string(body)); err == nil && len(form.Get("code_verifier")) == 42 {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "<h1>Internal Server Error</h1>")
			return
		}
		upstream.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)

	for _, tc := range []struct {
		errorCodes string
		want       results.Status
		summary    string
	}{
		{"strict", results.Fail, "no tokens, but server error (HTTP 500) instead of a refusal"},
		{"lenient", results.Error, "a server error is never a pass"},
	} {
		t.Run(tc.errorCodes, func(t *testing.T) {
			path := writeProfile(t, `name: server-error
issuer: `+srv.Issuer()+`
endpoints: {token: "`+proxy.URL+`/token"}
clients:
  public: {id: `+refidp.PublicClientID+`, redirect_uri: "`+refidp.DemoRedirectURI+`", scopes: [openid]}
login:
  steps:
    - {fill: "`+refidp.UsernameSelector+`", value: se-user}
    - {fill: "`+refidp.PasswordSelector+`", value: "se-password-Hq2x"}
    - {click: "`+refidp.LoginButtonSelector+`"}
  consent:
    - {click: "`+refidp.ConsentSelector+`"}
policy: {pkce_required: public, plain: forbidden, error_codes: `+tc.errorCodes+`}
limits: {requests_per_second: 50, timeout: 10s}
`)
			r := pkcecheck(t, nil, "run", "--profile", path, "--label-filter", "rfc7636.verifier-length || rfc7636.verifier-missing")
			if r.run == nil {
				t.Fatalf("no results (exit %d): %s", r.code, r.stderr)
			}
			got := map[string]results.Result{}
			for _, res := range r.run.Results {
				got[res.ID] = res
			}
			vl := got["rfc7636.verifier-length"]
			if vl.Status != tc.want || !strings.Contains(vl.Summary, "server error (HTTP 500)") || !strings.Contains(vl.Summary, tc.summary) {
				t.Errorf("verifier-length: %s: %s; want %s naming the server error and %q", vl.Status, vl.Summary, tc.want, tc.summary)
			}
			found := false
			for _, ev := range vl.Evidence {
				if strings.Contains(ev.Probe, "server error (HTTP 500)") && strings.HasPrefix(ev.Response, "HTTP 500") {
					found = true
				}
			}
			if !found {
				t.Errorf("no evidence names the server error: %+v", vl.Evidence)
			}
			if vm := got["rfc7636.verifier-missing"]; vm.Status != results.Pass {
				t.Errorf("verifier-missing: %s: %s", vm.Status, vm.Summary)
			}
			wantExit := exitFailed
			if tc.want == results.Error {
				wantExit = exitUnreachable
			}
			if r.code != wantExit {
				t.Errorf("exit %d, want %d", r.code, wantExit)
			}
		})
	}
}
