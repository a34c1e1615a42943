package loginpage

import (
	"strings"

	"golang.org/x/net/html"
)

// messageClasses are class (or id) fragments of the elements providers show
// errors in: anything with "error", Keycloak's kc-feedback-text and
// PatternFly's pf-m-danger, Bootstrap's alert-danger, Okta's
// o-form-error-container, Auth0's ulp-input-error-message (has "error"),
// Dex's dex-error-box (has "error").
var messageClasses = []string{"error", "kc-feedback-text", "pf-m-danger", "alert-danger", "alert-warning", "invalid-feedback"}

// hidingClasses are the utility classes that hide an element in the common
// CSS frameworks. Without a stylesheet FromHTML cannot tell, so it ignores
// messages that carry one: a template's error box waiting for its turn must
// not read as a refusal.
var hidingClasses = []string{"hidden", "d-none", "hide", "is-hidden", "invisible", "display-none", "u-hidden", "sr-only", "visually-hidden"}

// isMessage reports whether n is an alert or error container: role=alert,
// an aria-live region, or a message class or id, that holds no control
// (Okta's whole form is an aria-live region) and carries no hiding class.
func isMessage(n *html.Node) bool {
	for _, c := range strings.Fields(strings.ToLower(attr(n, "class"))) {
		for _, h := range hidingClasses {
			if c == h || strings.HasSuffix(c, "-"+h) {
				return false
			}
		}
	}
	role := strings.ToLower(attr(n, "role"))
	live := strings.ToLower(attr(n, "aria-live"))
	marked := role == "alert" || role == "status" && live != "" || live == "assertive" || live == "polite" ||
		hasMessageClass(attr(n, "class")+" "+attr(n, "id"))
	return marked && !holdsControl(n)
}

func hasMessageClass(s string) bool {
	s = strings.ToLower(s)
	for _, c := range messageClasses {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

func holdsControl(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (isControl(c) || holdsControl(c)) {
			return true
		}
	}
	return false
}
