package hydra

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providertest"
)

// fakeAdmin stands in for Hydra's admin API: it answers the login and
// consent requests it was given and records what was accepted.
type fakeAdmin struct {
	login   loginRequest
	consent consentRequest
	fail    bool // answer every call with 500

	mu       sync.Mutex
	accepted []acceptCall
}

// adminAnswers is what a fakeAdmin answers.
type adminAnswers struct {
	login   loginRequest
	consent consentRequest
	fail    bool
}

// acceptCall is one accept request the app sent.
type acceptCall struct {
	Path      string
	Challenge string
	Body      map[string]any
}

const fakeRedirect = "http://127.0.0.1:1/oauth2/auth?login_verifier=v"

func (f *fakeAdmin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if f.fail {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"error":"server_error","error_description":"boom"}`)
		return
	}
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/admin/oauth2/auth/requests/login" && q.Get("login_challenge") == "lc":
		_ = json.NewEncoder(w).Encode(map[string]any{"skip": f.login.Skip, "subject": f.login.Subject,
			"client": map[string]any{"client_id": "c1", "client_name": f.login.Client.Name}})
	case r.Method == http.MethodGet && r.URL.Path == "/admin/oauth2/auth/requests/consent" && q.Get("consent_challenge") == "cc":
		_ = json.NewEncoder(w).Encode(map[string]any{"skip": f.consent.Skip, "subject": f.consent.Subject,
			"requested_scope": f.consent.Scope, "requested_access_token_audience": f.consent.Audience,
			"client": map[string]any{"client_id": "c1"}})
	case r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/accept"):
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		challenge := q.Get("login_challenge") + q.Get("consent_challenge")
		f.mu.Lock()
		f.accepted = append(f.accepted, acceptCall{Path: r.URL.Path, Challenge: challenge, Body: body})
		f.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]string{"redirect_to": fakeRedirect})
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"not_found"}`)
	}
}

func (f *fakeAdmin) calls() []acceptCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]acceptCall(nil), f.accepted...)
}

