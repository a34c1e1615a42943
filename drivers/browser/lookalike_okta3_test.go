package browser

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// ---- Okta, Sign-In Widget Gen3 -----------------------------------------
//
// The Gen3 widget (okta/okta-signin-widget, src/v3) is a Preact single-page
// app: one document, one form.o-form whose content is re-rendered for each
// step from the IDX API's answers; nothing navigates until the final
// redirect. Its markup, as the widget's Jest snapshots show it
// (src/v3/test/integration/__snapshots__: identify-with-password,
// authenticator-verification-select-authenticator,
// authenticator-verification-google-authenticator; the uischema snapshots
// of transformKeepMeSignedIn and transformEnduserConsent;
// src/v3/src/transformer/testAttribute/transform.ts):
//   - MUI elements, no data-type attributes. Fields carry name, id and
//     data-se = the input's name (identifier, credentials.passcode; the
//     password type="password", the Google Authenticator code type="text"
//     inputmode="numeric").
//   - The submit button of every step is button[type="submit"]
//     [data-se="save"] ("Next", "Verify", "Sign in" when identifier and
//     password share the page).
//   - The authenticator list: button[data-se="authenticator-button"]
//     (type="button", aria-label "Select Google Authenticator.") holding a
//     div[data-se="google_otp"] (okta_password, okta_email, ...).
//   - Keep me signed in: button[data-se="stay-signed-in-btn"] "Stay signed
//     in" and [data-se="do-not-stay-signed-in-btn"] (type="button").
//   - Consent: "Allow Access", a type="button" with data-se="save"; "Cancel"
//     data-se="cancel".
// Inputs are controlled: the widget submits its own state, fed by input
// events, not the DOM values; so does this page.

// okta3Options are the Gen3 lookalike's switches besides the common ones.
type okta3Options struct {
	// identifyWithPassword shows identifier and password on one page (an
	// org whose policy asks for the password with the identifier).
	identifyWithPassword bool
}

// okta3View is one IDX answer: the HTML that goes into the form, where its
// submit goes, and the type="button" actions (by selector), or a redirect.
type okta3View struct {
	HTML     string        `json:"html,omitempty"`
	Submit   string        `json:"submit,omitempty"`
	Required []string      `json:"required,omitempty"`
	Actions  []okta3Action `json:"actions,omitempty"`
	Redirect string        `json:"redirect,omitempty"`
	Error    string        `json:"error,omitempty"`
	// Fixed is sent with the submit besides the fields (the remediation's
	// immutable data: the authenticator a challenge is for).
	Fixed map[string]any `json:"fixed,omitempty"`
}

// okta3Action is a button that posts params to path when clicked.
type okta3Action struct {
	Selector string         `json:"selector"`
	Path     string         `json:"path"`
	Params   map[string]any `json:"params,omitempty"`
}

