package testserver

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// ClosedPort returns a 127.0.0.1 address nobody listens on (its port was
// free a moment ago): connections to it are refused.
func ClosedPort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Silent starts a listener on 127.0.0.1 that accepts connections, reads
// whatever is sent and never writes a byte. It returns its address.
func Silent(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go io.Copy(io.Discard, c)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// start runs h on 127.0.0.1 until the test ends; handlers blocked on stop
// are released first.
func start(t testing.TB, h http.Handler) (srv *httptest.Server, stop <-chan struct{}) {
	t.Helper()
	srv = httptest.NewServer(h)
	ch := make(chan struct{})
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(ch); srv.CloseClientConnections() })
	return srv, ch
}

// metadata serves an RFC 8414 document for issuer with /authorize and
// /token below it.
func metadata(issuer string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                           issuer,
			"authorization_endpoint":           issuer + "/authorize",
			"token_endpoint":                   issuer + "/token",
			"response_types_supported":         []string{"code"},
			"code_challenge_methods_supported": []string{"S256"},
		})
	}
}

// HangingAuthorize starts a provider whose discovery answers and whose
// /authorize (and /token) accept the request and never answer. It returns
// the issuer.
func HangingAuthorize(t testing.TB) string {
	t.Helper()
	return StartHanging(t).Issuer
}

// Hanging is the provider of HangingAuthorize, with a count of the
// requests that reached /authorize: a test waits for one to know that a
// login is under way.
type Hanging struct {
	Issuer    string
	authorize atomic.Int64
}

// StartHanging starts a Hanging provider on 127.0.0.1 until the test ends.
func StartHanging(t testing.TB) *Hanging {
	t.Helper()
	h := &Hanging{}
	var stop <-chan struct{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) { metadata(h.Issuer)(w, r) })
	hang := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		h.authorize.Add(1)
		hang(w, r)
	})
	mux.HandleFunc("/token", hang)
	var srv *httptest.Server
	srv, stop = start(t, mux)
	h.Issuer = srv.URL
	return h
}

// AuthorizeRequests is how many requests have reached /authorize so far.
func (h *Hanging) AuthorizeRequests() int { return int(h.authorize.Load()) }

// LoginPage is a provider whose login form never lets anyone in: every
// submission shows the form again with "Invalid username or password".
type LoginPage struct {
	Issuer   string
	attempts atomic.Int64
}

// Selectors of the LoginPage form.
const (
	UsernameSelector = "#username"
	PasswordSelector = "#password"
	SubmitSelector   = "#login"
)

// StartLoginPage starts a LoginPage on 127.0.0.1.
func StartLoginPage(t testing.TB) *LoginPage {
	t.Helper()
	p := &LoginPage{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) { metadata(p.Issuer)(w, r) })
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) { loginForm(w, "") })
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		p.attempts.Add(1)
		loginForm(w, "Invalid username or password.")
	})
	srv, _ := start(t, mux)
	p.Issuer = srv.URL
	return p
}

// Attempts is how many times the login form was submitted.
func (p *LoginPage) Attempts() int { return int(p.attempts.Load()) }

func loginForm(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html><head><title>Sign in</title></head><body>
<p class="error">%s</p>
<form method="post" action="/login">
<input id="username" name="username"> <input id="password" name="password" type="password">
<button id="login" type="submit">Sign in</button>
</form></body></html>`, html.EscapeString(msg))
}
