// Package browser drives a real Chromium (through chromedp) to obtain
// authorization codes: it logs in to the target's login page once, with the
// steps of the profile, and then reuses the SSO session of that one tab to
// mint further codes without logging in again.
//
// The redirect back to the client is caught inside the browser by Fetch-domain
// interception at the request stage and answered with a tiny local page, so
// nothing needs to listen at the redirect URI and the browser never requests
// it.
//
// Concurrency rules:
//   - A Browser has one Chromium, one tab and one cookie jar. Authorize calls
//     are serialized: a second call waits until the first one returns. Run
//     several Browsers for parallel logins (each logs in on its own).
//   - Close may be called at any time from any goroutine, also from a signal
//     handler while an Authorize call is running: that call then returns an
//     error promptly. Close is idempotent; every call returns the result of
//     the first one.
//   - Logins, PID and UserDataDir are safe to call concurrently.
//   - Cookies and SetCookies (the session's cookies, for an HTTP client
//     that continues it: drivers/httpauthz) wait for a running Authorize.
//
// Nothing else in pkcecheck imports chromedp.
package browser
