package profiles

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// envOf returns a lookup function over vars.
func envOf(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

// problems splits an error from Parse into its *Error parts.
func problems(t *testing.T, err error) []*Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var parts []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		parts = j.Unwrap()
	} else {
		parts = []error{err}
	}
	var out []*Error
	for _, p := range parts {
		e, ok := p.(*Error)
		if !ok {
			t.Fatalf("error %T (%v) is not a *Error", p, p)
		}
		out = append(out, e)
	}
	return out
}

func TestParseGood(t *testing.T) {
	design := &Profile{
		Path:   "testdata/design.yaml",
		Name:   "keycloak-staging",
		Issuer: "https://kc.example.com/realms/demo",
		Endpoints: Endpoints{
			Authorization: "https://kc.example.com/realms/demo/protocol/openid-connect/auth",
			Token:         "https://kc.example.com/realms/demo/protocol/openid-connect/token",
		},
		Clients: Clients{
			Public: &Client{ID: "pkce-public", AuthMethod: AuthNone, RedirectURI: "http://127.0.0.1:8765/callback", Scopes: []string{"openid"}},
			Confidential: &Client{ID: "pkce-conf", Secret: "conf-s3cret", AuthMethod: AuthClientSecretBasic,
				RedirectURI: "http://127.0.0.1:8765/callback", Scopes: []string{"openid"}},
			Other: &Client{ID: "pkce-other", AuthMethod: AuthNone, RedirectURI: "http://127.0.0.1:8765/callback"},
		},
		Login: Login{
			Steps: []Step{
				{Fill: "#username", Value: "alice", Line: 11},
				{Fill: "#password", Value: "pa$$word", Line: 12},
				{Click: "#kc-login", Line: 13},
			},
			Consent: []Step{{Click: "#kc-accept", Line: 15}},
		},
		Policy: Policy{PKCERequired: PKCERequiredPublic, Plain: PlainForbidden, ErrorCodes: ErrorCodesStrict},
		Limits: Limits{RequestsPerSecond: 5, RateSource: RateFromProfile, Timeout: 10 * time.Second},
	}
	design.secrets = []string{"conf-s3cret", "alice", "pa$$word"}

	minimal := &Profile{
		Path:    "testdata/minimal.yaml",
		Name:    "minimal",
		Issuer:  "http://127.0.0.1:5556/dex",
		Clients: Clients{Public: &Client{ID: "pkce-public", AuthMethod: AuthNone, RedirectURI: "http://127.0.0.1:8765/callback"}},
		Login:   Login{Steps: []Step{{Click: "button[type=submit]", Line: 10}}},
		Policy:  Policy{PKCERequired: PKCERequiredPublic, Plain: PlainForbidden, ErrorCodes: ErrorCodesStrict},
		Limits:  Limits{RequestsPerSecond: 0, RateSource: RateLoopback, Timeout: DefaultTimeout},
	}

	endpointsOnly := &Profile{
		Path: "testdata/endpoints-only.yaml",
		Name: "endpoints-only",
		Endpoints: Endpoints{
			Authorization: "http://127.0.0.1:9000/oauth/authorize",
			Token:         "http://127.0.0.1:9000/oauth/token",
		},
		Clients: Clients{Public: &Client{ID: "web", AuthMethod: AuthNone,
			RedirectURI: "http://127.0.0.1:8765/callback?x=1", Scopes: []string{"read", "write"}}},
		Login: Login{Steps: []Step{
			{Wait: "form#login", Line: 10},
			{Fill: "input[name$=user]", Value: "alice", Line: 11},
			{Fill: "input[name=password]", Value: "hunter2", Line: 12},
			{Click: "button[type=submit]", Line: 13},
		}},
		Policy: Policy{PKCERequired: PKCERequiredAll, Plain: PlainAllowed, ErrorCodes: ErrorCodesLenient},
		Limits: Limits{RequestsPerSecond: 0.5, RateSource: RateFromProfile, Timeout: 90 * time.Second},
	}
	endpointsOnly.secrets = []string{"hunter2"}

	tests := []struct {
		file string
		env  map[string]string
		want *Profile
	}{
		{"testdata/design.yaml", map[string]string{"KC_CONF_SECRET": "conf-s3cret", "KC_USER": "alice", "KC_PASSWORD": "pa$$word"}, design},
		{"testdata/minimal.yaml", nil, minimal},
		// LOGIN_USER is set but empty, so its default applies (and is no secret).
		{"testdata/endpoints-only.yaml", map[string]string{"LOGIN_USER": "", "LOGIN_PASSWORD": "hunter2"}, endpointsOnly},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(tt.file, data, envOf(tt.env))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse =\n%#v\nwant\n%#v", got, tt.want)
				t.Errorf("clients: %+v %+v %+v", got.Clients.Public, got.Clients.Confidential, got.Clients.Other)
			}
		})
	}
}

