package testserver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSilentNeverAnswers(t *testing.T) {
	conn, err := net.DialTimeout("tcp", Silent(t), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, err := conn.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Errorf("read %d bytes, err %v; want a timeout", n, err)
	}
}

func TestClosedPortRefuses(t *testing.T) {
	if c, err := net.DialTimeout("tcp", ClosedPort(t), time.Second); err == nil {
		c.Close()
		t.Error("a connection to the closed port succeeded")
	}
}

func TestHangingAuthorize(t *testing.T) {
	h := StartHanging(t)
	issuer := h.Issuer
	resp, err := http.Get(issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"authorization_endpoint":"`+issuer+`/authorize"`) {
		t.Errorf("metadata %s", body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, issuer+"/authorize", nil)
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Error("/authorize answered")
	}
	if n := h.AuthorizeRequests(); n != 1 {
		t.Errorf("AuthorizeRequests() = %d after one request, want 1", n)
	}
}

func TestLoginPageCounts(t *testing.T) {
	p := StartLoginPage(t)
	for i := 0; i < 2; i++ {
		resp, err := http.PostForm(p.Issuer+"/login", url.Values{"username": {"u"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "Invalid username or password") || !strings.Contains(string(body), `id="password"`) {
			t.Errorf("page %s", body)
		}
	}
	if p.Attempts() != 2 {
		t.Errorf("Attempts() = %d", p.Attempts())
	}
}

func TestRateLimitProxy(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "through") }))
	t.Cleanup(target.Close)
	p := StartRateLimitProxy(t, target.URL, "/token", "7", 2)
	var got []string
	for i := 0; i < 4; i++ {
		resp, err := http.Post(p.URL+"/token", "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got = append(got, resp.Status+"/"+resp.Header.Get("Retry-After"))
	}
	if want := "429 Too Many Requests/7 200 OK/ 429 Too Many Requests/7 200 OK/"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
	if p.Limited() != 2 || p.Passed() != 2 {
		t.Errorf("limited %d passed %d", p.Limited(), p.Passed())
	}
}

func TestCAIssuesTrustedLeaf(t *testing.T) {
	ca := NewCA(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Leaf(t)}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.PEM)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := http.Get(srv.URL); err == nil {
		t.Error("the leaf is trusted without the CA")
	}
}
