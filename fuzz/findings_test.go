package fuzz

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
	"github.com/pkcecheck/pkcecheck/results"
)

// Distinctive secrets: they must never appear in a reproducer or a file.
const (
	testCode   = "CODE-Wombat-7f3e19"
	testSecret = "SECRET-Quokka-2b8d44"
)

// tokenRecorder is a token endpoint that records each request.
type tokenRecorder struct {
	mu   sync.Mutex
	seen []string // "Authorization\nbody"
}

func (r *tokenRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.seen = append(r.seen, req.Header.Get("Content-Type")+"\n"+req.Header.Get("Authorization")+"\n"+string(body))
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(400)
	io.WriteString(w, `{"error":"invalid_grant"}`)
}

func (r *tokenRecorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[len(r.seen)-1]
}

// TestReproducerReplaysTheRequest: the curl reproducer, run by a shell with
// $CODE and $CLIENT_SECRET set, sends exactly the token request the
// campaign sent, for every client authentication method and for verifiers
// with NUL, UTF-8, spaces and quotes, sent twice; the secrets appear only
// as variables.
func TestReproducerReplaysTheRequest(t *testing.T) {
	rec := &tokenRecorder{}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	c := Case{
		Verifier:  "it's a \x00 é+/=%41 verifier" + strings.Repeat("x", 20),
		Challenge: Value{From: FromS256},
		Methods:   []string{"S256"},
		Verifiers: []Value{{From: FromVerifier}, {From: FromLiteral, Literal: "second 'value'\n"}},
	}
	for _, method := range []string{profiles.AuthNone, profiles.AuthClientSecretPost, profiles.AuthClientSecretBasic} {
		t.Run(method, func(t *testing.T) {
			ep := Endpoint{Authorization: srv.URL + "/authorize", Token: srv.URL + "/token",
				Client: profiles.Client{ID: "client 1:é", Secret: testSecret, AuthMethod: method, RedirectURI: "http://127.0.0.1:8765/cb?x=1&y='2'"}}
			live := &Live{Endpoint: ep, HTTP: srv.Client(), Redactor: redact.New(), Timeout: 5 * time.Second}
			if _, err := live.Token(context.Background(), testCode, c.SentVerifiers()); err != nil {
				t.Fatal(err)
			}
			sent := rec.last()

			r := ep.Reproducer(c)
			for _, s := range []string{testCode, testSecret} {
				if strings.Contains(r.Curl, s) || strings.Contains(r.AuthorizeURL, s) {
					t.Fatalf("reproducer contains a secret:\n%s", r.Curl)
				}
			}
			if !strings.Contains(r.Curl, "$CODE") || (method != profiles.AuthNone) != strings.Contains(r.Curl, "$CLIENT_SECRET") {
				t.Errorf("reproducer variables:\n%s", r.Curl)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			sh := exec.CommandContext(ctx, "sh", "-c", r.Curl)
			sh.Env = append(os.Environ(), "CODE="+testCode, "CLIENT_SECRET="+testSecret)
			if out, err := sh.CombinedOutput(); err != nil {
				t.Fatalf("curl: %v\n%s\n%s", err, out, r.Curl)
			}
			if got := rec.last(); got != sent {
				t.Errorf("curl sent\n%q\nthe campaign sent\n%q\nreproducer:\n%s", got, sent, r.Curl)
			}
			if !strings.Contains(r.AuthorizeURL, "code_challenge="+c.RegisteredChallenge()) || !strings.Contains(r.AuthorizeURL, "code_challenge_method=S256") {
				t.Errorf("authorize URL %s", r.AuthorizeURL)
			}
		})
	}
}

// TestFindingsFile: findings.json is {"findings": [...]} with the shrunk
// case as plain data (null for an omitted parameter), expected and
// observed outcomes, counts and a reproducer; the console summary names
// each finding.
func TestFindingsFile(t *testing.T) {
	res, err := Run(context.Background(), newSim("case-insensitive-compare", "verifier-optional"), Config{Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	ep := Endpoint{Authorization: "https://idp.example/authorize", Token: "https://idp.example/token",
		Client: profiles.Client{ID: "app", AuthMethod: profiles.AuthClientSecretBasic, Secret: testSecret, RedirectURI: "http://127.0.0.1:8765/cb"}}
	f := NewFile(res, ep, Meta{Tool: results.Tool{Name: "pkcecheck", Version: "test"}, Target: results.Target{Name: "sim", Issuer: "https://idp.example"}, Logins: 1, HTTPRequests: 7})
	dir := t.TempDir()
	path, err := f.Write(dir + "/out")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(testSecret)) {
		t.Error("findings.json contains the client secret")
	}
	var doc struct {
		Seed     uint64 `json:"seed"`
		Stats    map[string]any
		Findings []struct {
			ID, Group, Title, Severity, Requirement, Side string
			RawCases                                      int `json:"raw_cases"`
			Case                                          struct {
				Authorize struct {
					CodeChallenge       *string  `json:"code_challenge"`
					CodeChallengeMethod []string `json:"code_challenge_method"`
				}
				Token struct {
					CodeVerifier []string `json:"code_verifier"`
				}
			}
			Expected   map[string]any
			Observed   map[string]any
			Reproducer map[string]string
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Seed != 4 || doc.Stats["token_cases"] != float64(DefaultBudget) || doc.Stats["http_requests"] != float64(7) {
		t.Errorf("seed %d stats %v", doc.Seed, doc.Stats)
	}
	groups := map[string]bool{}
	for _, fd := range doc.Findings {
		groups[fd.Group] = true
		if fd.ID == "" || fd.Title == "" || fd.Severity != "must" || fd.Side != SideToken || fd.RawCases < 1 || fd.Case.Authorize.CodeChallenge == nil {
			t.Errorf("finding %+v", fd)
		}
		if fd.Expected["token"] != "refuse" || fd.Observed["token"] == nil || !strings.Contains(fd.Reproducer["curl"], "$CODE") {
			t.Errorf("finding %s: expected %v observed %v reproducer %v", fd.ID, fd.Expected, fd.Observed, fd.Reproducer)
		}
		// The whole script, as pkcecheck run writes them: the client secret
		// (Basic) and the code as variables, the code line at the top.
		if sc := fd.Reproducer["script"]; !strings.Contains(sc, "set -eu") || !strings.Contains(sc, `eval "$(pkcecheck code`) ||
			!strings.Contains(sc, `$CLIENT_SECRET"`) || !strings.Contains(sc, `"code=$CODE"`) || strings.Contains(sc, testSecret) {
			t.Errorf("finding %s: script\n%s", fd.ID, sc)
		}
		if fd.Group == GroupVerifierMissing && fd.Case.Token.CodeVerifier != nil {
			t.Errorf("omitted verifier written as %q, want null", fd.Case.Token.CodeVerifier)
		}
	}
	if !groups[GroupCaseInsensitive] || !groups[GroupVerifierMissing] || len(groups) != 2 {
		t.Errorf("groups %v", groups)
	}
	if !bytes.Contains(data, []byte(`"code_verifier": null`)) {
		t.Error("no null code_verifier in the file")
	}
	var out bytes.Buffer
	WriteSummary(&out, f, path)
	for _, want := range []string{GroupCaseInsensitive, GroupVerifierMissing, "MUST", "seed 4", "150 token cases", path} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}