// okta3Lookalike serves an Okta Identity Engine org with the Gen3 widget
// and a custom authorization server "default": /oauth2/default/v1/authorize
// answers the widget's page (it renders after l.delay, as the bundle
// loads), whose script drives the IDX endpoints below with fetch: identify,
// password, then, with a TOTP secret set, the authenticator list and the
// Google Authenticator challenge, then "Keep me signed in" and, with
// consent on, the consent page; the last answer sends the browser to
// /login/token/redirect, which redirects to the client with the code.
func okta3Lookalike(t *testing.T, o okta3Options, configure func(*lookalike)) *lookalike {
	l := newLookalike(t)
	l.delay = 300 * time.Millisecond
	if configure != nil {
		configure(l)
	}
	l.mux.HandleFunc("/oauth2/default/v1/authorize", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.begin(w, r)
		if !ok {
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		first := okta3Identify(o.identifyWithPassword, "")
		boot, _ := json.Marshal(map[string]any{"stateHandle": tx.id, "view": first, "delay": l.delay.Milliseconds()})
		fmt.Fprintf(w, okta3Shell, boot)
	})
	l.mux.HandleFunc("/idp/idx/identify", l.okta3Handler(func(tx *idpTx, in map[string]any) (okta3View, int) {
		if jsonString(in, "identifier") != l.user {
			l.record("identify unknown user")
			return okta3Identify(o.identifyWithPassword, "There is no account with the Username "+jsonString(in, "identifier")+"."), http.StatusBadRequest
		}
		l.record("identify")
		tx.user = l.user
		if !o.identifyWithPassword {
			return okta3Password(tx, ""), http.StatusOK
		}
		return l.okta3Passcode(tx, jsonString(in, "credentials.passcode"))
	}))
	l.mux.HandleFunc("/idp/idx/challenge/answer", l.okta3Handler(func(tx *idpTx, in map[string]any) (okta3View, int) {
		if tx.user == "" {
			return okta3View{Error: "no identifier"}, http.StatusBadRequest
		}
		if jsonString(in, "authenticator") == "google_otp" {
			if !l.checkTOTP(jsonString(in, "credentials.passcode")) {
				l.record("totp wrong")
				return okta3GoogleOTP(tx, "Invalid code. Try again."), http.StatusBadRequest
			}
			l.record("totp")
			tx.authenticated = true
			return okta3KMSI(tx), http.StatusOK
		}
		return l.okta3Passcode(tx, jsonString(in, "credentials.passcode"))
	}))
	l.mux.HandleFunc("/idp/idx/challenge", l.okta3Handler(func(tx *idpTx, in map[string]any) (okta3View, int) {
		if tx.user == "" || jsonString(in, "authenticator") != "google_otp" {
			return okta3View{Error: "unexpected challenge"}, http.StatusBadRequest
		}
		l.record("select google_otp")
		return okta3GoogleOTP(tx, ""), http.StatusOK
	}))
	l.mux.HandleFunc("/idp/idx/keep-me-signed-in", l.okta3Handler(func(tx *idpTx, in map[string]any) (okta3View, int) {
		if !tx.authenticated {
			return okta3View{Error: "not authenticated"}, http.StatusBadRequest
		}
		stay := "no"
		if in["keepMeSignedIn"] == true {
			stay = "yes"
		}
		l.record("stay signed in: %s", stay)
		if l.consent {
			return okta3Consent(tx), http.StatusOK
		}
		return okta3View{Redirect: "/login/token/redirect?stateToken=" + url.QueryEscape(tx.id)}, http.StatusOK
	}))
	l.mux.HandleFunc("/idp/idx/consent", l.okta3Handler(func(tx *idpTx, in map[string]any) (okta3View, int) {
		if !tx.authenticated {
			return okta3View{Error: "not authenticated"}, http.StatusBadRequest
		}
		if in["consent"] != true {
			l.record("consent denied")
			return okta3View{Error: "access denied"}, http.StatusForbidden
		}
		l.record("consent")
		return okta3View{Redirect: "/login/token/redirect?stateToken=" + url.QueryEscape(tx.id)}, http.StatusOK
	}))
	l.mux.HandleFunc("/login/token/redirect", func(w http.ResponseWriter, r *http.Request) {
		tx, ok := l.tx(w, r, "stateToken")
		if !ok || !tx.authenticated {
			if ok {
				http.Error(w, "not authenticated", http.StatusBadRequest)
			}
			return
		}
		l.finish(w, r, tx)
	})
	return l
}

// okta3Handler decodes an IDX request (JSON with the stateHandle), finds
// its transaction and answers the view next returns.
func (l *lookalike) okta3Handler(next func(tx *idpTx, in map[string]any) (okta3View, int)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil {
			http.Error(w, "POST a JSON object", http.StatusBadRequest)
			return
		}
		l.mu.Lock()
		tx := l.txs[jsonString(in, "stateHandle")]
		l.mu.Unlock()
		if tx == nil {
			http.Error(w, "unknown stateHandle", http.StatusBadRequest)
			return
		}
		v, status := next(tx, in)
		w.Header().Set("Content-Type", "application/ion+json; okta-version=1.0.0")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
}

// okta3Passcode checks the password; then the authenticator list (TOTP
// set) or "Keep me signed in".
func (l *lookalike) okta3Passcode(tx *idpTx, passcode string) (okta3View, int) {
	if passcode != l.password {
		l.record("password wrong")
		return okta3Password(tx, "Password is incorrect"), http.StatusUnauthorized
	}
	l.record("password")
	if l.totpSecret != "" {
		return okta3Authenticators(tx), http.StatusOK
	}
	tx.authenticated = true
	return okta3KMSI(tx), http.StatusOK
}

