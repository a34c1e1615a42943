package redact

import (
	"encoding/base64"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestString(t *testing.T) {
	const secret = "s3cr3t/value+with=chars"
	r := New(secret, "", "abc", "short-but-ok")
	tests := []struct {
		name, in, want string
	}{
		{"plain", "x " + secret + " y", "x [REDACTED] y"},
		{"query escaped", "p=" + url.QueryEscape(secret), "p=[REDACTED]"},
		{"path escaped", "/p/" + url.PathEscape(secret), "/p/[REDACTED]"},
		{"base64", base64.StdEncoding.EncodeToString([]byte(secret)), "[REDACTED]"},
		{"base64url raw", base64.RawURLEncoding.EncodeToString([]byte(secret)), "[REDACTED]"},
		{"short ignored", "abc abc", "abc abc"},
		{"twice", "short-but-ok,short-but-ok", "[REDACTED],[REDACTED]"},
		{"nothing", "nothing here", "nothing here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLongestFirst(t *testing.T) {
	r := New("token", "token-longer-one")
	got := r.String("a token-longer-one b token c")
	if want := "a [REDACTED] b [REDACTED] c"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestAddAfterUse(t *testing.T) {
	r := New("first-secret")
	if got := r.String("second-secret"); got != "second-secret" {
		t.Fatalf("unknown secret masked: %q", got)
	}
	r.Add("second-secret")
	if got := r.String("first-secret second-secret"); got != "[REDACTED] [REDACTED]" {
		t.Errorf("after Add: %q", got)
	}
}

func TestNilAndZero(t *testing.T) {
	var nilR *Redactor
	var zero Redactor
	for name, r := range map[string]*Redactor{"nil": nilR, "zero": &zero} {
		t.Run(name, func(t *testing.T) {
			r.Add("some-secret") // no panic; nil ignores it
			if got := r.Params([][2]string{{"code", "abcd"}}); got != "code=[REDACTED]" {
				t.Errorf("Params = %q", got)
			}
			if got := r.Header(http.Header{"Authorization": {"Bearer xyz"}}); got != "Authorization: Bearer [REDACTED]" {
				t.Errorf("Header = %q", got)
			}
		})
	}
	if got := zero.String("some-secret"); got != "[REDACTED]" {
		t.Errorf("zero Redactor did not learn: %q", got)
	}
}

func TestConcurrent(t *testing.T) {
	r := New()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				r.Add("secret-" + string(rune('a'+j%26)) + "-x")
			}
		}()
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				_ = r.String("secret-a-x secret-b-x")
			}
		}()
	}
	wg.Wait()
	if got := r.String("secret-z-x"); got != "[REDACTED]" {
		t.Errorf("got %q", got)
	}
}

func TestForm(t *testing.T) {
	r := New("known-secret-value")
	v := url.Values{
		"grant_type":       {"authorization_code"},
		"code":             {"the-code-1234"},
		"code_verifier":    {"verifier-kept-as-evidence"},
		"client_secret":    {"cs-9999"},
		"password":         {"pw-9999"},
		"refresh_token":    {"rt-9999"},
		"access_token":     {"at-9999"},
		"id_token":         {"it-9999"},
		"assertion":        {"as-9999"},
		"client_assertion": {"ca-9999"},
		"redirect_uri":     {"https://app/cb?x=known-secret-value"},
	}
	got := r.Form(v)
	want := "access_token=[REDACTED]&assertion=[REDACTED]&client_assertion=[REDACTED]&client_secret=[REDACTED]" +
		"&code=[REDACTED]&code_verifier=verifier-kept-as-evidence&grant_type=authorization_code" +
		"&id_token=[REDACTED]&password=[REDACTED]&redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fx%3D[REDACTED]&refresh_token=[REDACTED]"
	if got != want {
		t.Errorf("Form =\n%s\nwant\n%s", got, want)
	}
}

func TestParamsOrderAndDuplicates(t *testing.T) {
	r := New()
	got := r.Params([][2]string{{"code", "c1-abcd"}, {"code_verifier", ""}, {"code", "c2-abcd"}, {"code", ""}})
	if want := "code=[REDACTED]&code_verifier=&code=[REDACTED]&code="; got != want {
		t.Errorf("Params = %q, want %q", got, want)
	}
}

