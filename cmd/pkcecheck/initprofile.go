package main

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
)

// renderProfile is the profile init writes: what the flags say, what the
// metadata says (meta; nil before discovery or without metadata), each
// value with a comment saying where it came from, and the login as the
// recorded steps (steps; without any, the test account, for detection).
// modes says which response modes init tried (nil: none, the metadata's
// are taken).
func renderProfile(f *initFlags, meta *discovery.Metadata, steps []recordedStep, modes modeTrial) string {
	w := &yamlWriter{}
	src := "no metadata was read"
	if meta != nil {
		src = "the metadata at " + meta.Source
	}
	w.comment(0, "Written by `pkcecheck init` (pkcecheck "+version()+") from the flags given, "+src+
		", and one login in Chromium whose steps are recorded below. Secrets are ${VAR} references: set the variables before a run.")
	w.line(0, "name: %s", quoted(orDefault(f.name, hostOf(f.issuer, f.authEndpoint))))
	if f.issuer != "" {
		w.line(0, "issuer: %s", quoted(literal(f.issuer)))
	}
	if f.authEndpoint != "" || f.tokenEndpoint != "" {
		w.comment(0, "given with --authorization-endpoint and --token-endpoint; they win over the metadata's")
		w.line(0, "endpoints:")
		if f.authEndpoint != "" {
			w.line(1, "authorization: %s", quoted(literal(f.authEndpoint)))
		}
		if f.tokenEndpoint != "" {
			w.line(1, "token: %s", quoted(literal(f.tokenEndpoint)))
		}
	}
	if len(f.scopeHosts) > 0 {
		w.comment(0, "given with --scope-host: other hosts of the provider (login pages, endpoints)")
		w.line(0, "scope: {hosts: [%s]}", joinQuoted(f.scopeHosts))
	}
	if meta != nil {
		writePAR(w, meta)
	}
	writeClients(w, f, meta)
	writeLogin(w, f, steps)
	writeFlows(w, meta, modes)
	writePolicy(w, meta)
	w.comment(0, "timeout bounds each login step and each request. No requests_per_second: on 127.0.0.1 a run is not paced; "+
		"elsewhere it takes the default of 5 requests/s.")
	w.line(0, "limits:")
	w.line(1, "timeout: %s", f.timeout)
	return w.String()
}

// writePAR notes what the metadata says of pushed authorization requests: the
// run follows it, the profile has nothing to set.
func writePAR(w *yamlWriter, meta *discovery.Metadata) {
	switch {
	case meta.RequirePushedAuthorizationRequests:
		w.comment(0, "The metadata sets require_pushed_authorization_requests: every authorization request, the login's too, is "+
			"pushed to "+meta.PushedAuthorizationRequestEndpoint+" first (RFC 9126); nothing to set here.")
	case meta.PushedAuthorizationRequestEndpoint != "":
		w.comment(0, "The metadata names a PAR endpoint ("+meta.PushedAuthorizationRequestEndpoint+"): the rfc9126.* requirements probe it.")
	}
}

// writeClients writes the clients section: the public ones first, then the
// confidential ones, each authentication method from the metadata.
func writeClients(w *yamlWriter, f *initFlags, meta *discovery.Metadata) {
	scopes, scopesWhy := requestScopes(f, meta)
	w.line(0, "clients:")
	for i, id := range f.public {
		key := "public"
		if i == 1 {
			key = "other"
		}
		w.line(1, "%s:", key)
		w.line(2, "id: %s", quoted(literal(id)))
		w.comment(2, publicWhy(meta))
		w.line(2, "auth_method: none")
		writeClient(w, f, scopes, scopesWhy, 2)
		if i == 0 {
			w.comment(2, "To check rfc6749.redirect-keeps-query, register a second redirect URI with a query of its own and add:")
			w.comment(2, "redirect_uri_with_query: "+f.redirectURI+"?from=pkcecheck")
		}
	}
	method, methodWhy := secretMethod(meta)
	for i, id := range f.confidential {
		ind := 2
		switch i {
		case 0:
			w.line(1, "confidential:")
		case 1:
			w.comment(1, "more confidential clients: the per-authentication-method checks run for each")
			w.line(1, "extra:")
			fallthrough
		default:
			ind = 3
			w.line(2, "- id: %s", quoted(literal(id)))
		}
		if i == 0 {
			w.line(ind, "id: %s", quoted(literal(id)))
		}
		w.comment(ind, "the secret is read from $"+f.secretVar(i)+" (--client-secret-var)")
		w.line(ind, "secret: %s", quoted(ref(f.secretVar(i))))
		w.comment(ind, methodWhy)
		w.line(ind, "auth_method: %s", method)
		writeClient(w, f, scopes, scopesWhy, ind)
	}
}

// writeClient writes a client's redirect URI and scopes.
func writeClient(w *yamlWriter, f *initFlags, scopes []string, why string, ind int) {
	w.line(ind, "redirect_uri: %s", quoted(literal(f.redirectURI)))
	w.comment(ind, why)
	if len(scopes) > 0 {
		w.line(ind, "scopes: [%s]", joinQuoted(scopes))
	}
}