// jsonString reads a string field of a decoded JSON object.
func jsonString(in map[string]any, k string) string {
	s, _ := in[k].(string)
	return s
}

// ---- Gen3 markup -------------------------------------------------------

// okta3Element wraps one uischema element in the layout's box.
func okta3Element(inner string) string {
	return `<div class="MuiBox-root emotion-18">` + inner + `</div>`
}

func okta3Title(title string) string {
	return okta3Element(`<div class="MuiBox-root emotion-19"><h1 class="MuiTypography-root MuiTypography-h4 emotion-20" data-se="o-form-head" tabindex="-1">` + esc(title) + `</h1></div>`)
}

func okta3Explain(text string) string {
	return okta3Element(`<div class="MuiBox-root emotion-19"><p class="MuiTypography-root MuiTypography-body1 emotion-23" data-se="o-form-explain" tabindex="-1">` + esc(text) + `</p></div>`)
}

// okta3Identifier is the chip that shows who is signing in.
func okta3Identifier(user string) string {
	return okta3Element(`<div class="MuiBox-root emotion-13" data-se="identifier-container" title="` + esc(user) + `"><div data-se="identifier" translate="no">` +
		`<div class="MuiChip-icon MuiChip-iconMedium MuiBox-root emotion-15"><svg aria-label="User" class="MuiSvgIcon-root" role="img" viewBox="0 0 24 24" width="16" height="16"><title>User</title><circle cx="12" cy="8" r="4"/></svg></div>` +
		`<span class="MuiChip-label MuiChip-labelMedium emotion-17">` + esc(user) + `</span></div></div>`)
}

// okta3Field is a MUI text field; name is also its id and data-se.
func okta3Field(label, name, typ, autocomplete, extra, adornment string) string {
	adorned := ""
	if adornment != "" {
		adorned = " MuiInputBase-adornedEnd"
	}
	return okta3Element(fmt.Sprintf(`<div class="MuiFormControl-root MuiFormControl-marginNormal MuiFormControl-fullWidth emotion-22">
<label class="MuiFormLabel-root MuiInputLabel-root MuiInputLabel-formControl MuiInputLabel-outlined" data-shrink="false" for="%[2]s" id="%[2]s-label"><span>%[1]s</span></label>
<div class="MuiInputBase-root MuiInputBase-colorPrimary MuiInputBase-formControl%[6]s emotion-24" required="true">
<input aria-invalid="false" aria-labelledby="%[2]s-label" autocomplete="%[4]s" class="MuiInputBase-input emotion-25" data-se="%[2]s" id="%[2]s" name="%[2]s" required="" type="%[3]s"%[5]s>%[7]s</div>
<div class="MuiFormHelperText-root Mui-error" id="%[2]s-error" hidden></div></div>`, esc(label), esc(name), typ, autocomplete, extra, adorned, adornment))
}

// okta3PasswordField is the password input with its show/hide toggle.
func okta3PasswordField() string {
	toggle := `<div class="MuiInputAdornment-root MuiInputAdornment-positionEnd"><button aria-controls="credentials.passcode" aria-label="Show password" aria-pressed="false" class="MuiButtonBase-root MuiIconButton-root MuiIconButton-sizeMedium" tabindex="0" type="button">👁</button></div>`
	return okta3Field("Password", "credentials.passcode", "password", "current-password", ` role="textbox"`, toggle)
}

func okta3RememberMe() string {
	return okta3Element(`<fieldset class="MuiFormControl-root MuiFormControl-marginNormal emotion-41"><legend class="MuiFormLabel-root" id="rememberMe-label"> </legend>
<div aria-labelledby="rememberMe-label" class="MuiFormGroup-root" id="rememberMe"><label class="MuiFormControlLabel-root" id="rememberMe-checkbox">
<span class="MuiButtonBase-root MuiCheckbox-root"><input aria-readonly="false" class="PrivateSwitchBase-input" data-indeterminate="false" data-se="rememberMe" name="rememberMe" type="checkbox"></span>
<span class="MuiTypography-root MuiFormControlLabel-label">Keep me signed in</span></label></div></fieldset>`)
}

