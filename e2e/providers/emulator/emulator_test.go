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
