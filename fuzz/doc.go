// Package fuzz is the fuzz campaign engine behind `pkcecheck fuzz`: a
// seeded generator of PKCE cases that vary both sides of the comparison (the
// challenge and method registered at /authorize, the verifier sent to
// /token), a reference oracle that says what RFC 7636 requires for each case,
// a shrinker that minimizes every disagreement against the live target, and
// the findings.json writer with curl reproducers.
//
// The pieces are separate so that each can be tested offline: Case is plain
// data, Generator is deterministic from its seed, Expect (the oracle) and
// Shrink are pure functions of a case (Shrink takes the "does the
// disagreement still hold" question as a function), and Run drives them
// against any Target — the live one (NewLive, over a logged-in
// session.Session) or a simulated one in tests.
package fuzz
