package loginpage

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/dex"
	"github.com/pkcecheck/pkcecheck/e2e/providers/hydra"
	"github.com/pkcecheck/pkcecheck/e2e/providers/keycloak"
	"github.com/pkcecheck/pkcecheck/e2e/providers/nodeoidc"
	"github.com/pkcecheck/pkcecheck/refidp"
)

const (
	walkState   = "state-pkcecheck-1" // Hydra wants at least 8 characters
	refUser     = "alice"
	refPassword = "Ref-Passw0rd-8812"
	refRedirect = "http://127.0.0.1:8765/callback"
)

// TestDetectWalksRefidp logs in to the real reference provider over HTTP
// with nothing but Detect's plans, replayed as a browser would submit the
// forms: one-page and identifier-first logins, with consent.
func TestDetectWalksRefidp(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cfg   refidp.Config
		kinds string
	}{
		{"form and consent", refidp.Config{Consent: true}, "login,consent"},
		{"identifier first, consent every time", refidp.Config{NoSession: true, ConsentEveryTime: true}, "identifier,password,consent"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startRefidp(t, tt.cfg)
			walkTo(t, srv.Issuer()+"/authorize", refidp.PublicClientID, refRedirect, Creds{Username: refUser, Password: refPassword, Scopes: []string{"openid"}}, tt.kinds)
		})
	}
}

// TestDetectSeesTheRefusal: after a wrong password the page that follows
// is the password form again, with the provider's message in Plan.Message.
func TestDetectSeesTheRefusal(t *testing.T) {
	srv := startRefidp(t, refidp.Config{NoSession: true})
	kinds, final, last := walk(t, srv.Issuer()+"/authorize", refidp.PublicClientID, refRedirect, Creds{Username: refUser, Password: "wrong-password"})
	if final != nil {
		t.Fatalf("logged in with a wrong password: %v", final)
	}
	if strings.Join(kinds, ",") != "identifier,password,password" || last.Message != "Wrong username or password." {
		t.Errorf("pages %v, last message %q", kinds, last.Message)
	}
}

