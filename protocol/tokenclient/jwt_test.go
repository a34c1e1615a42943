package tokenclient

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/clientjwt"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// TestPrivateKeyJWT: private_key_jwt sends client_id, the assertion type and
// a signed assertion whose aud is the endpoint (or the configured audience);
// the assertion never appears in the evidence.
func TestPrivateKeyJWT(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, audience := range []string{"", "https://issuer.example"} {
		endpoint, got := newServer(t, reply(http.StatusOK, "application/json", `{"access_token":"`+testAccess+`","token_type":"Bearer"}`))
		c := Client{Endpoint: endpoint, Redactor: redact.New()}
		req := CodeRequest(Auth{ClientID: "jwt-client", Method: profiles.AuthPrivateKeyJWT,
			JWT: &profiles.PrivateKeyJWT{Key: key, Alg: profiles.AlgES256, KeyID: "k1", Audience: audience}}, testCode, "http://127.0.0.1/cb", nil)
		resp, err := c.Exchange(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		sent := got()
		if len(sent) != 1 {
			t.Fatalf("%d requests", len(sent))
		}
		form, _ := url.ParseQuery(sent[0].body)
		if form.Get("client_id") != "jwt-client" || form.Get("client_assertion_type") != clientjwt.ClientAssertionType || sent[0].header.Get("Authorization") != "" {
			t.Errorf("body %v, Authorization %q", form, sent[0].header.Get("Authorization"))
		}
		assertion := form.Get("client_assertion")
		h, claims, err := clientjwt.Verify(assertion, &key.PublicKey)
		if err != nil {
			t.Fatalf("the assertion does not verify: %v", err)
		}
		wantAud := audience
		if wantAud == "" {
			wantAud = endpoint
		}
		if claims["aud"] != wantAud || claims["iss"] != "jwt-client" || h["kid"] != "k1" {
			t.Errorf("header %v claims %v, want aud %s", h, claims, wantAud)
		}
		if strings.Contains(resp.Evidence.Request, assertion) || strings.Contains(resp.Evidence.Request, strings.Split(assertion, ".")[2]) {
			t.Errorf("the assertion is in the evidence:\n%s", resp.Evidence.Request)
		}
	}
	// Without a key the request is not sent.
	c := Client{Endpoint: "http://127.0.0.1:1/token"}
	if _, err := c.Exchange(context.Background(), CodeRequest(Auth{ClientID: "x", Method: profiles.AuthPrivateKeyJWT}, testCode, "", nil)); err == nil || !strings.Contains(err.Error(), "no signing key") {
		t.Errorf("no key: %v", err)
	}
}
