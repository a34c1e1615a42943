package refidp

import (
	"net/http"
	"net/url"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// respond sends an authorization response in the request's response mode:
// the redirect URI's query (RFC 6749 §4.1.2), its fragment, or a form
// posted to it (OAuth 2.0 Form Post Response Mode). Empty values are left
// out.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, req *authRequest, params [][2]string) {
	switch req.mode {
	case "fragment":
		v := url.Values{}
		for _, p := range params {
			if p[1] != "" {
				v.Add(p[0], p[1])
			}
		}
		http.Redirect(w, r, req.redirectURI+"#"+v.Encode(), http.StatusFound)
	case "form_post":
		var fields [][2]string
		for _, p := range params {
			if p[1] != "" {
				fields = append(fields, p)
			}
		}
		render(w, http.StatusOK, "formpost", formPostPage{Action: req.redirectURI, Fields: fields})
	default:
		http.Redirect(w, r, addQuery(req.redirectURI, params), http.StatusFound)
	}
}

// modeFlaws applies the response-mode flaws to a code's PKCE binding: the
// challenge dropped, or the method lost to plain, on the form_post or the
// fragment path.
func (s *Server) modeFlaws(mode, challenge, method string) (string, string) {
	if challenge == "" {
		return challenge, method
	}
	switch {
	case mode == "form_post" && s.has(flawFormPostDropsChallenge), mode == "fragment" && s.has(flawFragmentDropsChallenge):
		return "", ""
	case mode == "form_post" && s.has(flawFormPostMethodPlain), mode == "fragment" && s.has(flawFragmentMethodPlain):
		return challenge, pkce.MethodPlain
	}
	return challenge, method
}
