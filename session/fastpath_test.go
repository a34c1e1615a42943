package session

import (
	"context"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/drivers/httpauthz"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/refidp"
)

// TestFastPathAnswersAsTheBrowser sends the same authorization requests to
// the reference provider through the browser and through the HTTP fast
// path, and checks that both report the same: a code, an error redirect
// and an error page.
func TestFastPathAnswersAsTheBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := refidp.StartDemo(ctx, refidp.Config{Username: "u", Password: "fast-path-pw-Qx7", RedirectURI: benchRedir,
		ConfidentialSecret: "fast-path-secret-Lm2", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	p := srv.Profile()
	s, err := Open(ctx, p, Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	fast, ok := s.Authorizer.(*httpauthz.Authorizer)
	if !ok {
		t.Fatalf("Session.Authorizer is %T, want the HTTP fast path", s.Authorizer)
	}

	c := p.Clients.Public
	pair, err := pkce.NewPair(43)
	if err != nil {
		t.Fatal(err)
	}
	request := func(clientID, method string) string {
		req := authz.NewRequest(s.Endpoints.Authorization, clientID, c.RedirectURI, c.Scopes, "same-state")
		req.Params.Add("code_challenge", pair.Challenge)
		req.Params.Add("code_challenge_method", method)
		return req.URL()
	}
	tests := []struct {
		name    string
		authURL string
		check   func(t *testing.T, viaBrowser, viaHTTP *authz.Response)
	}{
		{"code", request(c.ID, pkce.MethodS256), func(t *testing.T, br, h *authz.Response) {
			if br.Code == "" || h.Code == "" || br.Code == h.Code {
				t.Errorf("codes %q and %q: want two different codes", br.Code, h.Code)
			}
			if withoutCode(br.Location) != withoutCode(h.Location) {
				t.Errorf("redirects differ beyond the code:\nbrowser %s\nHTTP    %s", withoutCode(br.Location), withoutCode(h.Location))
			}
			br.Code, h.Code, br.Location, h.Location = "", "", "", ""
			if !reflect.DeepEqual(br, h) {
				t.Errorf("responses differ:\nbrowser %+v\nHTTP    %+v", br, h)
			}
		}},
		{"error redirect", request(c.ID, "S512"), func(t *testing.T, br, h *authz.Response) {
			if br.Error != "invalid_request" || !reflect.DeepEqual(br, h) {
				t.Errorf("responses differ or are not invalid_request:\nbrowser %+v\nHTTP    %+v", br, h)
			}
		}},
		{"error page", request("no-such-client", pkce.MethodS256), func(t *testing.T, br, h *authz.Response) {
			if !br.ErrorPage || br.Status != 400 || br.Body == "" || !reflect.DeepEqual(br, h) {
				t.Errorf("responses differ or are not an error page:\nbrowser %+v\nHTTP    %+v", br, h)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fast.Stats()
			viaBrowser, err := s.Browser.Authorize(ctx, tt.authURL, c.RedirectURI)
			if err != nil {
				t.Fatalf("browser: %v", err)
			}
			viaHTTP, err := s.Authorizer.Authorize(ctx, tt.authURL, c.RedirectURI)
			if err != nil {
				t.Fatalf("HTTP: %v", err)
			}
			if st := fast.Stats(); st.HTTP != before.HTTP+1 || st.Browser != before.Browser {
				t.Errorf("the fast path handed the authorization to the browser: %+v", st)
			}
			tt.check(t, viaBrowser, viaHTTP)
		})
	}
	if s.Browser.Logins() != 1 {
		t.Errorf("%d logins, want 1", s.Browser.Logins())
	}
}

// TestBrowserOnly: Options.BrowserOnly mints every code in the browser.
func TestBrowserOnly(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := refidp.StartDemo(ctx, refidp.Config{Username: "u", Password: "browser-only-pw-Rt4", RedirectURI: benchRedir,
		ConfidentialSecret: "browser-only-secret-Vn8"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	s, err := Open(ctx, srv.Profile(), Options{OutDir: t.TempDir(), BrowserOnly: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	if s.Authorizer != s.Browser {
		t.Errorf("Session.Authorizer is %T, want the browser", s.Authorizer)
	}
	requests := s.Requests()
	if err := mintAndRedeem(ctx, s, s.Profile.Clients.Public); err != nil {
		t.Fatal(err)
	}
	if got := s.Requests() - requests; got != 1 {
		t.Errorf("%d HTTP requests for a code minted in the browser and redeemed, want 1 (the token request)", got)
	}
}

// withoutCode is a redirect URL without its code parameter.
func withoutCode(location string) string {
	u, err := url.Parse(location)
	if err != nil {
		return location
	}
	q := u.Query()
	q.Del("code")
	u.RawQuery = q.Encode()
	return u.String()
}

// TestFastPathReplaysLoginAndConsent: on a provider that asks for a
// two-step login and a consent on every authorization, the codes after the
// browser's warm-up come over plain HTTP, every login counted.
func TestFastPathReplaysLoginAndConsent(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := refidp.Start(ctx, refidp.Config{Username: "u", Password: "replay-pw-Zt4", RedirectURI: benchRedir,
		ConfidentialSecret: "replay-secret-Pq8", NoSession: true, ConsentEveryTime: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	p := srv.Profile()
	s, err := Open(ctx, p, Options{OutDir: t.TempDir()})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	c := p.Clients.Public
	for i := 0; i < 3; i++ {
		pair, err := pkce.NewPair(43)
		if err != nil {
			t.Fatal(err)
		}
		req := authz.NewRequest(s.Endpoints.Authorization, c.ID, c.RedirectURI, c.Scopes, "replay")
		req.Params.Add("code_challenge", pair.Challenge)
		req.Params.Add("code_challenge_method", pkce.MethodS256)
		r, err := s.Authorizer.Authorize(ctx, req.URL(), c.RedirectURI)
		if err != nil || r.Code == "" {
			t.Fatalf("authorization %d: %+v, %v; want a code", i+1, r, err)
		}
	}
	st := s.fast.Stats()
	if st.HTTP != 3 || st.Browser != 0 {
		t.Errorf("stats %+v; want the 3 authorizations over HTTP (first reason: %s)", st, st.FirstBrowserReason)
	}
	if got, want := s.Logins(), 4; got != want || srv.Stats().Logins != want {
		t.Errorf("logins: session %d, server %d; want %d (the warm-up in the browser, 3 over HTTP)", got, srv.Stats().Logins, want)
	}
}
