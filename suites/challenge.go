package suites

import (
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// headerSchemes maps the client authentication methods that send the
// Authorization request header to the HTTP authentication scheme they use.
// RFC 6749 §5.2: a 401 answer to such a client MUST carry a
// WWW-Authenticate challenge "matching the authentication scheme used by
// the client".
var headerSchemes = map[string]string{
	profiles.AuthClientSecretBasic: "Basic",
}

// secretPairs are the (client, method) pairs of the profile that
// authenticate with a client secret, which a wrong secret can fail.
func secretPairs(p *profiles.Profile) []authPair {
	var out []authPair
	for _, ap := range authPairs(p) {
		if ap.client.Secret != "" && (ap.client.AuthMethod == profiles.AuthClientSecretBasic || ap.client.AuthMethod == profiles.AuthClientSecretPost) {
			out = append(out, ap)
		}
	}
	return out
}

// registerWrongSecret registers the rfc6749.error-response probes with a
// wrong client secret: one for each client and secret-based method of the
// profile (skipped without a confidential client). The answer must be an
// invalid_client error; a 401 to a client that used the Authorization
// header must challenge with that client's scheme.
func registerWrongSecret(t *Target) {
	pairs := secretPairs(t.Profile)
	if len(pairs) == 0 {
		ginkgo.It("say invalid_client for a wrong client secret", func(ctx ginkgo.SpecContext) {
			needClient(t.Profile.Clients.Confidential, "confidential")
			ginkgo.Skip("no client of the profile authenticates with a client secret")
		})
		return
	}
	for _, ap := range pairs {
		name := fmt.Sprintf("say invalid_client for a wrong client secret: %s (%s)", ap.role, ap.client.AuthMethod)
		ginkgo.It(name, func(ctx ginkgo.SpecContext) {
			c := ap.client
			pair := newPair(43)
			code := t.mustCode(ctx, c, s256(pair))
			wrong := *c
			wrong.Secret = "wrong-" + randomState()
			r := t.redeem(ctx, "wrong client secret, "+c.AuthMethod, &wrong, code, &pair.Verifier)
			if r.Issued() {
				failAs(gravityTokens, fmt.Sprintf("tokens issued (HTTP %d) for a wrong client secret", r.Status))
			}
			problems := t.formProblems(r, true)
			if p := challengeProblem(r, c.AuthMethod); p != "" {
				problems = append(problems, p)
			}
			if len(problems) > 0 {
				failAs(gravityForm, fmt.Sprintf("refused (no tokens) with %s, but %s", t.seen(r), strings.Join(problems, "; ")))
			}
		})
	}
}

// challengeProblem says what is wrong with the WWW-Authenticate of a 401
// answer to a client that authenticated with method; "" when nothing is
// (or the method does not use the Authorization header, or the status is
// not 401).
func challengeProblem(r *tokenclient.Response, method string) string {
	scheme, ok := headerSchemes[method]
	if !ok || r.Status != 401 {
		return ""
	}
	values := r.Header.Values("WWW-Authenticate")
	if len(values) == 0 {
		return fmt.Sprintf("the 401 has no WWW-Authenticate; RFC 6749 §5.2 requires a %s challenge for a %s client", scheme, method)
	}
	got := challengeSchemes(values)
	for _, s := range got {
		if strings.EqualFold(s, scheme) {
			return ""
		}
	}
	return fmt.Sprintf("the 401 challenges with WWW-Authenticate scheme %s; RFC 6749 §5.2 requires %s, the scheme the %s client used",
		strings.Join(got, ", "), scheme, method)
}

// challengeSchemes returns the auth-schemes of WWW-Authenticate values
// (RFC 9110 §11.6.1): a challenge is a scheme token, then optionally a
// token68 or comma-separated auth-params; a comma-separated item that is a
// bare token followed by a space or nothing (not by "=") starts a new
// challenge.
func challengeSchemes(values []string) []string {
	var out []string
	for _, v := range values {
		for _, item := range splitOutsideQuotes(v) {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			tok, rest, _ := strings.Cut(item, " ")
			if strings.Contains(tok, "=") {
				continue // an auth-param of the previous challenge
			}
			if rest == "" || !strings.HasPrefix(strings.TrimSpace(rest), "=") {
				out = append(out, tok)
			}
		}
	}
	if len(out) == 0 {
		out = []string{"(none readable)"}
	}
	return out
}

// splitOutsideQuotes splits s at commas that are not inside a
// quoted-string.
func splitOutsideQuotes(s string) []string {
	var out []string
	quoted, escaped, start := false, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case escaped:
			escaped = false
		case c == '\\' && quoted:
			escaped = true
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
