// Package httpauthz mints authorization codes with plain HTTP requests on
// the session a browser logged in to: it copies the browser's cookies for
// the target's hosts into a cookie jar and sends the authorization request
// itself, following the server's redirects by hand until the redirect to
// the client, which it recognizes and parses but never requests.
//
// Whatever plain HTTP cannot answer goes to the browser for that
// authorization: a page that is not a redirect (a login form, a consent
// page, anything needing JavaScript), a redirect to a host that is not one
// of the target's, a failed request. Before that call the cookies the
// server set on the HTTP client are handed to the browser, and after it the
// jar is reloaded from the browser, so both continue one session.
//
// Error pages (a 4xx or 5xx answer that is not a redirect and has no form)
// are reported as the browser reports them: authz.Response with ErrorPage,
// Status, PageURL and the start of the page's text.
//
// Every request goes through the http.Client given in Options, so the
// protocol client's rate limit, budget and request count apply to it.
package httpauthz