// okta3Button is an Odyssey button: testId (data-se) is the element's
// dataSe, else its dataType ("save" for every submit button).
func okta3Button(label, dataSe, typ, variant string) string {
	return okta3Element(fmt.Sprintf(`<button class="MuiButtonBase-root MuiButton-root MuiButton-%[4]s MuiButton-sizeMedium MuiButton-colorPrimary MuiButton-disableElevation MuiButton-fullWidth emotion-50" data-se="%[2]s" tabindex="0" type="%[3]s">%[1]s</button>`,
		esc(label), dataSe, typ, variant))
}

// okta3Link is a link-styled button (data-se from the remediation).
func okta3Link(label, dataSe string) string {
	return okta3Element(`<button class="MuiTypography-root MuiTypography-inherit MuiLink-root MuiLink-underlineAlways MuiLink-button emotion-52" data-se="` + dataSe + `" role="link" type="button">` + esc(label) + `</button>`)
}

// okta3Alert is the InfoSection callout at the top of the form.
func okta3Alert(message string) string {
	if message == "" {
		return ""
	}
	return `<div class="MuiBox-root emotion-10"><div aria-label="error" class="MuiPaper-root MuiAlert-root MuiAlert-colorError MuiAlert-calloutError" role="alert"><div class="MuiAlert-message emotion-14"><div class="MuiBox-root">` + esc(message) + `</div></div></div></div>`
}

// okta3Layout is the form's content: the callout and the vertical layout.
func okta3Layout(alert string, elements ...string) string {
	return okta3Alert(alert) + `<div class="MuiBox-root emotion-17">` + strings.Join(elements, "\n") + `</div>`
}

// okta3Identify is the first page: identifier (and password) and submit.
func okta3Identify(withPassword bool, alert string) okta3View {
	identifier := okta3Field("Username", "identifier", "text", "username", "", "")
	if !withPassword {
		return okta3View{Submit: "/idp/idx/identify", Required: []string{"identifier"}, HTML: okta3Layout(alert,
			okta3Title("Sign In"), identifier, okta3RememberMe(), okta3Button("Next", "save", "submit", "primary"),
			okta3Link("Help", "help"))}
	}
	return okta3View{Submit: "/idp/idx/identify", Required: []string{"identifier", "credentials.passcode"}, HTML: okta3Layout(alert,
		okta3Title("Sign In"), identifier, okta3PasswordField(), okta3RememberMe(), okta3Button("Sign in", "save", "submit", "primary"),
		okta3Link("Forgot password?", "forgot-password"), okta3Link("Help", "help"))}
}

// okta3Password is the password challenge.
func okta3Password(tx *idpTx, alert string) okta3View {
	return okta3View{Submit: "/idp/idx/challenge/answer", Required: []string{"credentials.passcode"}, HTML: okta3Layout(alert,
		okta3Identifier(tx.user), okta3Title("Verify with your password"), okta3PasswordField(),
		okta3Button("Verify", "save", "submit", "primary"), okta3Link("Forgot password?", "forgot-password"),
		okta3Link("Verify with something else", "switchAuthenticator"), okta3Link("Back to sign in", "cancel"))}
}

