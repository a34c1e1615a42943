// Package results holds the outcome of a run: one Result per requirement with
// its evidence, and the run's statistics. It is what reports are written from.
package results

import (
	"fmt"
	"strings"
	"time"
)

// Status of one requirement.
type Status string

const (
	Pass   Status = "pass"
	Fail   Status = "fail"
	Warn   Status = "warn"
	Skip   Status = "skip"
	Error  Status = "error"
	Waived Status = "waived"
)

// Run is the whole outcome, serialised as results.json.
type Run struct {
	Tool    Tool     `json:"tool"`
	Target  Target   `json:"target"`
	Policy  Policy   `json:"policy"`
	Stats   Stats    `json:"stats"`
	Results []Result `json:"results"`

	// Optional additions to the docs/design.md contract.

	// Generated is when the reports were written (reports.WriteAll stamps it
	// when it is zero).
	Generated time.Time `json:"generated,omitzero"`
	// Notes are remarks about the run that are not results, e.g. expired or
	// stale waivers (see internal/baseline).
	Notes []Note `json:"notes,omitempty"`
	// Login says which login and consent steps the run used: given by the
	// profile, detected, or both (never a typed value).
	Login *Login `json:"login,omitempty"`
	// Clients are the profile's clients the run used, with the token
	// endpoint authentication methods each was checked under.
	Clients []Client `json:"clients,omitempty"`
	// ProfilePath is the profile file the run read ("" for the demo's
	// built-in profile); reproducers name it in their pkcecheck code lines.
	ProfilePath string `json:"profile_path,omitempty"`
}

// Login modes: how the run's login and consent steps were found.
const (
	LoginGiven    = "given"    // all from the profile's login.steps and login.consent
	LoginDetected = "detected" // all found on the pages (login.username and login.password)
	LoginMixed    = "mixed"    // some of each
)

// Login is how the run got through the login and consent pages.
type Login struct {
	Mode  string      `json:"mode"`
	Steps []LoginStep `json:"steps"`
}

// LoginStep is one distinct step taken: the kind of page ("login",
// "identifier", "password", "otp", "consent", ...), the step as a profile
// would write it (kind, selector, frame) and how it was found ("given:
// profiles/x.yaml:12" or "detected: autocomplete=username ...").
type LoginStep struct {
	Page string `json:"page"`
	Step string `json:"step"`
	How  string `json:"how"`
}

// Summary is the one-line account of the login for reports: "detected: 4
// steps (login: fill "#username", ...)".
func (l *Login) Summary() string {
	if l == nil {
		return ""
	}
	parts := make([]string, len(l.Steps))
	for i, s := range l.Steps {
		parts[i] = s.Page + ": " + s.Step
	}
	return fmt.Sprintf("%s, %d step(s): %s", l.Mode, len(l.Steps), strings.Join(parts, "; "))
}

// Client is one client of the profile as the run used it.
type Client struct {
	// Role is public, confidential, other or extra.
	Role string `json:"role"`
	ID   string `json:"id"`
	// AuthMethods are the token endpoint authentication methods used
	// (none, client_secret_basic, client_secret_post, private_key_jwt).
	AuthMethods []string `json:"auth_methods"`
}

// Tool names pkcecheck and its version.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Target names the server that was checked.
type Target struct {
	Name   string `json:"name"`
	Issuer string `json:"issuer"`
}

// Policy is the profile's policy as applied.
type Policy struct {
	PKCERequired string `json:"pkce_required"`
	Plain        string `json:"plain"`
	ErrorCodes   string `json:"error_codes"`
	// Profile is the specification set judged ("oauth2.1-draft16"); absent
	// for the base RFCs.
	Profile string `json:"profile,omitempty"`
}

// Stats measure the run.
type Stats struct {
	DurationMS   int64 `json:"duration_ms"`
	Logins       int   `json:"logins"`
	CodesMinted  int   `json:"codes_minted"`
	HTTPRequests int   `json:"http_requests"`
}

// Result is the verdict on one requirement.
type Result struct {
	ID       string     `json:"id"`
	Source   string     `json:"source"`
	Level    string     `json:"level"`
	Status   Status     `json:"status"`
	Summary  string     `json:"summary"`
	Evidence []Evidence `json:"evidence"`

	// Optional additions to the docs/design.md contract.

	// Waiver is the baseline waiver that turned a fail or warn into waived.
	Waiver *Waiver `json:"waiver,omitempty"`
	// DurationMS is how long the requirement's probes took, when measured.
	DurationMS int64 `json:"duration_ms,omitempty"`
	// Reproducer is a POSIX sh script (curl) that replays the failing probe
	// of a fail or warn, with secrets, codes and tokens as $VARIABLES (see
	// protocol/repro); absent for the other statuses.
	Reproducer string `json:"reproducer,omitempty"`
}

// Waiver is a baseline waiver as applied to a result.
type Waiver struct {
	Reason string `json:"reason"`
	// Expires is the last day (YYYY-MM-DD) the waiver holds; "" = never.
	Expires string `json:"expires,omitempty"`
	// Status is what the result was before it was waived (fail or warn).
	Status Status `json:"status"`
}

// NoteKind says what a Note is about.
type NoteKind string

const (
	// NoteWaiverExpired: a waiver is past its expiry date and waived nothing.
	NoteWaiverExpired NoteKind = "waiver-expired"
	// NoteWaiverStale: a live waiver whose requirement did not fail or warn.
	NoteWaiverStale NoteKind = "waiver-stale"
	// NoteTLSInsecure: certificate verification was off for the run
	// (tls.insecure_skip_verify).
	NoteTLSInsecure NoteKind = "tls-insecure"
)

// Note is a remark about the run that is not a result and never changes the
// exit status.
type Note struct {
	Kind NoteKind `json:"kind"`
	ID   string   `json:"id,omitempty"` // the requirement it concerns
	Text string   `json:"text"`
}

// Evidence is one probe's exchange, already redacted.
type Evidence struct {
	Probe    string `json:"probe"`
	Request  string `json:"request"`
	Response string `json:"response"`

	// Replay is what a reproducer needs that the redacted text leaves out;
	// it is not written to results.json (the reproducer is).
	Replay *Replay `json:"-"`
}

// Replay annotates one recorded exchange for protocol/repro: which of the
// probe's codes it minted or sent (the text shows every code as
// [REDACTED]), which client authenticated (a Basic header is masked whole),
// and which exchanges ran concurrently.
type Replay struct {
	// Mints is, for an authorization request, the number of the code it
	// obtained within the spec (1 = the first); 0 = none.
	Mints int
	// Codes are, for a token request, the numbers of the codes its code
	// parameters carried, in order.
	Codes []int
	// ClientID is the client that authenticated the request.
	ClientID string
	// Group is non-zero for requests sent concurrently: the exchanges with
	// the same Group were released together.
	Group int
	// Delay is how long after the group's release this request was sent.
	Delay time.Duration
	// WrongSecret is set when the request authenticated with a client
	// secret that is not the client's (a probe of invalid_client): the
	// reproducer sends a made-up one, not $CLIENT_SECRET.
	WrongSecret bool
}

// Counts tallies results by status.
func (r *Run) Counts() map[Status]int {
	m := map[Status]int{}
	for _, x := range r.Results {
		m[x.Status]++
	}
	return m
}
