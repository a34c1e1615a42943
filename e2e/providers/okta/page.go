package okta

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
)

// bundles are the widget files the hosted page loads, by generation.
var bundles = map[Generation][2]string{
	Gen2: {"js/okta-sign-in.min.js", "css/okta-sign-in.min.css"},
	Gen3: {"js/okta-sign-in.next.js", "css/okta-sign-in.next.css"},
}

// signInPage is the org's hosted sign-in page as Okta serves it at
// /oauth2/default/v1/authorize: the widget bundle and a bootstrap that
// starts it from the IDX transaction's state handle (the "stateToken" of
// the widget's configuration), which makes the widget introspect it.
func (s *Server) signInPage(w http.ResponseWriter, handle string) {
	b := bundles[s.opts.Gen]
	config, err := json.Marshal(map[string]any{
		"el":         "#okta-login-container",
		"baseUrl":    s.origin,
		"stateToken": handle,
		"assets":     map[string]string{"baseUrl": s.origin + "/assets"},
		"language":   "en",
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>pkcecheck-emulated-org - Sign In</title>
<link href="/assets/%s" type="text/css" rel="stylesheet">
<script src="/assets/%s"></script>
</head>
<body>
<div id="okta-login-container"></div>
<script>
var oktaSignIn = new OktaSignIn(%s);
oktaSignIn.renderEl({el: '#okta-login-container'}, function () {}, function (err) { console.error('widget error: ' + err); });
</script>
</body>
</html>
`, html.EscapeString(b[1]), html.EscapeString(b[0]), config)
}