// okta3Authenticators is "Verify it's you with a security method".
func okta3Authenticators(tx *idpTx) okta3View {
	button := func(label, key string) string {
		return fmt.Sprintf(`<button aria-label="Select %[1]s." class="MuiBox-root emotion-authenticator" data-se="authenticator-button" tabindex="0" type="button">
<div class="MuiBox-root" data-se="authenticator-icon"><div aria-hidden="true" class="MuiBox-root" data-se="factor-beacon"></div></div>
<div class="MuiBox-root" data-se="authenticator-button-content"><p class="MuiTypography-root MuiTypography-h3" data-se="authenticator-button-label" translate="no">%[1]s</p></div>
<div class="MuiBox-root" data-se="%[2]s"><div class="MuiBox-root" data-se="cta-button-icon"><svg class="MuiSvgIcon-root" role="img" viewBox="0 0 24 24" width="16" height="16"><title>Select</title><path d="M8 4l8 8-8 8"/></svg></div></div></button>`,
			esc(label), key)
	}
	var actions []okta3Action
	var list []string
	for _, a := range [][2]string{{"Okta Verify", "okta_verify-push"}, {"Google Authenticator", "google_otp"}, {"Email", "okta_email"}} {
		list = append(list, button(a[0], a[1]))
		actions = append(actions, okta3Action{Selector: fmt.Sprintf(`button[aria-label="Select %s."]`, a[0]), Path: "/idp/idx/challenge",
			Params: map[string]any{"authenticator": strings.Split(a[1], "-")[0]}})
	}
	return okta3View{Actions: actions, HTML: okta3Layout("",
		okta3Identifier(tx.user), okta3Title("Verify it's you with a security method"), okta3Explain("Select from the following options"),
		okta3Element(`<div class="MuiBox-root" data-se="authenticator-verify-list">`+strings.Join(list, "\n")+`</div>`),
		okta3Link("Back to sign in", "cancel"))}
}

// okta3GoogleOTP is the Google Authenticator challenge.
func okta3GoogleOTP(tx *idpTx, alert string) okta3View {
	v := okta3View{Submit: "/idp/idx/challenge/answer", Required: []string{"credentials.passcode"}, HTML: okta3Layout(alert,
		okta3Identifier(tx.user), okta3Title("Verify with Google Authenticator"),
		okta3Explain("Enter the temporary code generated in your Google Authenticator app"),
		okta3Field("Enter code", "credentials.passcode", "text", "off", ` inputmode="numeric"`, ""),
		okta3Button("Verify", "save", "submit", "primary"), okta3Link("Verify with something else", "switchAuthenticator"),
		okta3Link("Back to sign in", "cancel"))}
	v.Fixed = map[string]any{"authenticator": "google_otp"}
	return v
}

// okta3KMSI is "Keep me signed in".
func okta3KMSI(tx *idpTx) okta3View {
	return okta3View{HTML: okta3Layout("", okta3Identifier(tx.user), okta3Title("Keep me signed in"),
		okta3Explain("Sign in and enter security methods less frequently."),
		okta3Button("Stay signed in", "stay-signed-in-btn", "button", "secondary"),
		okta3Button("Don't stay signed in", "do-not-stay-signed-in-btn", "button", "secondary")),
		Actions: []okta3Action{
			{Selector: `button[data-se="stay-signed-in-btn"]`, Path: "/idp/idx/keep-me-signed-in", Params: map[string]any{"keepMeSignedIn": true}},
			{Selector: `button[data-se="do-not-stay-signed-in-btn"]`, Path: "/idp/idx/keep-me-signed-in", Params: map[string]any{"keepMeSignedIn": false}},
		}}
}

// okta3Consent is the end-user consent page.
func okta3Consent(tx *idpTx) okta3View {
	return okta3View{HTML: okta3Layout("",
		okta3Element(`<div class="MuiBox-root" data-se="title-text"><span translate="no">pkcecheck</span></div>`),
		okta3Explain("wants to access your account"),
		okta3Element(`<div class="MuiBox-root" data-se="consent-description"><ul><li>View your profile</li><li>Allow access to your email address</li></ul></div>`),
		okta3Button("Allow Access", "save", "button", "primary"), okta3Button("Cancel", "cancel", "button", "secondary")),
		Actions: []okta3Action{
			{Selector: `button[data-se="save"]`, Path: "/idp/idx/consent", Params: map[string]any{"consent": true}},
			{Selector: `button[data-se="cancel"]`, Path: "/idp/idx/consent", Params: map[string]any{"consent": false}},
		}}
}