func TestSecrets(t *testing.T) {
	src := `name: t
issuer: https://${HOST}/realm
clients:
  public: {id: "${CLIENT_ID}", redirect_uri: "http://127.0.0.1:1/cb", scopes: ["${SCOPE:-openid}"]}
login:
  steps:
    - {fill: "#u", value: "$$literal-${USER}"}
    - {click: "#go"}
`
	env := envOf(map[string]string{"HOST": "as.example.com", "CLIENT_ID": "cid-123", "USER": "bob"})
	p, err := Parse("s.yaml", []byte(src), env)
	if err != nil {
		t.Fatal(err)
	}
	if p.Issuer != "https://as.example.com/realm" || p.Login.Steps[0].Value != "$literal-bob" || p.Clients.Public.Scopes[0] != "openid" {
		t.Errorf("substitution: issuer %q, value %q, scopes %q", p.Issuer, p.Login.Steps[0].Value, p.Clients.Public.Scopes)
	}
	got := p.Secrets()
	// A login step's value is secret-bearing: what it took from the
	// environment, and the whole value it makes, are secrets.
	for _, want := range []string{"bob", "$literal-bob"} {
		if !slices.Contains(got, want) {
			t.Errorf("Secrets() = %q, missing %q", got, want)
		}
	}
	// The issuer and the client ID are not secret even from ${VAR}
	// (reports show them), nor are defaults.
	for _, not := range []string{"as.example.com", "cid-123", "openid"} {
		if slices.Contains(got, not) {
			t.Errorf("Secrets() = %q holds %q", got, not)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const tail = `clients:
  public: {id: p, redirect_uri: "http://127.0.0.1:8765/cb"}
login:
  steps:
    - {click: "#go"}
`
	tests := []struct {
		name      string
		src       string
		env       map[string]string
		line, col int
		msg       string
	}{
		{"bad yaml", "name: t\nissuer: https://a.example\nclients:\n\tpublic: {}\n", nil, 4, 0,
			"invalid YAML: found character that cannot start any token"},
		{"unclosed flow list", "name: t\nissuer: https://a.example\nclients: [a\nlogin: {}\n", nil, 3, 0,
			"invalid YAML: did not find expected ',' or ']'"},
		{"list item in a map", "name: t\n- x\n", nil, 2, 0, "invalid YAML: did not find expected key"},
		{"bad yaml on the first line", "name: a: b\n", nil, 1, 0, "invalid YAML: mapping values are not allowed in this context"},
		{"unknown alias", "name: t\nissuer: https://a.example\nlimits: *nope\n", nil, 3, 9, "invalid YAML: unknown anchor 'nope' referenced"},
		{"control character", "name: t\nissuer: \x01\n", nil, 2, 9, "invalid YAML: control characters are not allowed"},
		{"invalid UTF-8", "name: t\nissuer: h\xff\n", nil, 2, 10, "invalid YAML: invalid leading UTF-8 octet"},
		{"unknown key in client", `name: t
issuer: https://a.example
clients:
  public:
    id: p
    redirect_uri: http://127.0.0.1:8765/cb
    scope: openid
login:
  steps:
    - {click: "#go"}
`, nil, 7, 5, `unknown key "scope" in clients.public; known keys: id, secret, auth_method, auth_methods, private_key_jwt, redirect_uri, scopes, redirect_uri_with_query; did you mean "scopes"?`},
		{"unknown top-level key", "name: t\nissuer: https://a.example\npolicies: {}\n" + tail, nil, 3, 1,
			`unknown key "policies" at the top level; known keys: name, issuer, endpoints, clients, login, policy, limits, tls, scope, authorize_params, flows`},
		{"clients is a list", "name: t\nissuer: https://a.example\nclients:\n  - public\nlogin: {steps: [{click: a}]}\n", nil, 4, 3,
			"clients must be a map, not a list"},
		{"rate is a string", "name: t\nissuer: https://a.example\n" + tail + "limits:\n  requests_per_second: fast\n", nil, 9, 24,
			`limits.requests_per_second must be a number, not "fast"`},
		{"rate too high", "name: t\nissuer: https://a.example\n" + tail + "limits: {requests_per_second: 1001}\n", nil, 8, 31,
			`limits.requests_per_second must be more than 0 and at most 1000, got "1001"`},
		{"timeout without unit", "name: t\nissuer: https://a.example\n" + tail + "limits:\n  timeout: 10\n", nil, 9, 12,
			`limits.timeout must be a duration with a unit such as 10s or 1m30s, not "10"`},
		{"timeout too long", "name: t\nissuer: https://a.example\n" + tail + "limits:\n  timeout: 11m\n", nil, 9, 12,
			`limits.timeout must be more than 0 and at most 10m, got "11m"`},
		{"missing name", "# comment\nissuer: https://a.example\n" + tail, nil, 2, 1, "name is required"},
		{"issuer needed", "name: t\nendpoints:\n  authorization: https://a.example/auth\n" + tail, nil, 1, 1,
			"issuer is required unless endpoints.authorization and endpoints.token are both set"},
		{"public without id", "name: t\nissuer: https://a.example\nclients:\n  public:\n    redirect_uri: http://127.0.0.1:1/cb\nlogin: {steps: [{click: a}]}\n",
			nil, 4, 3, "clients.public.id is required"},
		{"no public client", "name: t\nissuer: https://a.example\nclients:\n  other: {id: o, redirect_uri: http://127.0.0.1:1/cb}\nlogin: {steps: [{click: a}]}\n",
			nil, 3, 1, "clients.public is required"},
		{"no steps", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: http://127.0.0.1:1/cb}\nlogin:\n  steps: []\n",
			nil, 6, 3, "login.steps must list at least one step"},
		{"issuer with query", "name: t\nissuer: https://a.example/?tenant=1\n" + tail, nil, 2, 9,
			`issuer "https://a.example/?tenant=1" must not have a query`},
		{"issuer not http", "name: t\nissuer: ftp://a.example\n" + tail, nil, 2, 9,
			`issuer "ftp://a.example" must be an absolute http or https URL`},
		{"relative redirect uri", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: /callback}\nlogin: {steps: [{click: a}]}\n",
			nil, 4, 33, `clients.public.redirect_uri "/callback" must be an absolute http or https URL`},
		{"endpoint with fragment", "name: t\nissuer: https://a.example\nendpoints: {token: \"https://a.example/t#x\"}\n" + tail, nil, 3, 20,
			`endpoints.token "https://a.example/t#x" must not have a fragment`},
		{"unknown policy value", "name: t\nissuer: https://a.example\n" + tail + "policy:\n  pkce_required: sometimes\n", nil, 9, 18,
			`policy.pkce_required: unknown value "sometimes"; allowed values: none, public, all`},
		{"unknown plain value", "name: t\nissuer: https://a.example\n" + tail + "policy: {plain: yes}\n", nil, 8, 17,
			`policy.plain: unknown value "yes"; allowed values: forbidden, allowed`},
		{"unknown auth method", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, secret: s, auth_method: tls_client_auth, redirect_uri: http://127.0.0.1:1/cb}\nlogin: {steps: [{click: a}]}\n",
			nil, 4, 43, "clients.public.auth_method: unknown value \"tls_client_auth\"; allowed values: none, client_secret_basic, client_secret_post, private_key_jwt"},
		{"secret method without secret", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, auth_method: client_secret_post, redirect_uri: http://127.0.0.1:1/cb}\nlogin: {steps: [{click: a}]}\n",
			nil, 4, 32, "clients.public.auth_method client_secret_post needs a secret"},
		{"confidential with none", "name: t\nissuer: https://a.example\n" + strings.Replace(tail, "login:", "  confidential: {id: c, auth_method: none, redirect_uri: \"http://127.0.0.1:1/cb\"}\nlogin:", 1),
			nil, 5, 38, "clients.confidential.auth_method must not be none"},
		{"confidential without secret", "name: t\nissuer: https://a.example\n" + strings.Replace(tail, "login:", "  confidential: {id: c, redirect_uri: \"http://127.0.0.1:1/cb\"}\nlogin:", 1),
			nil, 5, 3, "clients.confidential.secret is required"},
		{"same other client", "name: t\nissuer: https://a.example\n" + strings.Replace(tail, "login:", "  other: {id: p, redirect_uri: \"http://127.0.0.1:1/cb\"}\nlogin:", 1),
			nil, 5, 3, "clients.other.id must differ from clients.public.id"},
		{"scopes as a string", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: http://127.0.0.1:1/cb, scopes: openid profile}\nlogin: {steps: [{click: a}]}\n",
			nil, 4, 64, "clients.public.scopes must be a list (e.g. [openid, profile]), not a string"},
		{"step with two actions", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: http://127.0.0.1:1/cb}\nlogin:\n  steps:\n    - {click: a}\n    - {fill: \"#u\", value: x, click: \"#go\"}\n",
			nil, 8, 7, "login.steps[1] has fill and click; a step does exactly one of fill, click, wait, click_if_present, totp, select or click_text"},
		{"step without action", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: http://127.0.0.1:1/cb}\nlogin:\n  steps:\n    - value: x\n",
			nil, 7, 7, "login.steps[0] needs one of fill, click, wait, click_if_present, totp, select or click_text"},
		{"fill without value", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: http://127.0.0.1:1/cb}\nlogin:\n  steps:\n    - fill: \"#u\"\n",
			nil, 7, 7, "login.steps[0]: fill needs a value"},
		{"value on a click", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: http://127.0.0.1:1/cb}\nlogin:\n  consent:\n    - {click: \"#ok\", value: x}\n  steps: [{click: a}]\n",
			nil, 7, 22, "login.consent[0]: value is only used with fill and select, not with click"},
		{"steps is a map", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: http://127.0.0.1:1/cb}\nlogin:\n  steps: {click: a}\n",
			nil, 6, 10, "login.steps must be a list of steps, not a map"},
		{"unset variable", `name: t
issuer: https://a.example
clients:
  public: {id: p, redirect_uri: "http://127.0.0.1:8765/cb"}
login:
  steps:
    - {fill: "#password", value: "${KC_PASSWORD}"}
`, nil, 7, 35, "environment variable KC_PASSWORD is not set"},
		{"bad variable reference", "name: t-${1X}\nissuer: https://a.example\n" + tail, nil, 1, 9,
			"invalid variable reference ${1X}; use ${NAME} or ${NAME:-default}"},
		{"unterminated reference", "name: t\nissuer: https://a.example\n" + strings.Replace(tail, "#go", "#${go", 1), nil, 7, 17,
			"unterminated ${"},
		{"bad URL from environment", "name: t\nissuer: ${ISSUER}\n" + tail, map[string]string{"ISSUER": "s3cret-host"}, 2, 9,
			"issuer (the value of ${ISSUER}) must be an absolute http or https URL"},
		{"duplicate key", "name: t\nissuer: https://a.example\nname: u\n" + tail, nil, 3, 1,
			`duplicate key "name" in the profile (first at line 1)`},
		{"second document", "name: t\nissuer: https://a.example\n" + tail + "---\nname: u\n", nil, 8, 1,
			"a profile is a single YAML document"},
		{"empty", "# nothing here\n", nil, 1, 1, "profile is empty"},
		{"not a map", "- name: t\n", nil, 1, 1, "the profile must be a map, not a list"},
		{"id is a list", "name: t\nissuer: https://a.example\nclients:\n  public: {id: [a], redirect_uri: http://127.0.0.1:1/cb}\nlogin: {steps: [{click: a}]}\n",
			nil, 4, 16, "clients.public.id must be a string, not a list"},
		{"empty name", "name: \"\"\nissuer: https://a.example\n" + tail, nil, 1, 7, "name must not be empty"},
		{"no login", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: http://127.0.0.1:1/cb}\n",
			nil, 1, 1, "login is required: login.steps, or login.username and login.password"},
		{"secret with none", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, secret: s, auth_method: none, redirect_uri: http://127.0.0.1:1/cb}\nlogin: {steps: [{click: a}]}\n",
			nil, 4, 43, "clients.public.auth_method is none but a secret is set"},
		{"credentials in URL", "name: t\nissuer: https://user:pw@a.example\n" + tail, nil, 2, 9,
			"issuer (not shown: it may hold credentials) must not contain user info"},
		{"empty selector", "name: t\nissuer: https://a.example\n" + strings.Replace(tail, `"#go"`, `""`, 1), nil, 7, 15,
			"login.steps[0].click selector must not be empty"},
		{"bad merge", "name: t\nissuer: https://a.example\n" + strings.Replace(tail, "public: {", "public: {<<: [x], ", 1), nil, 4, 17,
			"a merge (<<) in clients.public takes maps, not a string"},
		{"bad scope token", "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: http://127.0.0.1:1/cb, scopes: [\"openid profile\"]}\nlogin: {steps: [{click: a}]}\n",
			nil, 4, 65, `clients.public.scopes[0] contains ' '`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("x.yaml", []byte(tt.src), envOf(tt.env))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", p)
			}
			if p != nil {
				t.Errorf("Parse returned a profile with an error")
			}
			errs := problems(t, err)
			if len(errs) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(errs), err)
			}
			e := errs[0]
			if e.Path != "x.yaml" || e.Line != tt.line || e.Column != tt.col || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got  %s\nwant x.yaml:%d:%d: ...%s...", e, tt.line, tt.col, tt.msg)
			}
			for _, v := range append(slices.Collect(maps.Values(tt.env)), ":pw@") {
				if strings.Contains(err.Error(), v) {
					t.Errorf("error %q shows the value of an environment variable", err)
				}
			}
		})
	}
}