// requestScopes are the scopes the clients ask for, and where they came
// from.
func requestScopes(f *initFlags, meta *discovery.Metadata) ([]string, string) {
	if f.scopes != "" {
		return strings.Fields(f.scopes), "given with --scopes"
	}
	listed := metaStrings(meta, "scopes_supported")
	switch {
	case slices.Contains(listed, "openid"):
		return []string{"openid"}, "the metadata's scopes_supported lists openid (OpenID Connect): every request carries a fresh nonce"
	case meta != nil && strings.Contains(meta.Source, "openid-configuration"):
		return []string{"openid"}, "the metadata is an OpenID configuration: openid, every request with a fresh nonce"
	}
	return nil, "no openid in the metadata: plain OAuth requests, no nonce (--scopes to ask for some)"
}

// publicWhy says what the metadata says of public clients.
func publicWhy(meta *discovery.Metadata) string {
	switch {
	case meta == nil:
		return "a public client (--client-id): no client authentication"
	case slices.Contains(meta.TokenEndpointAuthMethodsSupported, profiles.AuthNone):
		return "a public client (--client-id); token_endpoint_auth_methods_supported lists none"
	}
	return "a public client (--client-id); note: token_endpoint_auth_methods_supported " + list(meta.TokenEndpointAuthMethodsSupported) + " does not list none"
}

// secretMethod is the authentication method of a client with a secret:
// client_secret_basic where the metadata lists it (or lists nothing, RFC
// 8414's default), else client_secret_post.
func secretMethod(meta *discovery.Metadata) (string, string) {
	if meta == nil || len(meta.TokenEndpointAuthMethodsSupported) == 0 {
		return profiles.AuthClientSecretBasic, "no token_endpoint_auth_methods_supported: client_secret_basic, RFC 8414's default"
	}
	listed := meta.TokenEndpointAuthMethodsSupported
	why := "from token_endpoint_auth_methods_supported " + list(listed)
	for _, m := range []string{profiles.AuthClientSecretBasic, profiles.AuthClientSecretPost} {
		if slices.Contains(listed, m) {
			return m, why + " (change it if this client is registered for another)"
		}
	}
	return profiles.AuthClientSecretBasic, why + ": none takes a secret, client_secret_basic assumed"
}

// writeFlows writes the response modes the metadata offers besides
// query, those init tried only where the public client got a code.
func writeFlows(w *yamlWriter, meta *discovery.Metadata, tried modeTrial) {
	var modes []string
	listed := metaStrings(meta, "response_modes_supported")
	for _, m := range []string{profiles.ResponseModeFormPost, profiles.ResponseModeFragment} {
		if !slices.Contains(listed, m) {
			continue
		}
		if why, ok := tried[m]; ok && why != "" {
			w.comment(0, "response_modes_supported lists "+m+", but the public client got no code that way when init tried: "+why)
			continue
		}
		modes = append(modes, m)
	}
	if len(modes) == 0 {
		w.comment(0, "No form_post or fragment response for the public client: rfc7636.form-post-enforced and "+
			"rfc7636.fragment-enforced are skipped (add flows.response_modes if it may use them).")
		return
	}
	how := "untried"
	if tried != nil {
		how = "each tried by init: the public client got a code that way"
	}
	w.comment(0, "from response_modes_supported "+list(listed)+" ("+how+"): PKCE is checked on codes returned this way too")
	w.line(0, "flows:")
	w.line(1, "response_modes: [%s]", strings.Join(modes, ", "))
}

// writePolicy writes the defaults, each choice explained.
func writePolicy(w *yamlWriter, meta *discovery.Metadata) {
	w.comment(0, "What is binding. The defaults: the strict reading of RFC 7636, RFC 6749 and RFC 9700.")
	w.line(0, "policy:")
	w.comment(1, "none: PKCE optional (judged only when sent) | public: required of public clients | all: of every client")
	w.line(1, "pkce_required: %s", profiles.PKCERequiredPublic)
	w.comment(1, "forbidden: a server accepting code_challenge_method=plain fails rfc7636.plain-policy | allowed: plain may be "+
		"accepted (and must be verified correctly). "+methodsWhy(meta))
	w.line(1, "plain: %s", profiles.PlainForbidden)
	w.comment(1, "strict: token errors use RFC 6749 §5.2's codes (invalid_grant for a wrong verifier) | lenient: invalid_request is accepted too")
	w.line(1, "error_codes: %s", profiles.ErrorCodesStrict)
	w.comment(1, "base: the RFCs as published | oauth2.1-draft16: also OAuth 2.1 draft 16 (method required, plain prohibited, iss required)")
	if meta != nil && meta.AuthorizationResponseIssParameterSupported {
		w.comment(1, "the metadata sets authorization_response_iss_parameter_supported: rfc9207.iss-required is judged under both")
	}
	w.line(1, "profile: %s", profiles.ProfileBase)
}

