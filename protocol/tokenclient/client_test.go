package tokenclient

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// Distinctive values, so that finding them in evidence is unambiguous.
const (
	testCode     = "CODE-q7Zx81"
	testSecret   = "SECRET q7Zx82/+:" // needs form-encoding in Basic
	testVerifier = "VERIFIER-q7Zx83-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testAccess   = "ACCESS-q7Zx84"
	testRefresh  = "REFRESH-q7Zx85"
	testIDToken  = "IDTOKEN-q7Zx86"
	testClientID = "client:id é"
)

// seen is what the test server received.
type seen struct {
	header http.Header
	body   string
}

// newServer starts a 127.0.0.1 token endpoint answering with handle and
// recording each request.
func newServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request)) (string, func() []seen) {
	t.Helper()
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{header: r.Header.Clone(), body: string(b)})
		mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		handle(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/token", func() []seen {
		mu.Lock()
		defer mu.Unlock()
		return append([]seen(nil), got...)
	}
}

func reply(status int, contentType, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Internal", "dropped-from-evidence")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

const successBody = `{"access_token":"` + testAccess + `","token_type":"Bearer","expires_in":60,"refresh_token":"` + testRefresh + `","id_token":"` + testIDToken + `"}`

func verifier() *string { v := testVerifier; return &v }

func TestAuthMethods(t *testing.T) {
	tests := []struct {
		method     string
		wantBody   string
		wantBasic  bool
		wantNoAuth bool
	}{
		{profiles.AuthNone, "grant_type=authorization_code&code=" + testCode + "&code_verifier=" + testVerifier + "&client_id=" + url.QueryEscape(testClientID), false, true},
		{"", "grant_type=authorization_code&code=" + testCode + "&code_verifier=" + testVerifier + "&client_id=" + url.QueryEscape(testClientID), false, true},
		{profiles.AuthClientSecretPost, "grant_type=authorization_code&code=" + testCode + "&code_verifier=" + testVerifier +
			"&client_id=" + url.QueryEscape(testClientID) + "&client_secret=" + url.QueryEscape(testSecret), false, true},
		{profiles.AuthClientSecretBasic, "grant_type=authorization_code&code=" + testCode + "&code_verifier=" + testVerifier, true, false},
	}
	for _, tt := range tests {
		t.Run("method "+tt.method, func(t *testing.T) {
			endpoint, requests := newServer(t, reply(200, "application/json", successBody))
			c := &Client{HTTP: &http.Client{}, Endpoint: endpoint}
			auth := Auth{ClientID: testClientID, Secret: testSecret, Method: tt.method}
			if _, err := c.Exchange(context.Background(), CodeRequest(auth, testCode, "", verifier())); err != nil {
				t.Fatal(err)
			}
			got := requests()
			if len(got) != 1 {
				t.Fatalf("server saw %d requests", len(got))
			}
			r := got[0]
			if r.body != tt.wantBody {
				t.Errorf("body =\n%s\nwant\n%s", r.body, tt.wantBody)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type = %q", ct)
			}
			if a := r.header.Get("Accept"); a != "application/json" {
				t.Errorf("Accept = %q", a)
			}
			authz := r.header.Get("Authorization")
			if tt.wantNoAuth && authz != "" {
				t.Errorf("unexpected Authorization %q", authz)
			}
			if tt.wantBasic {
				raw, ok := strings.CutPrefix(authz, "Basic ")
				if !ok {
					t.Fatalf("Authorization = %q, want Basic", authz)
				}
				dec, err := base64.StdEncoding.DecodeString(raw)
				if err != nil {
					t.Fatal(err)
				}
				// RFC 6749 §2.3.1: each part form-urlencoded, then joined by ':'.
				id, secret, _ := strings.Cut(string(dec), ":")
				id, _ = url.QueryUnescape(id)
				secret, _ = url.QueryUnescape(secret)
				if id != testClientID || secret != testSecret {
					t.Errorf("Basic credentials decode to %q / %q", id, secret)
				}
				if want := url.QueryEscape(testClientID) + ":" + url.QueryEscape(testSecret); string(dec) != want {
					t.Errorf("Basic credentials = %q, want %q", dec, want)
				}
			}
		})
	}
}

func TestUnknownAuthMethod(t *testing.T) {
	endpoint, requests := newServer(t, reply(200, "application/json", successBody))
	c := &Client{Endpoint: endpoint}
	_, err := c.Exchange(context.Background(), CodeRequest(Auth{ClientID: "x", Method: "private_key_jwt"}, testCode, "", nil))
	if err == nil || !strings.Contains(err.Error(), "private_key_jwt") {
		t.Errorf("err = %v, want unknown method error", err)
	}
	if n := len(requests()); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

func TestParamsSentAsGiven(t *testing.T) {
	endpoint, requests := newServer(t, reply(400, "application/json", `{"error":"invalid_request"}`))
	c := &Client{Endpoint: endpoint}
	req := &Request{
		Auth: Auth{ClientID: "cid", Method: profiles.AuthNone},
		Params: [][2]string{
			{"code_verifier", "v1"}, {"grant_type", "authorization_code"}, {"code", testCode},
			{"code_verifier", ""}, {"code", testCode}, {"client_id", "other"}, {"code_verifier", "v 2"},
		},
	}
	resp, err := c.Exchange(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	// client_id is already present, so it is not added again.
	want := "code_verifier=v1&grant_type=authorization_code&code=" + testCode +
		"&code_verifier=&code=" + testCode + "&client_id=other&code_verifier=v+2"
	if got := requests()[0].body; got != want {
		t.Errorf("body =\n%s\nwant\n%s", got, want)
	}
	wantEvidence := "code_verifier=v1&grant_type=authorization_code&code=[REDACTED]&code_verifier=&code=[REDACTED]&client_id=other&code_verifier=v+2"
	if !strings.HasSuffix(resp.Evidence.Request, "\n\n"+wantEvidence) {
		t.Errorf("request evidence form:\n%s\nwant suffix\n%s", resp.Evidence.Request, wantEvidence)
	}
}

func TestResponseParsing(t *testing.T) {
	tests := []struct {
		name       string
		handle     func(http.ResponseWriter, *http.Request)
		status     int
		issued     bool
		wantJSON   bool
		errCode    string // "" means no Err
		registered bool
		errText    string
	}{
		{"success", reply(200, "application/json;charset=UTF-8", successBody), 200, true, true, "", false, ""},
		{"400 invalid_grant", reply(400, "application/json", `{"error":"invalid_grant","error_description":"code expired"}`),
			400, false, true, "invalid_grant", true, "invalid_grant: code expired (HTTP 400)"},
		{"401 invalid_client", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
			reply(401, "application/json", `{"error":"invalid_client"}`)(w, r)
		}, 401, false, true, "invalid_client", true, "invalid_client (HTTP 401)"},
		{"unregistered code", reply(400, "application/json", `{"error":"pkce_failed","error_description":"nope","error_uri":"https://idp/e"}`),
			400, false, true, "pkce_failed", false, "pkce_failed: nope (HTTP 400)"},
		{"error member on 200", reply(200, "application/json", `{"error":"invalid_request"}`), 200, false, true, "invalid_request", true, "invalid_request (HTTP 200)"},
		{"non-JSON 500", reply(500, "text/html", "<h1>Internal Server Error</h1>"), 500, false, false, "", false, ""},
		{"JSON without error on 400", reply(400, "application/json", `{"message":"bad"}`), 400, false, true, "", false, ""},
		{"JSON array", reply(400, "application/json", `["error"]`), 400, false, false, "", false, ""},
		{"2xx without access_token", reply(200, "application/json", `{"token_type":"Bearer"}`), 200, false, true, "", false, ""},
		{"access_token on an error status", reply(400, "application/json", `{"access_token":"`+testAccess+`"}`), 400, false, true, "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			endpoint, _ := newServer(t, tt.handle)
			c := &Client{Endpoint: endpoint, Redactor: redact.New()}
			resp, err := c.Exchange(context.Background(), CodeRequest(Auth{ClientID: "cid"}, testCode, "https://app/cb", verifier()))
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tt.status {
				t.Errorf("Status = %d, want %d", resp.Status, tt.status)
			}
			if resp.Issued() != tt.issued {
				t.Errorf("Issued() = %v, want %v", resp.Issued(), tt.issued)
			}
			if (resp.JSON != nil) != tt.wantJSON {
				t.Errorf("JSON = %v, want JSON object: %v", resp.JSON, tt.wantJSON)
			}
			if tt.errCode == "" {
				if resp.Err != nil {
					t.Errorf("Err = %v, want nil", resp.Err)
				}
				return
			}
			if resp.Err == nil {
				t.Fatalf("Err = nil, want %s", tt.errCode)
			}
			if resp.Err.Code != tt.errCode || resp.Err.Status != tt.status {
				t.Errorf("Err = %+v", resp.Err)
			}
			if resp.Err.Registered() != tt.registered {
				t.Errorf("Registered() = %v, want %v", resp.Err.Registered(), tt.registered)
			}
			if got := resp.Err.Error(); got != tt.errText {
				t.Errorf("Error() = %q, want %q", got, tt.errText)
			}
		})
	}
}

func TestSuccessAccessors(t *testing.T) {
	endpoint, _ := newServer(t, reply(200, "application/json", successBody))
	c := &Client{Endpoint: endpoint}
	resp, err := c.Exchange(context.Background(), CodeRequest(Auth{ClientID: "cid"}, testCode, "", nil))
	if err != nil {
		t.Fatal(err)
	}
	if resp.AccessToken() != testAccess {
		t.Errorf("AccessToken() = %q", resp.AccessToken())
	}
	if resp.Header.Get("Cache-Control") != "no-store" || string(resp.Body) != successBody {
		t.Errorf("Header/Body not kept: %v %q", resp.Header, resp.Body)
	}
}

// TestEvidenceHasNoSecrets exchanges with every auth method, against a
// server that issues tokens and one that echoes the code in its error, and
// checks no code, secret or token shows in evidence or errors.
func TestEvidenceHasNoSecrets(t *testing.T) {
	echo := func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("WWW-Authenticate", `Basic error="`+r.Header.Get("Authorization")+`"`)
		w.WriteHeader(400)
		_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":"code `+r.PostForm.Get("code")+` secret `+r.PostForm.Get("client_secret")+` is bad"}`)
	}
	secrets := []string{testCode, testSecret, url.QueryEscape(testSecret), testAccess, testRefresh, testIDToken,
		BasicCredentials(testClientID, testSecret)}
	for _, method := range []string{profiles.AuthNone, profiles.AuthClientSecretPost, profiles.AuthClientSecretBasic} {
		for name, handle := range map[string]func(http.ResponseWriter, *http.Request){
			"issues tokens": reply(200, "application/json", successBody),
			"echoes code":   echo,
		} {
			for rdName, rd := range map[string]*redact.Redactor{"redactor": redact.New(), "nil redactor": nil} {
				t.Run(method+" "+name+" "+rdName, func(t *testing.T) {
					endpoint, _ := newServer(t, handle)
					c := &Client{Endpoint: endpoint, Redactor: rd}
					auth := Auth{ClientID: testClientID, Secret: testSecret, Method: method}
					resp, err := c.Exchange(context.Background(), CodeRequest(auth, testCode, "https://app/cb", verifier()))
					if err != nil {
						t.Fatal(err)
					}
					texts := map[string]string{"request evidence": resp.Evidence.Request, "response evidence": resp.Evidence.Response}
					if resp.Err != nil {
						texts["error"] = resp.Err.Error()
					}
					for what, text := range texts {
						if name == "echoes code" && !strings.Contains(text, redact.Mask) && what != "request evidence" {
							t.Errorf("%s shows no mask, was the code echoed?\n%s", what, text)
						}
						for _, s := range secrets {
							if strings.Contains(text, s) {
								t.Errorf("%s contains %q:\n%s", what, s, text)
							}
						}
					}
					if !strings.Contains(resp.Evidence.Request, "code_verifier="+testVerifier) {
						t.Errorf("request evidence lacks the verifier:\n%s", resp.Evidence.Request)
					}
					if !strings.HasPrefix(resp.Evidence.Request, "POST "+endpoint+"\n") {
						t.Errorf("request evidence does not start with the request line:\n%s", resp.Evidence.Request)
					}
					if strings.Contains(resp.Evidence.Response, "X-Internal") || !strings.Contains(resp.Evidence.Response, "Content-Type: application/json") {
						t.Errorf("response evidence headers wrong:\n%s", resp.Evidence.Response)
					}
					if resp.Evidence.Probe != "" {
						t.Errorf("Probe = %q, want empty", resp.Evidence.Probe)
					}
					if rd != nil {
						for _, s := range []string{testCode, testSecret} {
							if rd.String(s) != redact.Mask {
								t.Errorf("redactor did not learn %q", s)
							}
						}
						if resp.Issued() {
							for _, s := range []string{testAccess, testRefresh, testIDToken} {
								if rd.String("x "+s) != "x "+redact.Mask {
									t.Errorf("redactor did not learn token %q", s)
								}
							}
						}
					}
				})
			}
		}
	}
}

