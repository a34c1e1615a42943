package profiles

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeECKey writes a fresh P-256 key as PKCS #8 PEM into dir/name.
func writeECKey(t *testing.T, dir, name string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// authProfile is a profile whose clients block is clients.
func authProfile(clients string) string {
	return `name: p
issuer: http://127.0.0.1:9000
clients:
  public: {id: pub, redirect_uri: "http://127.0.0.1:8765/callback"}
` + clients + `login:
  steps:
    - {click: "#go"}
`
}

// TestClientAuthMethods: auth_methods, private_key_jwt (a key file relative
// to the profile) and clients.extra decode, and each mistake is reported at
// its line.
func TestClientAuthMethods(t *testing.T) {
	dir := t.TempDir()
	writeECKey(t, dir, "conf.pem")
	if err := os.WriteFile(filepath.Join(dir, "junk.pem"), []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	const redirect = `redirect_uri: "http://127.0.0.1:8765/callback"`
	tests := []struct {
		name    string
		clients string
		check   func(t *testing.T, c Clients)
		wantErr string
	}{
		{"every method on one client", `  confidential:
    id: conf
    secret: s
    auth_methods: [client_secret_basic, client_secret_post, private_key_jwt]
    private_key_jwt: {key_file: conf.pem, kid: k1}
    ` + redirect + `
`, func(t *testing.T, c Clients) {
			got := c.Confidential
			if got.AuthMethod != AuthClientSecretBasic || !reflect.DeepEqual(got.Methods(), []string{AuthClientSecretBasic, AuthClientSecretPost, AuthPrivateKeyJWT}) {
				t.Errorf("methods %q %q", got.AuthMethod, got.Methods())
			}
			if j := got.PrivateKeyJWT; j == nil || j.Key == nil || j.Alg != "ES256" || j.KeyID != "k1" || j.KeyFile != "conf.pem" {
				t.Errorf("private_key_jwt %+v", j)
			}
		}, ""},
		{"extra clients, one method each", `  confidential: {id: conf, secret: s, ` + redirect + `}
  extra:
    - {id: post, secret: s, auth_method: client_secret_post, ` + redirect + `}
    - {id: jwt, private_key_jwt: {key_file: conf.pem}, ` + redirect + `}
`, func(t *testing.T, c Clients) {
			if len(c.Extra) != 2 || c.Extra[0].AuthMethod != AuthClientSecretPost || c.Extra[1].AuthMethod != AuthPrivateKeyJWT {
				t.Errorf("extra %+v", c.Extra)
			}
		}, ""},
		{"missing key file", `  confidential:
    id: conf
    auth_method: private_key_jwt
    private_key_jwt: {key_file: nowhere.pem}
    ` + redirect + `
`, nil, "p.yaml:8:"},
		{"not a key", `  confidential:
    id: conf
    auth_method: private_key_jwt
    private_key_jwt: {key_file: junk.pem}
    ` + redirect + `
`, nil, "p.yaml:8:"},
		{"alg does not fit the key", `  confidential:
    id: conf
    private_key_jwt: {key_file: conf.pem, alg: RS256}
    ` + redirect + `
`, nil, "p.yaml:7:"},
		{"private_key_jwt without a key", `  confidential:
    id: conf
    secret: s
    auth_methods: [client_secret_basic, private_key_jwt]
    ` + redirect + `
`, nil, "clients.confidential.auth_methods[1] private_key_jwt needs private_key_jwt"},
		{"auth_method not listed", `  confidential:
    id: conf
    secret: s
    auth_method: client_secret_post
    auth_methods: [client_secret_basic]
    ` + redirect + `
`, nil, "p.yaml:8:"},
		{"extra is not a list", `  extra: {id: x}
`, nil, "clients.extra must be a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "p.yaml")
			p, err := Parse(path, []byte(authProfile(tt.clients)), envOf(nil))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "PRIVATE KEY") && !strings.Contains(err.Error(), "want PRIVATE KEY") {
					t.Errorf("the error quotes key material: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, p.Clients)
		})
	}
}
