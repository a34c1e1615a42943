package authz

import "testing"

// TestParseResponses: query, fragment and form_post responses give the
// same fields, and say how they came.
func TestParseResponses(t *testing.T) {
	tests := []struct {
		name       string
		parse      func() (*Response, error)
		mode, code string
		errCode    string
		state      string
	}{
		{"query", func() (*Response, error) { return ParseRedirect("http://127.0.0.1:8765/cb?code=c1&state=s1&iss=i") }, ModeQuery, "c1", "", "s1"},
		{"query keeps its own parameters", func() (*Response, error) {
			return ParseRedirect("http://127.0.0.1:8765/cb?from=x&error=invalid_request&state=s2")
		}, ModeQuery, "", "invalid_request", "s2"},
		{"fragment", func() (*Response, error) {
			return ParseRedirect("http://127.0.0.1:8765/cb#code=c3&id_token=a.b.c&state=s3")
		}, ModeFragment, "c3", "", "s3"},
		{"fragment beside a query", func() (*Response, error) {
			return ParseRedirect("http://127.0.0.1:8765/cb?from=x#error=access_denied&state=s4")
		}, ModeFragment, "", "access_denied", "s4"},
		{"unrelated fragment", func() (*Response, error) { return ParseRedirect("http://127.0.0.1:8765/cb?code=c5#top") }, ModeQuery, "c5", "", ""},
		{"form_post", func() (*Response, error) {
			return ParseFormPost("http://127.0.0.1:8765/cb", "code=c6&state=s%206&iss=http%3A%2F%2Fi")
		}, ModeFormPost, "c6", "", "s 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.parse()
			if err != nil {
				t.Fatal(err)
			}
			if r.Mode != tt.mode || r.Code != tt.code || r.Error != tt.errCode || r.State != tt.state {
				t.Errorf("got mode %q code %q error %q state %q, want %q %q %q %q", r.Mode, r.Code, r.Error, r.State, tt.mode, tt.code, tt.errCode, tt.state)
			}
		})
	}
	if _, err := ParseFormPost("http://x/cb", "code=%zz"); err == nil {
		t.Error("a malformed form_post body parsed")
	}
}