func TestEvidenceShape(t *testing.T) {
	endpoint, _ := newServer(t, reply(400, "application/json", `{"error":"invalid_grant"}`))
	c := &Client{Endpoint: endpoint, Redactor: redact.New()}
	auth := Auth{ClientID: "cid", Secret: "secret-value", Method: profiles.AuthClientSecretBasic}
	resp, err := c.Exchange(context.Background(), CodeRequest(auth, testCode, "https://app/cb", verifier()))
	if err != nil {
		t.Fatal(err)
	}
	wantReq := "POST " + endpoint + "\n" +
		"Accept: application/json\nAuthorization: Basic [REDACTED]\nContent-Type: application/x-www-form-urlencoded\n\n" +
		"grant_type=authorization_code&code=[REDACTED]&redirect_uri=https%3A%2F%2Fapp%2Fcb&code_verifier=" + testVerifier
	if resp.Evidence.Request != wantReq {
		t.Errorf("request evidence =\n%s\nwant\n%s", resp.Evidence.Request, wantReq)
	}
	wantResp := "HTTP 400 Bad Request\nCache-Control: no-store\nContent-Type: application/json\n\n" + `{"error":"invalid_grant"}`
	if resp.Evidence.Response != wantResp {
		t.Errorf("response evidence =\n%s\nwant\n%s", resp.Evidence.Response, wantResp)
	}
}