// TestDetectWalksDex logs in to a real Dex (built once, cached) over HTTP
// with Detect's plans: its password page (whose label names another id)
// and its approval page (approve and cancel in two forms).
func TestDetectWalksDex(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv, err := dex.Start(ctx, dex.Options{ConfidentialSecret: "dex-conf-secret-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	walkTo(t, srv.Issuer()+"/auth", dex.PublicClientID, dex.RedirectURI, Creds{Username: dex.Email, Password: dex.Password}, "login,consent")
}

// TestDetectWalksHydra logs in to a real Hydra and its login and consent
// app over HTTP with Detect's plans.
func TestDetectWalksHydra(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv, err := hydra.Start(ctx, hydra.Options{ConfidentialSecret: "hydra-conf-secret-1", Password: refPassword, Forget: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	walkTo(t, srv.Issuer()+"/oauth2/auth", hydra.PublicClientID, hydra.RedirectURI, Creds{Username: hydra.DefaultUsername, Password: refPassword}, "login,consent")
}

// TestDetectWalksNodeOIDCProvider logs in to a real node-oidc-provider
// (its development interactions: login, then consent with a hidden
// prompt=consent and a Continue button) over HTTP with Detect's plans.
func TestDetectWalksNodeOIDCProvider(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv, err := nodeoidc.Start(ctx, nodeoidc.Options{ConfidentialSecret: "node-conf-secret-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	walkTo(t, srv.Issuer()+"/auth", nodeoidc.PublicClientID, nodeoidc.RedirectURI, Creds{Username: refUser, Password: refPassword}, "login,consent")
}

// walkTo walks an authorization with Detect's plans and checks the kinds
// of the pages met and that it ended at redirect with a code.
func walkTo(t *testing.T, endpoint, clientID, redirect string, c Creds, wantKinds string) {
	t.Helper()
	kinds, final, _ := walk(t, endpoint, clientID, redirect, c)
	if strings.Join(kinds, ",") != wantKinds {
		t.Errorf("pages %v, want %s", kinds, wantKinds)
	}
	if final == nil || final.Query().Get("code") == "" || final.Query().Get("state") != walkState {
		t.Errorf("ended at %v, want the redirect URI with a code and the state", final)
	}
}

// TestDetectWalksKeycloak logs in to a real Keycloak 26 over HTTP with
// Detect's plans: a realm that asks for consent and one that asks for a
// TOTP code after the password. Skipped under -short: Keycloak takes tens
// of seconds to start.
func TestDetectWalksKeycloak(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: Keycloak takes tens of seconds to start")
	}
	const password, secret, totp = "kc-Passw0rd-5521", "kc-conf-secret-1", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	shipped, err := keycloak.ShippedRealm()
	if err != nil {
		t.Fatal(err)
	}
	consent, err := shipped.Variant("detect-consent", password, secret)
	if err != nil {
		t.Fatal(err)
	}
	consent.SetConsentRequired(true)
	otp, err := shipped.Variant("detect-otp", password, secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := otp.AddTOTP(keycloak.Username, totp); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), keycloak.DefaultFetchTimeout+keycloak.DefaultStartTimeout)
	defer cancel()
	srv, err := keycloak.Start(ctx, keycloak.Options{Realms: []keycloak.Realm{consent, otp}, Secrets: []string{password, secret, totp}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	c := Creds{Username: keycloak.Username, Password: password, TOTPSecret: totp, Scopes: []string{"openid"}}
	walkTo(t, srv.Issuer(consent.Name())+"/protocol/openid-connect/auth", "pkce-public", "http://127.0.0.1:8765/callback", c, "login,consent")
	walkTo(t, srv.Issuer(otp.Name())+"/protocol/openid-connect/auth", "pkce-public", "http://127.0.0.1:8765/callback", c, "login,otp")
}

func startRefidp(t *testing.T, cfg refidp.Config) *refidp.Server {
	t.Helper()
	cfg.Username, cfg.Password, cfg.RedirectURI, cfg.ConfidentialSecret = refUser, refPassword, refRedirect, "conf-secret-1"
	srv, err := refidp.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// walk starts an authorization and follows Detect's plans for at most five
// pages; a page of the kind just submitted that shows a message ends it, as
// a driver stops on a refusal. It returns the kinds of the pages, the
// redirect to the client (nil if none came) and the last plan.
func walk(t *testing.T, endpoint, clientID, redirect string, c Creds) ([]string, *url.URL, Plan) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	var final *url.URL
	client := &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), redirect) {
			final = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	sum := sha256.Sum256([]byte("verifier-0123456789-0123456789-0123456789-0123"))
	q := url.Values{"client_id": {clientID}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {"openid"}, "state": {walkState}, "code_challenge_method": {"S256"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}}
	req, _ := http.NewRequest(http.MethodGet, endpoint+"?"+q.Encode(), nil)
	var kinds []string
	var plan Plan
	for range 5 {
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if final != nil {
			return kinds, final, plan
		}
		p, err := FromHTML(resp.Request.URL, body)
		if err != nil {
			t.Fatal(err)
		}
		if plan, err = Detect(p, c); err != nil {
			t.Fatalf("page %d (%s): %v", len(kinds)+1, resp.Request.URL, err)
		}
		refused := plan.Message != "" && len(kinds) > 0 && kinds[len(kinds)-1] == string(plan.Kind)
		kinds = append(kinds, string(plan.Kind))
		if refused {
			return kinds, nil, plan
		}
		if req, err = submit(p, plan); err != nil {
			t.Fatal(err)
		}
	}
	return kinds, nil, plan
}

// submit builds the request a browser sends when the plan is carried out:
// the fills and ticks go into the form of the last (clicked) control, with
// its other named fields and the clicked button's name and value.
func submit(p *Page, plan Plan) (*http.Request, error) {
	if len(plan.Actions) == 0 {
		return nil, fmt.Errorf("empty plan")
	}
	typed, ticked := map[int]string{}, map[int]bool{}
	for _, a := range plan.Actions[:len(plan.Actions)-1] {
		switch {
		case a.Step.Fill != "":
			typed[a.Control] = a.Step.Value
		case a.Step.TOTP != "":
			code, err := a.Step.TOTPCode(time.Now())
			if err != nil {
				return nil, err
			}
			typed[a.Control] = code
		default:
			ticked[a.Control] = true
		}
	}
	clicked := plan.Actions[len(plan.Actions)-1].Control
	f := p.Controls[clicked].Form
	if f < 0 {
		return nil, fmt.Errorf("the clicked control %s is in no form", p.Controls[clicked].Path)
	}
	values := url.Values{}
	for i, c := range p.Controls {
		if c.Form != f || c.Name == "" || !c.Enabled {
			continue
		}
		switch {
		case isButton(&c):
			if i == clicked {
				values.Add(c.Name, c.Value)
			}
		case c.Type == "checkbox" || c.Type == "radio":
			if c.Checked || ticked[i] {
				values.Add(c.Name, orDefault(c.Value, "on"))
			}
		default:
			v, ok := typed[i]
			if !ok {
				v = c.Value
			}
			values.Add(c.Name, v)
		}
	}
	base, err := url.Parse(p.URL)
	if err != nil {
		return nil, err
	}
	action, err := base.Parse(p.Forms[f].Action)
	if err != nil {
		return nil, err
	}
	if p.Forms[f].Method != "post" {
		action.RawQuery = values.Encode()
		return http.NewRequest(http.MethodGet, action.String(), nil)
	}
	req, err := http.NewRequest(http.MethodPost, action.String(), strings.NewReader(values.Encode()))
	if err == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req, err
}