// methodsWhy says what the metadata advertises of PKCE methods.
func methodsWhy(meta *discovery.Metadata) string {
	switch {
	case meta == nil:
		return "(no metadata read)"
	case !meta.HasCodeChallengeMethods:
		return "The metadata has no code_challenge_methods_supported (rfc8414.methods-advertised warns)."
	}
	return "The metadata's code_challenge_methods_supported: " + list(meta.CodeChallengeMethodsSupported) + "."
}

// writeLogin writes the login: the recorded steps, each with how it was found;
// without them, the test account for detection.
func writeLogin(w *yamlWriter, f *initFlags, steps []recordedStep) {
	w.line(0, "login:")
	var given, consent []recordedStep
	for _, s := range steps {
		if s.consent {
			consent = append(consent, s)
		} else {
			given = append(given, s)
		}
	}
	if len(given) == 0 {
		w.comment(1, "the test account: pkcecheck finds the login and consent pages' fields and buttons itself")
		w.line(1, "username: %s", quoted(ref(f.userVar)))
		w.line(1, "password: %s", quoted(ref(f.passVar)))
		if f.totpVar != "" {
			w.line(1, "totp_secret: %s", quoted(ref(f.totpVar)))
		}
		return
	}
	w.comment(1, "Recorded from the login init made: each step waits for its element, in order. Where the pages change, fix a "+
		"step (`pkcecheck login` lists what a page offers when a step gets stuck), or replace login by "+
		"username: \"${"+f.userVar+"}\" and password: \"${"+f.passVar+"}\" to let pkcecheck find its way on every run.")
	w.line(1, "steps:")
	for _, s := range given {
		writeStep(w, s)
	}
	if len(consent) > 0 {
		w.comment(1, "each done only when its element shows (consent once per client, \"stay signed in?\")")
		w.line(1, "consent:")
		for _, s := range consent {
			writeStep(w, s)
		}
	}
}

// writeStep writes one step with the comment saying how it was found.
func writeStep(w *yamlWriter, s recordedStep) {
	w.comment(2, fmt.Sprintf("%s page, detected: %s", s.page, s.why))
	st := s.step
	var kv []string
	add := func(k, v string) { kv = append(kv, k+": "+quoted(v)) }
	switch st.Kind() {
	case profiles.KindFill:
		add("fill", literal(st.Fill))
		add("value", st.Value) // a ${VAR} reference
	case profiles.KindTOTP:
		add("totp", literal(st.TOTP))
		add("secret", st.Secret) // a ${VAR} reference
		if st.Digits != 0 {
			kv = append(kv, "digits: "+strconv.Itoa(st.Digits))
		}
	case profiles.KindSelect:
		add("select", literal(st.Select))
		add("value", literal(st.Value))
	case profiles.KindClickText:
		add("click_text", literal(st.ClickText))
	case profiles.KindClickIfPresent:
		add("click_if_present", literal(st.ClickIfPresent))
	case profiles.KindWait:
		add("wait", literal(st.Wait))
	default:
		add("click", literal(st.Click))
	}
	if st.Frame != "" {
		add("frame", literal(st.Frame))
	}
	w.line(2, "- {%s}", strings.Join(kv, ", "))
}

// metaStrings is a list of strings of the metadata document (nil when
// absent or not a list of strings).
func metaStrings(meta *discovery.Metadata, key string) []string {
	if meta == nil {
		return nil
	}
	raw, _ := meta.Raw[key].([]any)
	var out []string
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// list shows a metadata list as YAML would.
func list(v []string) string { return "[" + strings.Join(v, ", ") + "]" }

// hostOf is the host of the first URL that has one.
func hostOf(urls ...string) string {
	for _, raw := range urls {
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			return u.Host
		}
	}
	return "target"
}

// orDefault is s, or d when s is empty.
func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func joinQuoted(v []string) string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = quoted(literal(s))
	}
	return strings.Join(out, ", ")
}

// quoted is s as a YAML scalar: single-quoted when it holds a double
// quote and nothing single quotes cannot carry (selectors such as
// input[name="login"] read as written), else double-quoted.
func quoted(s string) string {
	printable := !strings.ContainsFunc(s, func(r rune) bool { return !strconv.IsPrint(r) })
	if strings.Contains(s, `"`) && !strings.Contains(s, "'") && printable {
		return "'" + s + "'"
	}
	return strconv.Quote(s)
}

// yamlWriter builds the profile text line by line, two spaces an indent.
type yamlWriter struct{ b strings.Builder }

func (w *yamlWriter) line(ind int, format string, args ...any) {
	w.b.WriteString(strings.Repeat("  ", ind))
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

// comment writes text as comment lines at indent ind, wrapped at about 110
// columns, one line of the page's text never more than that.
func (w *yamlWriter) comment(ind int, text string) {
	text = strings.Join(strings.Fields(text), " ")
	prefix := strings.Repeat("  ", ind) + "# "
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(prefix)+len(line)+1+len(word) > 120 {
			w.b.WriteString(prefix + line + "\n")
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		w.b.WriteString(prefix + line + "\n")
	}
}

func (w *yamlWriter) String() string { return w.b.String() }
