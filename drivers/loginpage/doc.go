// Package loginpage is pkcecheck's one model of a login or consent page:
// both drivers feed it (drivers/httpauthz from the HTML it fetched, with
// FromHTML; drivers/browser from the live DOM, with SnapshotJS and FromJSON),
// both act on what Detect plans from it (profile steps with unique
// selectors), and the stuck-page listing and `pkcecheck init` print from it
// (Listing, Selector, Action.Why).
//
// A Page is one document (the top one or one frame): its forms, every
// control in document order with the attributes detection reads and whether
// a user could use it (visible, enabled, not readonly), the page's visible
// error messages and a bounded copy of its visible text. Detect classifies
// the page (login, identifier-first, password-only, factor choice, one-time
// code, "stay signed in?" interstitial, consent, unknown) and plans the
// fill/click/totp steps a user would take, never a deny, cancel, sign-up,
// forgot-password or new-password control.
//
// The drivers decide what Detect cannot know: a page that shows the login
// form again with Plan.Message set, right after the driver submitted the
// credentials, is a refused login (KindRejected is for them to report) and
// must not be retried.
//
// Feeding it: over HTTP, FromHTML(url, body). In a browser, evaluate
// SnapshotJS (a string-valued expression) in the top document and in each
// same-origin frame named by Page.Frames, pass each result to FromJSON, and
// set Page.Frame on the frames' pages; Detect copies Frame into its steps.
//
// API as first committed, and changes since (newest first; the helper
// integrating this package reads this):
//   - Creds carries TOTPSecret (the step's secret, "${VAR}" allowed), not a
//     TOTP flag; Action has Control (index in Page.Controls); Page has
//     Frames (selectors of its visible iframes) and IDs (id counts, for
//     unique #id selectors); Control has Shadow; SnapshotJS is a var.
package loginpage
