package profiles

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// reservedAuthorizeParams are the authorization request parameters
// pkcecheck sets itself (the probes vary them), with what to do instead:
// authorize_params may not name them.
var reservedAuthorizeParams = map[string]string{
	"code_challenge":        "the PKCE parameters are what the suites probe",
	"code_challenge_method": "the PKCE parameters are what the suites probe",
	"code_verifier":         "the PKCE parameters are what the suites probe",
	"client_id":             "the client is clients.*.id",
	"client_secret":         "the client's secret is clients.*.secret, sent to the token endpoint only",
	"client_assertion":      "client authentication is clients.*.auth_method",
	"client_assertion_type": "client authentication is clients.*.auth_method",
	"redirect_uri":          "the redirect URI is clients.*.redirect_uri",
	"response_type":         "pkcecheck tests the authorization code flow (response_type=code)",
	"response_mode":         "pkcecheck reads the code from the redirect's query",
	"scope":                 "the scopes are clients.*.scopes",
	"state":                 "pkcecheck sends a fresh state with every request and checks it",
	"nonce":                 "pkcecheck sends a fresh nonce with every request whose scope has openid",
	"request":               "a request object would replace the parameters the suites probe",
	"request_uri":           "a request object would replace the parameters the suites probe",
}

// authorizeParams decodes authorize_params: extra parameters sent with
// every authorization request (audience, resource, acr_values, prompt,
// login_hint, ui_locales, ...), in the file's order.
//
// In YAML:
//
//	authorize_params:
//	  audience: https://api.example.com
//	  prompt: login
func (d *decoder) authorizeParams(top *object) [][2]string {
	f, ok := top.fields["authorize_params"]
	if !ok {
		return nil
	}
	n := resolve(f.val)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "authorize_params must be a mapping of parameter names to values, not %s", describe(n))
		return nil
	}
	var out [][2]string
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		switch why, reserved := reservedAuthorizeParams[strings.ToLower(name)]; {
		case k.Kind != yaml.ScalarNode || name == "":
			d.errorf(k, "authorize_params: a parameter name must be a non-empty string")
			continue
		case reserved:
			d.errorf(k, "authorize_params.%s is set by pkcecheck itself and cannot be given here: %s", name, why)
			continue
		case seen[name]:
			d.errorf(k, "authorize_params.%s is given twice", name)
			continue
		}
		seen[name] = true
		s := d.scalarNode("authorize_params."+name, v)
		if !s.ok {
			if isNull(s.node) {
				d.errorf(v, "authorize_params.%s needs a value", name)
			}
			continue
		}
		out = append(out, [2]string{name, s.value})
	}
	return out
}

// ReservedAuthorizeParam reports whether pkcecheck sets the authorization
// request parameter name itself (authorize_params may not name it), and
// where the profile sets it instead.
func ReservedAuthorizeParam(name string) (where string, ok bool) {
	where, ok = reservedAuthorizeParams[strings.ToLower(name)]
	return where, ok
}
