package refidp

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"
)

const sessionCookie = "refidp_session"

// session is a logged-in browser.
type session struct {
	expires  time.Time
	csrf     string
	consents map[string]bool // client IDs the user approved
	// granted are the authorization requests (raw queries) approved once
	// under Config.ConsentEveryTime: the approval is used up by the
	// request it was given for.
	granted map[string]bool
}

// randomID returns 32 random bytes, base64url without padding.
func randomID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// sessionFor returns the session of the request's cookie, or nil.
func (s *Server) sessionFor(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[c.Value]
	if sess == nil || s.now().After(sess.expires) {
		return nil
	}
	return sess
}

// validReturn accepts only a path back to /authorize, so the login form is
// no open redirect.
func validReturn(ret string) bool {
	return strings.HasPrefix(ret, "/authorize?") && !strings.ContainsAny(ret, "\\\r\n")
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	ret := r.URL.Query().Get("return")
	if !validReturn(ret) {
		errorPage(w, http.StatusBadRequest, "The sign-in link is invalid. Start again from the application.")
		return
	}
	s.logf("refidp: GET /login")
	if s.cfg.NoSession {
		render(w, http.StatusOK, "identifier", loginPage{Return: ret})
		return
	}
	render(w, http.StatusOK, "login", loginPage{Return: ret})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		errorPage(w, http.StatusBadRequest, "The sign-in form could not be read.")
		return
	}
	ret := r.PostForm.Get("return")
	if !validReturn(ret) {
		errorPage(w, http.StatusBadRequest, "The sign-in link is invalid. Start again from the application.")
		return
	}
	userOK := equalSecret(r.PostForm.Get("username"), s.cfg.Username)
	passOK := equalSecret(r.PostForm.Get("password"), s.cfg.Password)
	if !userOK || !passOK {
		s.logf("refidp: POST /login: wrong username or password")
		s.loginFailures.Add(1)
		if s.cfg.NoSession {
			render(w, http.StatusOK, "password", loginPage{Return: ret, Username: r.PostForm.Get("username"), Error: "Wrong username or password."})
			return
		}
		render(w, http.StatusOK, "login", loginPage{Return: ret, Error: "Wrong username or password."})
		return
	}
	id, err1 := randomID()
	csrf, err2 := randomID()
	if err1 != nil || err2 != nil {
		errorPage(w, http.StatusInternalServerError, "The session could not be created.")
		return
	}
	s.mu.Lock()
	now := s.now()
	for k, sess := range s.sessions {
		if now.After(sess.expires) {
			delete(s.sessions, k)
		}
	}
	s.sessions[id] = &session{expires: now.Add(sessionLifetime), csrf: csrf, consents: make(map[string]bool), granted: make(map[string]bool)}
	s.mu.Unlock()
	s.logins.Add(1)
	s.logf("refidp: POST /login: signed in")
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: int(sessionLifetime / time.Second),
	})
	http.Redirect(w, r, ret, http.StatusFound)
}

// handleConsent takes the consent page's answer. Approval is remembered for
// the client in the session and the authorization request is resumed.
func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		errorPage(w, http.StatusBadRequest, "The consent form could not be read.")
		return
	}
	sess := s.sessionFor(r)
	if sess == nil {
		errorPage(w, http.StatusBadRequest, "Your session has expired. Start again from the application.")
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(sess.csrf)) != 1 {
		errorPage(w, http.StatusBadRequest, "The consent form is stale. Start again from the application.")
		return
	}
	raw := r.PostForm.Get("request")
	req, msg := s.identifyClient(raw)
	if msg != "" {
		errorPage(w, http.StatusBadRequest, msg)
		return
	}
	switch r.PostForm.Get("action") {
	case "approve":
		s.mu.Lock()
		if s.cfg.ConsentEveryTime {
			sess.granted[raw] = true
		} else {
			sess.consents[req.client.id] = true
		}
		s.mu.Unlock()
		s.logf("refidp: POST /consent client=%s: approved", req.client.id)
		http.Redirect(w, r, "/authorize?"+raw, http.StatusFound)
	case "deny":
		s.logf("refidp: POST /consent client=%s: denied", req.client.id)
		s.redirectError(w, r, req, &authError{"access_denied", "the user denied the request"})
	default:
		errorPage(w, http.StatusBadRequest, "Choose Allow or Deny.")
	}
}

// consented reports whether the session approved the request's client
// (under Config.ConsentEveryTime: this very request, an approval then used
// up).
func (s *Server) consented(sess *session, req *authRequest) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.ConsentEveryTime {
		ok := sess.granted[req.raw]
		delete(sess.granted, req.raw)
		return ok
	}
	return sess.consents[req.client.id]
}

// handleIdentifier takes the user name page of the two-step login
// (Config.NoSession) and shows the password page. Whether the user exists
// is not told here.
func (s *Server) handleIdentifier(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		errorPage(w, http.StatusBadRequest, "The sign-in form could not be read.")
		return
	}
	ret := r.PostForm.Get("return")
	if !s.cfg.NoSession || !validReturn(ret) {
		errorPage(w, http.StatusBadRequest, "The sign-in link is invalid. Start again from the application.")
		return
	}
	user := r.PostForm.Get("username")
	if user == "" {
		render(w, http.StatusOK, "identifier", loginPage{Return: ret, Error: "Enter your username."})
		return
	}
	s.logf("refidp: POST /login/identifier: password page")
	render(w, http.StatusOK, "password", loginPage{Return: ret, Username: user})
}

// endSession forgets the request's session (Config.NoSession: a login
// serves one authorization).
func (s *Server) endSession(r *http.Request) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return
	}
	s.mu.Lock()
	delete(s.sessions, c.Value)
	s.mu.Unlock()
}
