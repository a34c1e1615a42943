package hydra

import "html/template"

// pageData fills the login app's templates.
type pageData struct {
	Challenge string
	Client    string
	Username  string
	Scopes    []string
	Message   string
}

// layout wraps every page; the element ids are the selectors profiles use
// (UsernameSelector, PasswordSelector, SubmitSelector, ConsentSelector).
const layout = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{template "title" .}}</title>
<style>
body { font-family: sans-serif; max-width: 26rem; margin: 3rem auto; }
label, input, button { display: block; margin: 0.4rem 0; }
input { width: 100%; padding: 0.3rem; }
.error { color: #a00; }
</style>
</head>
<body>
{{template "body" .}}
</body>
</html>
`

var (
	loginPage = template.Must(template.Must(template.New("login").Parse(layout)).Parse(`
{{define "title"}}Sign in{{end}}
{{define "body"}}
<h1>Sign in</h1>
<p>to continue to <strong id="client">{{.Client}}</strong></p>
{{if .Message}}<p class="error" id="login-error" role="alert">{{.Message}}</p>{{end}}
<form id="login-form" method="post" action="login" autocomplete="off">
<input type="hidden" name="login_challenge" value="{{.Challenge}}">
<label for="username">Username</label>
<input type="text" id="username" name="username" value="{{.Username}}" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" required>
<button type="submit" id="login-submit">Sign in</button>
</form>
{{end}}`))

	consentPage = template.Must(template.Must(template.New("consent").Parse(layout)).Parse(`
{{define "title"}}Allow access{{end}}
{{define "body"}}
<h1>Allow access</h1>
<p><strong id="client">{{.Client}}</strong> asks to act for <strong id="subject">{{.Username}}</strong> with these scopes:</p>
<ul id="scopes">{{range .Scopes}}<li>{{.}}</li>{{else}}<li>(none)</li>{{end}}</ul>
<form id="consent-form" method="post" action="consent">
<input type="hidden" name="consent_challenge" value="{{.Challenge}}">
<button type="submit" id="consent-accept">Allow</button>
</form>
{{end}}`))

	errorPage = template.Must(template.Must(template.New("error").Parse(layout)).Parse(`
{{define "title"}}Error{{end}}
{{define "body"}}
<h1>Error</h1>
<p class="error" id="error-message">{{.Message}}</p>
{{end}}`))
)
