package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/refidp"
)

// Distinctive secrets of TestSecretsStayOut: none may show anywhere.
const (
	secretsUser          = "secrets-user-Okapi"
	secretsPassword      = "pw-Narwhal-Quince-4d7e"
	secretsClientSecret  = "cs-Tangerine-Walrus-81b0"
	secretsWrongPassword = "wrong-pw-Ibis-Saffron-2c95"
)

// secretsProfile describes the reference provider the way a user's profile
// would, with the password and the client secret from the environment.
var secretsProfile = fmt.Sprintf(`name: secrets check
issuer: ${PKCE_SECRETS_ISSUER}
clients:
  public: {id: %[1]s, auth_method: none, redirect_uri: %[4]q, scopes: [openid]}
  confidential: {id: %[2]s, secret: "${PKCE_SECRETS_CLIENT_SECRET}", auth_method: client_secret_basic, redirect_uri: %[4]q, scopes: [openid]}
  other: {id: %[3]s, auth_method: none, redirect_uri: %[4]q, scopes: [openid]}
login:
  steps:
    - {fill: %[5]q, value: "${PKCE_SECRETS_USER}"}
    - {fill: %[6]q, value: "${PKCE_SECRETS_PASSWORD}"}
    - {click: %[7]q}
  consent:
    - {click: %[8]q}
limits: {requests_per_second: 200, timeout: 10s}
`, refidp.PublicClientID, refidp.ConfidentialClientID, refidp.OtherClientID, refidp.DemoRedirectURI,
	refidp.UsernameSelector, refidp.PasswordSelector, refidp.LoginButtonSelector, refidp.ConsentSelector)

// Values that must always be masked where they show: the code in URLs and
// forms, tokens in JSON bodies, credentials in Authorization headers.
var credentialValues = []*regexp.Regexp{
	regexp.MustCompile(`[?&\s]code=([^&\s"'<\\]*)`),
	regexp.MustCompile(`"(?:access_token|refresh_token|id_token)"\s*:\s*"([^"]*)"`),
	regexp.MustCompile(`Authorization: (?:Basic|Bearer) ([^\s"'<\\]*)`),
}

// TestSecretsStayOut runs a full check through the built binary, with a
// flaw that makes the server issue tokens where it should not and --verbose
// so that Ginkgo's failure report is printed too: neither the console nor
// any file written holds the password, the client secret (also base64 in
// an Authorization header), an authorization code or a token. Then a login
// with a wrong password: the failure screenshot and page saved for it hold
// no password either.
func TestSecretsStayOut(t *testing.T) {
	ctx := context.Background()
	srv, err := refidp.StartDemo(ctx, refidp.Config{
		Username: secretsUser, Password: secretsPassword, RedirectURI: refidp.DemoRedirectURI,
		ConfidentialSecret: secretsClientSecret, Consent: true, Flaws: []string{"prefix-compare"},
	})
	if err != nil {
		t.Fatalf("start the reference provider: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	path := writeProfile(t, secretsProfile)
	env := func(password string) []string {
		return []string{"PKCE_SECRETS_ISSUER=" + srv.Issuer(), "PKCE_SECRETS_USER=" + secretsUser,
			"PKCE_SECRETS_PASSWORD=" + password, "PKCE_SECRETS_CLIENT_SECRET=" + secretsClientSecret}
	}
	basic := base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(refidp.ConfidentialClientID) + ":" + url.QueryEscape(secretsClientSecret)))
	secrets := []string{secretsPassword, secretsClientSecret, basic, secretsWrongPassword}

	t.Run("full run", func(t *testing.T) {
		r := pkcecheck(t, env(secretsPassword), "run", "--profile", path, "--verbose")
		if r.code != exitFailed || r.run == nil {
			t.Fatalf("exit %d, want %d with results\nstdout:\n%s\nstderr:\n%s", r.code, exitFailed, r.stdout, r.stderr)
		}
		if statuses(r.run)["rfc7636.verifier-mismatch"] != "fail" || !strings.Contains(r.stdout, "tokens issued") {
			t.Fatalf("the flaw did not make the server issue tokens in a probe:\n%s", r.stdout)
		}
		// The reproducers are in the files checked below, with the code as
		// a variable.
		for _, res := range r.run.Results {
			if res.ID == "rfc7636.verifier-mismatch" && !strings.Contains(res.Reproducer, `"code=$CODE"`) {
				t.Errorf("the reproducer of %s does not send $CODE:\n%s", res.ID, res.Reproducer)
			}
		}
		texts := outputTexts(t, r)
		for _, f := range []string{"junit.xml", "results.json", "report.html", "report.md"} {
			if _, ok := texts[f]; !ok {
				t.Errorf("%s not written", f)
			}
		}
		checkNoSecrets(t, texts, secrets)
		// Every code, token and credential shown is masked, and the run did
		// show some: tokens were issued and codes redeemed.
		for _, re := range credentialValues {
			n := 0
			for name, text := range texts {
				for _, m := range re.FindAllStringSubmatch(text, -1) {
					n++
					if v := m[1]; v != "[REDACTED]" && v != url.QueryEscape("[REDACTED]") {
						t.Errorf("%s shows %q unmasked", name, strings.TrimSpace(m[0]))
					}
				}
			}
			if n == 0 {
				t.Errorf("no output shows %s: the check above checked nothing", re)
			}
		}
	})

	t.Run("login failure artifacts", func(t *testing.T) {
		r := pkcecheck(t, env(secretsWrongPassword), "run", "--profile", path)
		if r.code != exitUnreachable {
			t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitUnreachable, r.stdout, r.stderr)
		}
		texts := outputTexts(t, r)
		for _, f := range []string{"login-failure-1.png", "login-failure-1.html"} {
			if _, ok := texts[f]; !ok {
				t.Errorf("%s not saved (files: %v)", f, keys(texts))
			}
		}
		checkNoSecrets(t, texts, secrets)
	})
}

// outputTexts returns the console output and every file in the output
// directory (by name relative to it), with HTML and XML entities decoded so
// that an escaped secret is still found.
func outputTexts(t *testing.T, r cliResult) map[string]string {
	t.Helper()
	texts := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	err := filepath.WalkDir(r.out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(r.out, path)
		text := string(data)
		if ext := filepath.Ext(path); ext == ".html" || ext == ".xml" {
			text = html.UnescapeString(text)
		}
		texts[rel] = text
		return nil
	})
	if err != nil {
		t.Fatalf("read the output directory: %v", err)
	}
	return texts
}

// checkNoSecrets fails for every text that holds one of secrets, in any of
// the spellings a report or URL might use.
func checkNoSecrets(t *testing.T, texts map[string]string, secrets []string) {
	t.Helper()
	for name, text := range texts {
		for _, s := range secrets {
			for _, form := range []string{s, url.QueryEscape(s), base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s))} {
				if strings.Contains(text, form) {
					t.Errorf("%s contains a secret (%d characters)", name, len(s))
				}
			}
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
