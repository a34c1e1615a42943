package browser

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/testserver"
)

// TestBrowserTLS: Chromium verifies the target's certificate; CACerts
// makes it trust a private CA (an NSS database in its temporary HOME), and
// IgnoreCertErrors turns verification off.
func TestBrowserTLS(t *testing.T) {
	ca := testserver.NewCA(t)
	const redirectURI = "http://127.0.0.1:8765/callback"
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, redirectURI+"?code=tls-code&state="+r.URL.Query().Get("state"), http.StatusFound)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Leaf(t)}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	other := testserver.NewCA(t)

	tests := []struct {
		name string
		opts Options
		ok   bool
	}{
		{"default roots", Options{}, false},
		{"the server's CA", Options{CACerts: ca.PEM}, true},
		{"another CA", Options{CACerts: other.PEM}, false},
		{"both CAs in one bundle", Options{CACerts: append(append([]byte(nil), other.PEM...), ca.PEM...)}, true},
		{"verification off", Options{IgnoreCertErrors: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := startTestBrowser(t, tt.opts)
			resp, err := authorize(t, b, srv.URL+"/authorize?state=s1", redirectURI)
			if tt.ok {
				if err != nil || resp.Code != "tls-code" {
					t.Errorf("resp %+v, err %v; want the code", resp, err)
				}
				return
			}
			if err == nil {
				t.Errorf("an untrusted certificate was accepted: %+v", resp)
			}
		})
	}
}

// TestStartWithoutCertutil: CACerts need certutil; without it Start says
// what to install and leaves nothing behind.
func TestStartWithoutCertutil(t *testing.T) {
	exe, err := resolveExecPath("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("certutil"); err != nil {
		t.Fatalf("certutil is needed for tls.ca_file in the browser: %v", err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("PATH", t.TempDir()) // no certutil there
	_, err = Start(context.Background(), Options{ExecPath: exe, Login: loginSteps(testPassword), CACerts: testserver.NewCA(t).PEM})
	if err == nil || !strings.Contains(err.Error(), "libnss3-tools") {
		t.Errorf("err = %v, want one naming libnss3-tools", err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("left behind: %v", entries)
	}
}