func TestParseReportsAllProblemsSorted(t *testing.T) {
	src := `name: t
issuer: https://a.example
limits: {timeout: forever}
clients:
  public: {id: p, redirect_uri: "http://127.0.0.1:8765/cb", scope: x}
policy: {error_codes: loose}
login:
  steps:
    - {fill: "#u", value: "${NOPE}"}
`
	_, err := Parse("x.yaml", []byte(src), nil)
	var got []string
	for _, e := range problems(t, err) {
		got = append(got, e.Error())
	}
	want := []string{
		`x.yaml:3:19: limits.timeout must be a duration`,
		`x.yaml:5:61: unknown key "scope" in clients.public`,
		`x.yaml:6:23: policy.error_codes: unknown value "loose"; allowed values: strict, lenient`,
		`x.yaml:9:28: environment variable NOPE is not set`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}

func TestMergeKeys(t *testing.T) {
	src := `name: t
issuer: https://a.example
clients:
  public: &pub {id: p, redirect_uri: "http://127.0.0.1:8765/cb", scopes: [openid]}
  other: {<<: *pub, id: o}
login:
  steps:
    - {click: "#go"}
`
	p, err := Parse("x.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	o := p.Clients.Other
	if o == nil || o.ID != "o" || o.RedirectURI != "http://127.0.0.1:8765/cb" || !slices.Equal(o.Scopes, []string{"openid"}) {
		t.Errorf("other = %+v", o)
	}
}

func TestLoad(t *testing.T) {
	t.Setenv("PROFILES_TEST_SECRET", "from-env")
	path := filepath.Join(t.TempDir(), "p.yaml")
	src := "name: t\nissuer: https://a.example\nclients:\n  public: {id: p, redirect_uri: \"http://127.0.0.1:1/cb\"}\nlogin:\n  steps:\n    - {fill: \"#p\", value: \"${PROFILES_TEST_SECRET}\"}\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Path != path || p.Login.Steps[0].Value != "from-env" || p.Login.Steps[0].Line != 7 {
		t.Errorf("Load = %+v", p)
	}

	_, err = Load(filepath.Join(t.TempDir(), "missing.yaml"))
	var pe *Error
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.yaml: read profile:") {
		t.Errorf("Load(missing) = %v", err)
	}
}

