package suites

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// TestChallengeProblem: a 401 to a client_secret_basic client must
// challenge with Basic (RFC 6749 §5.2); Bearer alone or no challenge is a
// problem, other statuses and body-based methods are not judged.
func TestChallengeProblem(t *testing.T) {
	tests := []struct {
		name   string
		method string
		status int
		values []string
		want   string // substring of the problem; "" = none
	}{
		{"basic", profiles.AuthClientSecretBasic, 401, []string{`Basic realm="x"`}, ""},
		{"basic lower case, second challenge", profiles.AuthClientSecretBasic, 401, []string{`Bearer realm="a, b", error="invalid_token", basic`}, ""},
		{"two header lines", profiles.AuthClientSecretBasic, 401, []string{`Bearer`, `Basic charset="UTF-8"`}, ""},
		{"bearer only", profiles.AuthClientSecretBasic, 401, []string{`Bearer realm="x", error="invalid_client"`}, "scheme Bearer; RFC 6749 §5.2 requires Basic"},
		{"none", profiles.AuthClientSecretBasic, 401, nil, "has no WWW-Authenticate"},
		{"param named basic is no scheme", profiles.AuthClientSecretBasic, 401, []string{`Bearer basic="1"`}, "scheme Bearer;"},
		{"400 needs none", profiles.AuthClientSecretBasic, 400, nil, ""},
		{"post needs none", profiles.AuthClientSecretPost, 401, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tc.values {
				h.Add("WWW-Authenticate", v)
			}
			got := challengeProblem(&tokenclient.Response{Status: tc.status, Header: h}, tc.method)
			switch {
			case tc.want == "" && got != "":
				t.Errorf("problem %q, want none", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("problem %q, want one with %q", got, tc.want)
			}
		})
	}
}
