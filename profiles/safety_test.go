package profiles

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// caPEM makes a self-signed CA certificate in PEM.
func caPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "profiles test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

const safetyBase = `name: t
issuer: https://idp.example.com/realms/x
clients:
  public: {id: p, redirect_uri: "http://127.0.0.1:8765/cb"}
login:
  steps:
    - {click: "#go"}
`

// TestParseSafetySections: tls, scope and limits.max_requests decode, with
// ca_file relative to the profile's folder.
func TestParseSafetySections(t *testing.T) {
	dir := t.TempDir()
	ca := caPEM(t)
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), append([]byte("# staging CA\n"), ca...), 0o644); err != nil {
		t.Fatal(err)
	}
	src := safetyBase + `tls: {ca_file: ca.pem}
scope:
  hosts: [Login.Example.COM, "*.cdn.example.net", 127.0.0.1, "[::1]", login.example.com]
limits: {max_requests: 250}
endpoints: {token: "https://tok.example.org:8443/token"}
`
	p, err := Parse(filepath.Join(dir, "p.yaml"), []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.TLS.CAFile != filepath.Join(dir, "ca.pem") || string(p.TLS.CAPEM) != string(ca) || p.TLS.InsecureSkipVerify {
		t.Errorf("TLS = %+v", p.TLS)
	}
	if want := []string{"login.example.com", "*.cdn.example.net", "127.0.0.1", "::1"}; !reflect.DeepEqual(p.Scope.Hosts, want) {
		t.Errorf("Scope.Hosts = %q, want %q", p.Scope.Hosts, want)
	}
	if want := []string{"idp.example.com", "tok.example.org", "login.example.com", "*.cdn.example.net", "127.0.0.1", "::1"}; !reflect.DeepEqual(p.ScopeHosts(), want) {
		t.Errorf("ScopeHosts() = %q, want %q", p.ScopeHosts(), want)
	}
	if p.Limits.MaxRequests != 250 || p.Limits.Timeout != DefaultTimeout {
		t.Errorf("Limits = %+v", p.Limits)
	}

	p, err = Parse("p.yaml", []byte(safetyBase+"tls: {insecure_skip_verify: true}\n"), nil)
	if err != nil || !p.TLS.InsecureSkipVerify || p.TLS.CAPEM != nil {
		t.Errorf("insecure: %+v, %v", p, err)
	}
	p, err = Parse("p.yaml", []byte(safetyBase), nil)
	if err != nil || !reflect.DeepEqual(p.TLS, TLS{}) || p.Scope.Hosts != nil || p.Limits.MaxRequests != 0 {
		t.Errorf("defaults: %+v, %v", p, err)
	}
}

