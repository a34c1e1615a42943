package refidp

import (
	"html/template"
	"net/http"
)

// pages are the HTML the browser sees: the login form, the consent page and
// the error page shown when the request cannot be sent back to the client.
var pages = template.Must(template.New("pages").Parse(`
{{define "head"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.}} - refidp</title>
<style>body{font-family:sans-serif;max-width:24rem;margin:3rem auto}label,input,button{display:block;margin:.4rem 0}.error{color:#b00}</style>
</head><body>{{end}}

{{define "login"}}{{template "head" "Sign in"}}
<h1>Sign in</h1>
{{if .Error}}<p class="error" id="error">{{.Error}}</p>{{end}}
<form method="post" action="/login">
<input type="hidden" name="return" value="{{.Return}}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button id="login" type="submit">Sign in</button>
</form>
</body></html>{{end}}

{{define "identifier"}}{{template "head" "Sign in"}}
<h1>Sign in</h1>
{{if .Error}}<p class="error" id="error">{{.Error}}</p>{{end}}
<form method="post" action="/login/identifier">
<input type="hidden" name="return" value="{{.Return}}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username">
<button id="next" type="submit">Next</button>
</form>
</body></html>{{end}}

{{define "password"}}{{template "head" "Sign in"}}
<h1>Enter your password</h1>
{{if .Error}}<p class="error" id="error">{{.Error}}</p>{{end}}
<form method="post" action="/login">
<input type="hidden" name="return" value="{{.Return}}">
<input type="hidden" name="username" value="{{.Username}}">
<p>Signing in as {{.Username}}</p>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button id="login" type="submit">Sign in</button>
</form>
</body></html>{{end}}

{{define "consent"}}{{template "head" "Consent"}}
<h1>Allow access?</h1>
<p>The application <strong>{{.ClientID}}</strong> asks for access{{if .Scope}} to: {{.Scope}}{{end}}.</p>
<form method="post" action="/consent">
<input type="hidden" name="request" value="{{.Request}}">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<button id="approve" type="submit" name="action" value="approve">Allow</button>
<button id="deny" type="submit" name="action" value="deny">Deny</button>
</form>
</body></html>{{end}}

{{define "formpost"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Submit - refidp</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{index . 0}}" value="{{index . 1}}">
{{end}}<noscript><button type="submit">Continue</button></noscript>
</form>
</body></html>{{end}}

{{define "error"}}{{template "head" "Error"}}
<h1>Request refused</h1>
<p id="error">{{.}}</p>
</body></html>{{end}}
`))

type loginPage struct {
	Return   string
	Username string // the password page of the two-step login
	Error    string
}

// formPostPage is a form_post response: the parameters, posted to the
// redirect URI by the user agent (OAuth 2.0 Form Post Response Mode).
type formPostPage struct {
	Action string
	Fields [][2]string
}

type consentPage struct {
	ClientID, Scope, Request, CSRF string
}

// render writes one page with the given status.
func render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_ = pages.ExecuteTemplate(w, name, data)
}

// errorPage shows an error to the user instead of redirecting: used when the
// client or its redirect URI cannot be trusted.
func errorPage(w http.ResponseWriter, status int, msg string) {
	render(w, status, "error", msg)
}