func TestURL(t *testing.T) {
	r := New("profile-secret")
	tests := []struct{ name, in, want string }{
		{"code and state", "https://app.example/cb?code=abc123xyz&state=st-1&iss=https%3A%2F%2Fidp",
			"https://app.example/cb?code=[REDACTED]&state=st-1&iss=https%3A%2F%2Fidp"},
		{"fragment tokens", "https://app.example/cb#access_token=tok-1234&token_type=Bearer&id_token=eyJ",
			"https://app.example/cb#access_token=[REDACTED]&token_type=Bearer&id_token=[REDACTED]"},
		{"userinfo", "https://user:hunter22@idp.example/token", "https://user:%5BREDACTED%5D@idp.example/token"},
		{"known secret in path", "https://idp.example/profile-secret/x", "https://idp.example/[REDACTED]/x"},
		{"empty code kept", "https://app/cb?code=&state=s", "https://app/cb?code=&state=s"},
		{"unparseable", "http://[::1%zz/profile-secret", "http://[::1%zz/[REDACTED]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.URL(tt.in); got != tt.want {
				t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	r := New("known-secret-value")
	tests := []struct{ name, in, want string }{
		{"token response keeps order and layout",
			`{"token_type":"Bearer", "access_token" : "at-1", "expires_in":3600,"refresh_token":"rt-1","id_token":"eyJ.x.y","scope":"openid"}`,
			`{"token_type":"Bearer", "access_token" : "[REDACTED]", "expires_in":3600,"refresh_token":"[REDACTED]","id_token":"[REDACTED]","scope":"openid"}`},
		{"nested and non-string", `{"a":{"code":{"x":[1,2]}},"client_secret":12345,"b":[{"code":"c"}]}`,
			`{"a":{"code":"[REDACTED]"},"client_secret":"[REDACTED]","b":[{"code":"[REDACTED]"}]}`},
		{"error response untouched", `{"error":"invalid_grant","error_description":"bad known-secret-value"}`,
			`{"error":"invalid_grant","error_description":"bad [REDACTED]"}`},
		{"escaped key still a key", `{"access\u005ftoken":"at-2"}`, `{"access\u005ftoken":"[REDACTED]"}`},
		{"not JSON", `<html>known-secret-value</html>`, `<html>[REDACTED]</html>`},
		{"trailing garbage is not JSON", `{"access_token":"at-3"} x`, `{"access_token":"at-3"} x`},
		{"form encoded answer", `access_token=at-4&token_type=bearer&scope=repo`, `access_token=[REDACTED]&token_type=bearer&scope=repo`},
		{"empty", ``, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.JSON([]byte(tt.in)); got != tt.want {
				t.Errorf("JSON(%s) =\n%s\nwant\n%s", tt.in, got, tt.want)
			}
		})
	}
}

func TestJSONDeepNestingFallsBack(t *testing.T) {
	deep := strings.Repeat("[", 1000) + strings.Repeat("]", 1000)
	if got := New().JSON([]byte(deep)); got != deep {
		t.Errorf("deep array changed")
	}
}

func TestHeader(t *testing.T) {
	r := New("known-secret-value")
	h := http.Header{
		"Content-Type":        {"application/x-www-form-urlencoded"},
		"Authorization":       {"Basic Y2xpZW50OnNlY3JldA=="},
		"Proxy-Authorization": {"opaque-credential"},
		"Cookie":              {"sid=abc"},
		"Set-Cookie":          {"a=1", "b=2"},
		"X-Echo":              {"known-secret-value"},
		"accept":              {"application/json"},
		"WWW-Authenticate":    {`Bearer error="invalid_token"`},
	}
	got := r.Header(h)
	want := strings.Join([]string{
		"accept: application/json",
		"Authorization: Basic [REDACTED]",
		"Content-Type: application/x-www-form-urlencoded",
		"Cookie: [REDACTED]",
		"Proxy-Authorization: [REDACTED]",
		"Set-Cookie: [REDACTED]",
		"Set-Cookie: [REDACTED]",
		"WWW-Authenticate: Bearer error=\"invalid_token\"",
		"X-Echo: [REDACTED]",
	}, "\n")
	if got != want {
		t.Errorf("Header =\n%s\nwant\n%s", got, want)
	}
}

func TestErrorMasksAndUnwraps(t *testing.T) {
	inner := &fs.PathError{Op: "open", Path: "/tmp/s3cret-value", Err: fs.ErrNotExist}
	r := New("s3cret-value")
	err := r.Error(inner)
	if got, want := err.Error(), "open /tmp/"+Mask+": file does not exist"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.As/Is do not see the cause of %v", err)
	}
	if r.Error(nil) != nil {
		t.Error("Error(nil) is not nil")
	}
}