// okta3Shell is the widget's page; %s is the boot JSON (stateHandle, the
// first view, the render delay). The script keeps the form element and
// replaces its content per view; fields feed a data object through input
// events, and the form submits that object, not the DOM values.
const okta3Shell = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pkcecheck-dev - Sign In</title>
<style>
body { font-family: sans-serif; margin: 0; }
#okta-sign-in { max-width: 400px; margin: 40px auto; }
.MuiButton-root, [data-se="authenticator-button"] { display: flex; width: 100%%; padding: 10px; margin: 6px 0; }
.MuiInputBase-input { width: 90%%; padding: 6px; }
.MuiLink-button { background: none; border: 0; color: #1662dd; text-decoration: underline; }
</style></head>
<body><div id="okta-login-container"><p class="loading">Loading…</p></div>
<script>
(() => {
  const boot = %s;
  const root = document.getElementById('okta-login-container');
  let form = null, view = null, data = {};

  const post = async (path, body) => {
    root.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    let next;
    try {
      const res = await fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json', 'Accept': 'application/ion+json'},
        body: JSON.stringify(Object.assign({stateHandle: boot.stateHandle}, body))});
      next = await res.json();
    } catch (e) {
      next = Object.assign({}, view, {error: 'There was an unsupported response from server.'});
    }
    if (next.redirect) { window.location.assign(next.redirect); return; }
    if (next.error && !next.html) { next = Object.assign({}, view, {alertText: next.error}); }
    render(next);
  };

  const render = (v) => {
    view = v;
    data = {};
    if (!form) {
      root.innerHTML = '<main class="MuiBox-root emotion-2" data-se="auth-container main-container" dir="ltr" id="okta-sign-in" lang="en">' +
        '<div class="MuiBox-root emotion-4"><div class="MuiBox-root emotion-6" data-se="okta-sign-in-header auth-header "><h1 class="MuiTypography-root MuiTypography-h1" role="presentation" tabindex="-1"></h1></div>' +
        '<div class="MuiBox-root emotion-8"><form aria-live="polite" class="o-form MuiBox-root emotion-9" data-se="o-form" novalidate=""></form></div></div></main>';
      form = root.querySelector('form');
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        if (!view.submit) return;
        const missing = (view.required || []).filter((n) => !data[n]);
        for (const n of view.required || []) {
          const help = form.querySelector('[id="' + n + '-error"]');
          if (help) { help.hidden = !missing.includes(n); help.textContent = 'This field cannot be left blank'; }
        }
        if (missing.length) return;
        post(view.submit, Object.assign({}, data, view.fixed || {}));
      });
    }
    form.innerHTML = v.html;
    if (v.alertText) {
      form.insertAdjacentHTML('afterbegin', '<div class="MuiBox-root emotion-10"><div role="alert" class="MuiAlert-root MuiAlert-colorError"></div></div>');
      form.querySelector('[role=alert]').textContent = v.alertText;
    }
    form.querySelectorAll('input[name]').forEach((i) => {
      i.addEventListener('input', () => { data[i.name] = i.type === 'checkbox' ? i.checked : i.value; });
      i.addEventListener('change', () => { data[i.name] = i.type === 'checkbox' ? i.checked : i.value; });
    });
    for (const a of v.actions || []) {
      const b = form.querySelector(a.selector);
      if (b) b.addEventListener('click', () => post(a.path, a.params || {}));
    }
    const first = form.querySelector('input:not([type=checkbox])');
    if (first) first.focus();
  };

  setTimeout(() => render(boot.view), boot.delay);
})();
</script></body></html>`

// TestOkta3LookalikeMarkup keeps the Gen3 lookalike honest: like the Gen3
// widget it has no data-type attribute anywhere, and each step's submit is
// a button[type="submit"][data-se="save"].
func TestOkta3LookalikeMarkup(t *testing.T) {
	tx := &idpTx{id: "tx1", user: idpUser}
	views := map[string]okta3View{
		"identify": okta3Identify(false, ""), "identify with password": okta3Identify(true, "x"),
		"password": okta3Password(tx, ""), "authenticators": okta3Authenticators(tx), "google otp": okta3GoogleOTP(tx, ""),
		"keep me signed in": okta3KMSI(tx), "consent": okta3Consent(tx),
	}
	for name, v := range views {
		if strings.Contains(v.HTML, "data-type") || strings.Contains(okta3Shell, "data-type") {
			t.Errorf("%s: Gen3 markup has a data-type attribute", name)
		}
		submit := strings.Contains(v.HTML, `data-se="save" tabindex="0" type="submit"`)
		if submit != (v.Submit != "") {
			t.Errorf("%s: submit button present = %v, submit path %q", name, submit, v.Submit)
		}
	}
}