// TestParseSafetyErrors: every problem in the new sections is reported at
// file:line:col.
func TestParseSafetyErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ca.pem", caPEM(t))
	write("empty.pem", []byte("not a certificate\n"))
	write("key.pem", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte{1, 2, 3}}))
	write("bad.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}}))
	tests := []struct {
		name      string
		extra     string
		line, col int
		msg       string
	}{
		{"tls unknown key", "tls: {ca: ca.pem}\n", 8, 7, `unknown key "ca" in tls; known keys: ca_file, insecure_skip_verify`},
		{"tls not a map", "tls: strict\n", 8, 6, "tls must be a map, not a string"},
		{"missing ca_file", "tls: {ca_file: nope.pem}\n", 8, 16, `tls.ca_file "nope.pem" (` + filepath.Join(dir, "nope.pem") + `): no such file or directory`},
		{"ca_file without certificate", "tls: {ca_file: empty.pem}\n", 8, 16, "holds no PEM certificate"},
		{"ca_file with a key", "tls: {ca_file: key.pem}\n", 8, 16, "is a private key: ca_file takes CA certificates only"},
		{"ca_file with a broken certificate", "tls: {ca_file: bad.pem}\n", 8, 16, "certificate 1:"},
		{"empty ca_file", "tls: {ca_file: ''}\n", 8, 16, "tls.ca_file must not be empty"},
		{"ca_file is a directory", "tls: {ca_file: .}\n", 8, 16, "is not a regular file"},
		{"ca_file is a device", "tls: {ca_file: /dev/zero}\n", 8, 16, "is not a regular file"},
		{"insecure not a boolean", "tls: {insecure_skip_verify: yes please}\n", 8, 29, "tls.insecure_skip_verify must be true or false"},
		{"both", "tls: {ca_file: ca.pem, insecure_skip_verify: true}\n", 8, 46, "exclude each other"},
		{"scope hosts not a list", "scope: {hosts: a.example}\n", 8, 16, "scope.hosts must be a list of host names"},
		{"scope unknown key", "scope: {host: [a.example]}\n", 8, 9, `unknown key "host" in scope; known keys: hosts; did you mean "hosts"?`},
		{"scope URL", "scope: {hosts: [\"https://a.example/x\"]}\n", 8, 17, "must be a host name only, without scheme, path or user"},
		{"scope port", "scope: {hosts: [\"a.example:443\"]}\n", 8, 17, "without a port"},
		{"scope wildcard inside", "scope: {hosts: [\"a.*.example\"]}\n", 8, 17, "wildcard only as its first label"},
		{"scope wildcard TLD", "scope: {hosts: [\"*.com\"]}\n", 8, 17, "at least two labels"},
		{"scope bad character", "scope: {hosts: [\"a b.example\"]}\n", 8, 17, `contains ' '`},
		{"scope empty entry", "scope: {hosts: [a.example, ~]}\n", 8, 28, "scope.hosts[1] is empty"},
		{"max_requests not a number", "limits: {max_requests: lots}\n", 8, 24, `limits.max_requests must be a whole number, not "lots"`},
		{"max_requests fraction", "limits: {max_requests: 1.5}\n", 8, 24, "must be a whole number"},
		{"max_requests zero", "limits: {max_requests: 0}\n", 8, 24, "must be at least 1 and at most 1000000"},
		{"max_requests unknown neighbour", "limits: {max_request: 5}\n", 8, 10, `did you mean "max_requests"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "x.yaml")
			_, err := Parse(path, []byte(safetyBase+tt.extra), nil)
			errs := problems(t, err)
			if len(errs) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(errs), err)
			}
			e := errs[0]
			if e.Path != path || e.Line != tt.line || e.Column != tt.col || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got  %s\nwant %s:%d:%d: ...%s...", e, path, tt.line, tt.col, tt.msg)
			}
		})
	}
}

// TestCAFileFromEnvironment: ca_file may come from ${VAR}; an unset
// variable is named; a variable that expands to nothing (${VAR:-}) means no
// extra CA.
func TestCAFileFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, caPEM(t), 0o644); err != nil {
		t.Fatal(err)
	}
	src := []byte(safetyBase + "tls: {ca_file: \"${STAGING_CA}\"}\n")
	p, err := Parse("p.yaml", src, envOf(map[string]string{"STAGING_CA": path}))
	if err != nil || p.TLS.CAFile != path || len(p.TLS.CAPEM) == 0 {
		t.Fatalf("got %+v, %v", p, err)
	}
	if _, err := Parse("p.yaml", src, nil); err == nil || !strings.Contains(err.Error(), "STAGING_CA") || !strings.Contains(err.Error(), "p.yaml:8") {
		t.Errorf("unset variable: %v", err)
	}
	src = []byte(safetyBase + "tls: {ca_file: \"${STAGING_CA:-}\"}\n")
	p, err = Parse("p.yaml", src, envOf(map[string]string{}))
	if err != nil {
		t.Fatalf("empty from the environment: %v", err)
	}
	if p.TLS.CAFile != "" || p.TLS.CAPEM != nil {
		t.Errorf("empty from the environment: got %+v, want no CA file", p.TLS)
	}
}