func TestLoginApp(t *testing.T) {
	const (
		user = "alice"
		pass = "pw-Unit-Test-3b9d"
	)
	loginAccept := "/admin/oauth2/auth/requests/login/accept"
	consentAccept := "/admin/oauth2/auth/requests/consent/accept"
	tests := []struct {
		name     string
		admin    adminAnswers
		method   string
		path     string
		form     url.Values
		status   int
		location string         // expected Location header, if a redirect
		contains []string       // substrings of the page
		absent   []string       // what the page must not show
		wantBody map[string]any // the one accept call's body; nil: none
	}{
		{
			name: "login form", method: http.MethodGet, path: "/login?login_challenge=lc",
			admin:    adminAnswers{login: loginRequest{Client: clientRef{ID: "c1", Name: "Demo App"}}},
			status:   http.StatusOK,
			contains: []string{`id="username"`, `id="password"`, `id="login-submit"`, `value="lc"`, "Demo App", `type="password"`},
			absent:   []string{`id="login-error"`},
		},
		{
			name: "login without challenge", method: http.MethodGet, path: "/login",
			status: http.StatusBadRequest, contains: []string{"login_challenge parameter is missing"},
		},
		{
			name: "remembered login is accepted without a form", method: http.MethodGet, path: "/login?login_challenge=lc",
			admin:  adminAnswers{login: loginRequest{Skip: true, Subject: "alice"}},
			status: http.StatusFound, location: fakeRedirect,
			wantBody: map[string]any{"subject": "alice", "remember": true, "remember_for": float64(0)},
		},
		{
			name: "wrong password shows the form again", method: http.MethodPost, path: "/login",
			form:     url.Values{"login_challenge": {"lc"}, "username": {user}, "password": {"nope"}},
			status:   http.StatusUnauthorized,
			contains: []string{`id="login-error"`, "Wrong username or password", `id="password"`, `value="alice"`},
			absent:   []string{"nope"},
		},
		{
			name: "wrong username", method: http.MethodPost, path: "/login",
			form:   url.Values{"login_challenge": {"lc"}, "username": {"mallory"}, "password": {pass}},
			status: http.StatusUnauthorized, contains: []string{`id="login-error"`}, absent: []string{pass},
		},
		{
			name: "right password accepts the login, remembered", method: http.MethodPost, path: "/login",
			form:   url.Values{"login_challenge": {"lc"}, "username": {user}, "password": {pass}},
			status: http.StatusSeeOther, location: fakeRedirect,
			wantBody: map[string]any{"subject": user, "remember": true, "remember_for": float64(0)},
		},
		{
			name: "login post without challenge", method: http.MethodPost, path: "/login",
			form:   url.Values{"username": {user}, "password": {pass}},
			status: http.StatusBadRequest, contains: []string{"login_challenge field is missing"},
		},
		{
			name: "consent page", method: http.MethodGet, path: "/consent?consent_challenge=cc",
			admin:    adminAnswers{consent: consentRequest{Subject: "alice", Scope: []string{"openid", "offline"}}},
			status:   http.StatusOK,
			contains: []string{`id="consent-accept"`, `value="cc"`, "<li>openid</li>", "<li>offline</li>", "alice"},
		},
		{
			name: "remembered consent is accepted without a page", method: http.MethodGet, path: "/consent?consent_challenge=cc",
			admin:  adminAnswers{consent: consentRequest{Skip: true, Subject: "alice", Scope: []string{"openid"}}},
			status: http.StatusFound, location: fakeRedirect,
			wantBody: map[string]any{"grant_scope": []any{"openid"}, "grant_access_token_audience": []any{},
				"remember": true, "remember_for": float64(0)},
		},
		{
			name: "consent grants what Hydra says was asked", method: http.MethodPost, path: "/consent",
			admin:  adminAnswers{consent: consentRequest{Subject: "alice", Scope: []string{"openid", "offline"}, Audience: []string{"api"}}},
			form:   url.Values{"consent_challenge": {"cc"}, "grant_scope": {"admin"}},
			status: http.StatusSeeOther, location: fakeRedirect,
			wantBody: map[string]any{"grant_scope": []any{"openid", "offline"}, "grant_access_token_audience": []any{"api"},
				"remember": true, "remember_for": float64(0)},
		},
		{
			name: "consent without challenge", method: http.MethodGet, path: "/consent",
			status: http.StatusBadRequest, contains: []string{"consent_challenge parameter is missing"},
		},
		{
			name: "admin API failure", method: http.MethodGet, path: "/login?login_challenge=lc",
			admin:  adminAnswers{fail: true},
			status: http.StatusBadGateway, contains: []string{"admin API refused"}, absent: []string{"lc", "boom"},
		},
		{
			name: "unknown challenge", method: http.MethodGet, path: "/consent?consent_challenge=other",
			status: http.StatusBadGateway, contains: []string{"admin API refused"},
		},
		{
			name: "other methods are refused", method: http.MethodDelete, path: "/login",
			status: http.StatusMethodNotAllowed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeAdmin{login: tt.admin.login, consent: tt.admin.consent, fail: tt.admin.fail}
			api := httptest.NewServer(fake)
			defer api.Close()
			var log providertest.SyncBuffer
			app, err := startLoginApp(newAdmin(api.URL), user, pass, &log)
			if err != nil {
				t.Fatalf("startLoginApp: %v", err)
			}
			defer func() {
				if err := app.stop(); err != nil {
					t.Errorf("stop: %v", err)
				}
			}()
			if !strings.HasPrefix(app.LoginURL(), "http://127.0.0.1:") {
				t.Fatalf("LoginURL = %q, want a 127.0.0.1 URL", app.LoginURL())
			}

			var body io.Reader
			if tt.form != nil {
				body = strings.NewReader(tt.form.Encode())
			}
			req, err := http.NewRequest(tt.method, app.base+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", tt.method, tt.path, err)
			}
			defer resp.Body.Close()
			page, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d\n%s", resp.StatusCode, tt.status, page)
			}
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			for _, s := range tt.contains {
				if !strings.Contains(string(page), s) {
					t.Errorf("page lacks %q:\n%s", s, page)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(string(page), s) {
					t.Errorf("page shows %q", s)
				}
			}
			calls := fake.calls()
			if tt.wantBody == nil {
				if len(calls) != 0 {
					t.Errorf("accept calls = %+v, want none", calls)
				}
			} else {
				if len(calls) != 1 {
					t.Fatalf("accept calls = %+v, want one", calls)
				}
				want := loginAccept
				if strings.HasPrefix(tt.path, "/consent") {
					want = consentAccept
				}
				if calls[0].Path != want || !reflect.DeepEqual(calls[0].Body, tt.wantBody) {
					t.Errorf("accept call = %s %v, want %s %v", calls[0].Path, calls[0].Body, want, tt.wantBody)
				}
			}
			if strings.Contains(log.String(), pass) {
				t.Errorf("app log contains the password")
			}
		})
	}
}
