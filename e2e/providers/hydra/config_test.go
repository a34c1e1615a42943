package hydra

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

func TestConfigDocument(t *testing.T) {
	c := config{publicPort: 40001, adminPort: 40002, loginURL: "http://127.0.0.1:40003/login",
		consentURL: "http://127.0.0.1:40003/consent", systemSecret: "s3cret-system-value-0123456789"}
	if got, want := c.issuer(), "http://127.0.0.1:40001/"; got != want {
		t.Errorf("issuer = %q, want %q", got, want)
	}
	path, err := c.write(t.TempDir())
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("config mode = %v, want 0600 (it holds the system secret)", fi.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("config is not JSON (hence not YAML): %v", err)
	}
	tests := []struct {
		path []string
		want any
	}{
		{[]string{"dsn"}, "memory"},
		{[]string{"serve", "public", "host"}, "127.0.0.1"},
		{[]string{"serve", "public", "port"}, float64(40001)},
		{[]string{"serve", "admin", "host"}, "127.0.0.1"},
		{[]string{"serve", "admin", "port"}, float64(40002)},
		{[]string{"urls", "self", "issuer"}, "http://127.0.0.1:40001/"},
		{[]string{"urls", "login"}, "http://127.0.0.1:40003/login"},
		{[]string{"urls", "consent"}, "http://127.0.0.1:40003/consent"},
		{[]string{"oauth2", "pkce", "enforced_for_public_clients"}, true},
		{[]string{"secrets", "system"}, []any{"s3cret-system-value-0123456789"}},
		{[]string{"log", "leak_sensitive_values"}, false},
	}
	for _, tt := range tests {
		var v any = doc
		for _, k := range tt.path {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		if !reflect.DeepEqual(v, tt.want) {
			t.Errorf("%v = %#v, want %#v", tt.path, v, tt.want)
		}
	}
}

func TestClients(t *testing.T) {
	got := clients("conf-secret")
	if len(got) != 3 {
		t.Fatalf("%d clients, want 3", len(got))
	}
	want := map[string]struct{ auth, secret string }{
		PublicClientID:       {"none", ""},
		ConfidentialClientID: {"client_secret_basic", "conf-secret"},
		OtherClientID:        {"none", ""},
	}
	for _, c := range got {
		w, ok := want[c.ID]
		if !ok {
			t.Errorf("unexpected client %s", c.ID)
			continue
		}
		if c.AuthMethod != w.auth || c.Secret != w.secret {
			t.Errorf("%s: auth %s, secret set %v; want %s, %v", c.ID, c.AuthMethod, c.Secret != "", w.auth, w.secret != "")
		}
		if !reflect.DeepEqual(c.RedirectURIs, []string{RedirectURI}) || c.Scope != Scope ||
			!reflect.DeepEqual(c.GrantTypes, []string{"authorization_code", "refresh_token"}) ||
			!reflect.DeepEqual(c.ResponseTypes, []string{"code"}) {
			t.Errorf("%s: %+v", c.ID, c)
		}
	}
}

func TestRandomSecret(t *testing.T) {
	a, err := randomSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := randomSecret()
	if len(a) != 64 || a == b {
		t.Errorf("randomSecret = %d chars, distinct %v; want 64 distinct", len(a), a != b)
	}
}
