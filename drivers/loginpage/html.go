package loginpage

import (
	"errors"
	"net/url"
)

// FromHTML builds the Page of a document fetched over HTTP. Without layout,
// a control is visible unless it or an ancestor is type=hidden, has the
// hidden attribute, inline display:none or visibility:hidden, aria-hidden,
// or sits in <template> or <noscript>.
func FromHTML(pageURL *url.URL, body []byte) (*Page, error) {
	return nil, errors.New("not written yet")
}
