package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
	"github.com/pkcecheck/pkcecheck/refidp"
)

func TestDescribeRefusal(t *testing.T) {
	for _, tt := range []struct {
		name string
		resp authz.Response
		want []string
		not  []string
	}{
		{"names an extra parameter", authz.Response{Error: "invalid_request", ErrorDescription: "audience is required"},
			[]string{`error=invalid_request "audience is required"`, "authorize_params"}, []string{"registration"}},
		{"names a parameter pkcecheck sets", authz.Response{Error: "invalid_request", ErrorDescription: "nonce required"},
			[]string{`"nonce required"`, "pkcecheck sets itself"}, []string{"authorize_params in the profile"}},
		{"names none", authz.Response{Error: "unauthorized_client", ErrorDescription: "The client is not allowed to do this."},
			[]string{"error=unauthorized_client"}, []string{"authorize_params", "registration"}},
		{"an error page", authz.Response{ErrorPage: true, Status: 400, PageURL: "https://idp/authorize?x=1", Body: "Missing parameter: resource\nmore"},
			[]string{"HTTP 400", `"Missing parameter: resource"`, "authorize_params"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := DescribeRefusal("pub", &tt.resp, redact.New())
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("%q has %q", got, w)
				}
			}
		})
	}
}

// TestOpenSendsNonce: against a server that requires a nonce with openid,
// the warm-up login and the codes after it succeed; the request carries
// the profile's authorize_params too.
func TestOpenSendsNonce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := refidp.Start(ctx, refidp.Config{Username: "u", Password: "nonce-pw-Hk3", RedirectURI: benchRedir,
		ConfidentialSecret: "nonce-secret-Wd5", RequireNonce: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	p := srv.Profile()
	p.AuthorizeParams = [][2]string{{"ui_locales", "en"}}
	var log strings.Builder
	s, err := Open(ctx, p, Options{OutDir: t.TempDir(), Log: &log})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	if err := mintAndRedeem(ctx, s, p.Clients.Public); err != nil {
		t.Errorf("a code after the warm-up: %v", err)
	}
	if !strings.Contains(log.String(), "no rate limit: every host of the profile is a loopback address") {
		t.Errorf("the run did not say which rate limit applies:\n%s", log.String())
	}
}
