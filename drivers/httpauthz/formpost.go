package httpauthz

import (
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/authz"
)

// The parts of a form_post response page (OAuth 2.0 Form Post Response
// Mode §2): a form whose action is the redirect URI, with hidden inputs,
// posted by a script. Attributes may come in any order and quoting.
var (
	formTag  = regexp.MustCompile(`(?is)<form\b[^>]*>`)
	inputTag = regexp.MustCompile(`(?is)<input\b[^>]*>`)
	fpAttr   = regexp.MustCompile(`(?is)\b([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
)

// formPostResponse reads a form_post response from a page: the first form
// with method post whose action is the redirect URI, and its inputs. It
// returns nil when the page is no such response (a login form, a consent
// page): then the browser answers.
func formPostResponse(body []byte, page *url.URL, redirectURI string) *authz.Response {
	text := string(body)
	for _, loc := range formTag.FindAllStringIndex(text, -1) {
		attrs := fpAttributes(text[loc[0]:loc[1]])
		if !strings.EqualFold(attrs["method"], "post") {
			continue
		}
		action, err := page.Parse(attrs["action"])
		if err != nil || !authz.MatchesRedirectCanonical(action.String(), redirectURI) {
			continue
		}
		end := strings.Index(strings.ToLower(text[loc[1]:]), "</form")
		if end < 0 {
			end = len(text) - loc[1]
		}
		vals := url.Values{}
		for _, in := range inputTag.FindAllString(text[loc[1]:loc[1]+end], -1) {
			a := fpAttributes(in)
			if name := a["name"]; name != "" {
				vals.Add(name, a["value"])
			}
		}
		if !vals.Has("code") && !vals.Has("error") {
			continue
		}
		r, err := authz.ParseFormPost(action.String(), vals.Encode())
		if err != nil {
			return nil
		}
		return r
	}
	return nil
}

// attributes reads the attributes of one tag, names lower-cased, values
// with their character references decoded.
func fpAttributes(tag string) map[string]string {
	out := map[string]string{}
	for _, m := range fpAttr.FindAllStringSubmatch(tag, -1) {
		name := strings.ToLower(m[1])
		if _, dup := out[name]; dup {
			continue // the first wins, as in HTML
		}
		out[name] = html.UnescapeString(m[2] + m[3] + m[4])
	}
	return out
}