func TestBodyCap(t *testing.T) {
	big := strings.Repeat("x", MaxBody+100)
	endpoint, _ := newServer(t, reply(200, "text/plain", big))
	c := &Client{Endpoint: endpoint}
	resp, err := c.Exchange(context.Background(), CodeRequest(Auth{}, testCode, "", nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Body) != MaxBody || !resp.Truncated {
		t.Errorf("len(Body) = %d, Truncated = %v; want %d, true", len(resp.Body), resp.Truncated, MaxBody)
	}
	if n := len(resp.Evidence.Response); n > 16<<10 {
		t.Errorf("response evidence is %d bytes, want it cut", n)
	}
}

func TestTransportError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	endpoint := srv.URL + "/token"
	srv.Close() // nothing listens there any more
	auth := Auth{ClientID: testClientID, Secret: testSecret, Method: profiles.AuthClientSecretPost}
	c := &Client{Endpoint: endpoint, Redactor: redact.New()}
	_, err := c.Exchange(context.Background(), CodeRequest(auth, testCode, "https://app/cb", verifier()))
	if err == nil {
		t.Fatal("exchange with a closed server succeeded")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "exchange code at "+endpoint+": ") {
		t.Errorf("error = %q, want it to start with the endpoint", msg)
	}
	for _, s := range []string{testCode, testSecret, url.QueryEscape(testSecret), testVerifier, "grant_type", "https://app/cb"} {
		if strings.Contains(msg, s) {
			t.Errorf("error %q contains form value %q", msg, s)
		}
	}
}

func TestContextCancelled(t *testing.T) {
	endpoint, requests := newServer(t, reply(200, "application/json", successBody))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &Client{Endpoint: endpoint}
	_, err := c.Exchange(ctx, CodeRequest(Auth{ClientID: "cid"}, testCode, "", nil))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := len(requests()); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}
