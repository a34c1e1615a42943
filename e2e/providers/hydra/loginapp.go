package hydra

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// loginApp is the login and consent app Hydra sends the browser to
// (urls.login and urls.consent). It serves a login form that checks one
// username and password, and a consent page that grants what the client
// asks for; both accept Hydra's request through the admin API and remember
// the decision, so later authorizations pass without a form.
type loginApp struct {
	admin    *admin
	username string
	password string
	log      io.Writer // may be nil

	base string // e.g. http://127.0.0.1:41234
	srv  *http.Server
	done chan struct{} // closed when Serve has returned

	logMu sync.Mutex
}

// Paths of the app's pages.
const (
	loginPath   = "/login"
	consentPath = "/consent"
)

// startLoginApp listens on a free loopback port and serves the app.
func startLoginApp(a *admin, username, password string, log io.Writer) (*loginApp, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the login app: listen on 127.0.0.1: %w", err)
	}
	app := &loginApp{admin: a, username: username, password: password, log: log,
		base: "http://" + ln.Addr().String(), done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+loginPath, app.showLogin)
	mux.HandleFunc("POST "+loginPath, app.submitLogin)
	mux.HandleFunc("GET "+consentPath, app.showConsent)
	mux.HandleFunc("POST "+consentPath, app.submitConsent)
	app.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(app.done)
		_ = app.srv.Serve(ln)
	}()
	return app, nil
}

// LoginURL and ConsentURL are what Hydra's urls.login and urls.consent name.
func (app *loginApp) LoginURL() string   { return app.base + loginPath }
func (app *loginApp) ConsentURL() string { return app.base + consentPath }

// stop closes the listener and every connection, and waits for Serve to end.
func (app *loginApp) stop() error {
	err := app.srv.Close()
	<-app.done
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("stop the login app: %w", err)
	}
	return nil
}

// showLogin shows the login form, or accepts at once when Hydra already
// knows the user (skip: a remembered login).
func (app *loginApp) showLogin(w http.ResponseWriter, r *http.Request) {
	challenge := r.URL.Query().Get("login_challenge")
	if challenge == "" {
		app.page(w, http.StatusBadRequest, errorPage, pageData{Message: "The login_challenge parameter is missing."})
		return
	}
	lr, err := app.admin.loginRequest(r.Context(), challenge)
	if err != nil {
		app.fail(w, err)
		return
	}
	if lr.Skip {
		to, err := app.admin.acceptLogin(r.Context(), challenge, lr.Subject)
		if err != nil {
			app.fail(w, err)
			return
		}
		app.logf("login app: remembered login of %q accepted", lr.Subject)
		http.Redirect(w, r, to, http.StatusFound)
		return
	}
	app.page(w, http.StatusOK, loginPage, pageData{Challenge: challenge, Client: clientName(lr.Client.Name, lr.Client.ID)})
}

// submitLogin checks the form's username and password and accepts the login.
func (app *loginApp) submitLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		app.page(w, http.StatusBadRequest, errorPage, pageData{Message: "The form could not be read."})
		return
	}
	challenge := r.PostForm.Get("login_challenge")
	if challenge == "" {
		app.page(w, http.StatusBadRequest, errorPage, pageData{Message: "The login_challenge field is missing."})
		return
	}
	user := r.PostForm.Get("username")
	if !app.credentialsMatch(user, r.PostForm.Get("password")) {
		app.logf("login app: wrong username or password")
		app.page(w, http.StatusUnauthorized, loginPage, pageData{Challenge: challenge, Username: user,
			Message: "Wrong username or password."})
		return
	}
	to, err := app.admin.acceptLogin(r.Context(), challenge, user)
	if err != nil {
		app.fail(w, err)
		return
	}
	app.logf("login app: login of %q accepted", user)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// credentialsMatch compares in constant time.
func (app *loginApp) credentialsMatch(user, password string) bool {
	u := subtle.ConstantTimeCompare([]byte(user), []byte(app.username))
	p := subtle.ConstantTimeCompare([]byte(password), []byte(app.password))
	return u&p == 1
}

// showConsent shows the consent page, or accepts at once when the user
// already granted this client these scopes (skip: a remembered consent).
func (app *loginApp) showConsent(w http.ResponseWriter, r *http.Request) {
	challenge := r.URL.Query().Get("consent_challenge")
	if challenge == "" {
		app.page(w, http.StatusBadRequest, errorPage, pageData{Message: "The consent_challenge parameter is missing."})
		return
	}
	cr, err := app.admin.consentRequest(r.Context(), challenge)
	if err != nil {
		app.fail(w, err)
		return
	}
	if cr.Skip {
		app.acceptConsent(w, r, challenge, cr, http.StatusFound)
		return
	}
	app.page(w, http.StatusOK, consentPage, pageData{Challenge: challenge,
		Client: clientName(cr.Client.Name, cr.Client.ID), Username: cr.Subject, Scopes: cr.Scope})
}

// submitConsent grants what the consent request asks for.
func (app *loginApp) submitConsent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		app.page(w, http.StatusBadRequest, errorPage, pageData{Message: "The form could not be read."})
		return
	}
	challenge := r.PostForm.Get("consent_challenge")
	if challenge == "" {
		app.page(w, http.StatusBadRequest, errorPage, pageData{Message: "The consent_challenge field is missing."})
		return
	}
	// Read the request again: the grant is what Hydra says was asked, not
	// what the form claims.
	cr, err := app.admin.consentRequest(r.Context(), challenge)
	if err != nil {
		app.fail(w, err)
		return
	}
	app.acceptConsent(w, r, challenge, cr, http.StatusSeeOther)
}

func (app *loginApp) acceptConsent(w http.ResponseWriter, r *http.Request, challenge string, cr *consentRequest, status int) {
	to, err := app.admin.acceptConsent(r.Context(), challenge, cr)
	if err != nil {
		app.fail(w, err)
		return
	}
	app.logf("login app: consent of %q for %s accepted (skip=%v)", cr.Subject, cr.Client.ID, cr.Skip)
	http.Redirect(w, r, to, status)
}

// fail answers 502: Hydra's admin API did not do what the app asked.
func (app *loginApp) fail(w http.ResponseWriter, err error) {
	app.logf("login app: %v", err)
	msg := "Hydra's admin API refused the request."
	if errors.Is(err, context.Canceled) {
		msg = "The request was cancelled."
	}
	app.page(w, http.StatusBadGateway, errorPage, pageData{Message: msg})
}

func (app *loginApp) logf(format string, args ...any) {
	if app.log == nil {
		return
	}
	app.logMu.Lock()
	defer app.logMu.Unlock()
	fmt.Fprintf(app.log, format+"\n", args...)
}

// page renders one of the app's templates.
func (app *loginApp) page(w http.ResponseWriter, status int, t *template.Template, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	if err := t.Execute(w, d); err != nil {
		app.logf("login app: render %s: %v", t.Name(), err)
	}
}

func clientName(name, id string) string {
	if strings.TrimSpace(name) != "" {
		return name
	}
	return id
}
