package emulator

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestRequestLog: every request is recorded by method and path only, the
// 404s apart, and each line is written with the emulator's name.
func TestRequestLog(t *testing.T) {
	var out strings.Builder
	l := NewRequestLog("demo", &out)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /here", func(w http.ResponseWriter, r *http.Request) { WriteJSON(w, http.StatusOK, map[string]int{"a": 1}) })
	h := l.Wrap(mux)
	for _, target := range []string{"/here?secret=x", "/gone"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if target == "/here?secret=x" && (rec.Header().Get("Cache-Control") != "no-store" || strings.TrimSpace(rec.Body.String()) != `{"a":1}`) {
			t.Errorf("WriteJSON: %v %q", rec.Header(), rec.Body.String())
		}
	}
	if got := l.Requests(); !slices.Equal(got, []string{"GET /here", "GET /gone"}) {
		t.Errorf("Requests = %q", got)
	}
	if got := l.NotFound(); !slices.Equal(got, []string{"GET /gone"}) {
		t.Errorf("NotFound = %q", got)
	}
	if out.String() != "demo: GET /here\ndemo: GET /gone\n" || strings.Contains(out.String(), "secret") {
		t.Errorf("log %q", out.String())
	}
	if !EqualSecret("s3", "s3") || EqualSecret("s3", "s4") || EqualSecret("s3", "s33") {
		t.Error("EqualSecret")
	}
}

// TestReadTokenRequest: the client authentication rules, each able to
// refuse.
func TestReadTokenRequest(t *testing.T) {
	kind := func(id string) (bool, bool) {
		switch id {
		case "pub":
			return false, true
		case "conf":
			return true, true
		}
		return false, false
	}
	for _, tt := range []struct {
		name, body, user, pass string
		contentType            string
		wantID                 string
		wantStatus             int
	}{
		{"public", "client_id=pub&code=c", "", "", "", "pub", 0},
		{"basic", "code=c", "conf", "s%3Ae", "", "conf", 0},
		{"post", "client_id=conf&client_secret=s:e", "", "", "", "conf", 0},
		{"wrong secret", "client_id=conf&client_secret=x", "", "", "", "", http.StatusUnauthorized},
		{"no secret", "client_id=conf", "", "", "", "", http.StatusUnauthorized},
		{"secret for a public client", "client_id=pub&client_secret=x", "", "", "", "", http.StatusUnauthorized},
		{"unknown client", "client_id=who", "", "", "", "", http.StatusUnauthorized},
		{"both methods", "client_id=conf&client_secret=s:e", "conf", "s%3Ae", "", "", http.StatusBadRequest},
		{"other client_id than Basic", "client_id=pub", "conf", "s%3Ae", "", "", http.StatusBadRequest},
		{"repeated", "client_id=pub&code=a&code=b", "", "", "", "", http.StatusBadRequest},
		{"JSON", `{"client_id":"pub"}`, "", "", "application/json", "", http.StatusBadRequest},
	} {
		r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(tt.body))
		ct := tt.contentType
		if ct == "" {
			ct = "application/x-www-form-urlencoded"
		}
		r.Header.Set("Content-Type", ct)
		if tt.user != "" {
			r.SetBasicAuth(tt.user, tt.pass)
		}
		_, id, refusal := ReadTokenRequest(r, kind, "s:e")
		switch {
		case tt.wantStatus == 0 && (refusal != nil || id != tt.wantID):
			t.Errorf("%s: client %q, refusal %+v; want %q", tt.name, id, refusal, tt.wantID)
		case tt.wantStatus != 0 && (refusal == nil || refusal.Status != tt.wantStatus):
			t.Errorf("%s: refusal %+v, want HTTP %d", tt.name, refusal, tt.wantStatus)
		}
	}
}