func BenchmarkParseDesignExample(b *testing.B) {
	data, err := os.ReadFile("testdata/design.yaml")
	if err != nil {
		b.Fatal(err)
	}
	env := envOf(map[string]string{"KC_CONF_SECRET": "s", "KC_USER": "u", "KC_PASSWORD": "p"})
	for b.Loop() {
		if _, err := Parse("design.yaml", data, env); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRateDefault(t *testing.T) {
	for _, tt := range []struct {
		name, issuer, extra string
		want                float64
		source              string
	}{
		{"loopback IPv4", "http://127.0.0.1:9000", "", 0, RateLoopback},
		{"localhost", "http://localhost:8080/realms/x", "", 0, RateLoopback},
		{"IPv6 loopback", "http://[::1]:8080", "", 0, RateLoopback},
		{"another host", "https://idp.example.com", "", DefaultRequestsPerSecond, RateDefault},
		{"loopback issuer, another host in scope", "http://127.0.0.1:9000", "scope: {hosts: [login.example.com]}\n", DefaultRequestsPerSecond, RateDefault},
		{"an explicit limit wins", "http://127.0.0.1:9000", "limits: {requests_per_second: 7}\n", 7, RateFromProfile},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := "name: x\nissuer: " + tt.issuer + "\nclients:\n  public: {id: c, redirect_uri: http://127.0.0.1:8765/cb}\nlogin:\n  steps:\n    - {click: '#go'}\n" + tt.extra
			p, err := Parse("x.yaml", []byte(src), nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.Limits.RequestsPerSecond != tt.want || p.Limits.RateSource != tt.source {
				t.Errorf("got %g requests/s from %q; want %g from %q", p.Limits.RequestsPerSecond, p.Limits.RateSource, tt.want, tt.source)
			}
			if d := p.Limits.DescribeRate(); d == "" {
				t.Error("DescribeRate is empty")
			}
		})
	}
}
