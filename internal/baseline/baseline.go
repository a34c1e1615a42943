// Package baseline holds the waivers of a baseline file (`--baseline FILE`)
// and what they do to a run: Load reads and checks the file, Apply turns a
// fail or warn matched by a live waiver into waived and notes expired and
// stale waivers, and ExitStatus maps the waived run to the exit status of
// docs/design.md.
//
// The file is YAML:
//
//	waivers:
//	  - {id: rfc7636.verifier-length, reason: "upstream issue 123", expires: 2027-03-31}
//
// id and reason are required; expires (YYYY-MM-DD, the last day the waiver
// holds) may be left out for a waiver that never expires.
package baseline

import (
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// dateLayout is the one date form a baseline accepts.
const dateLayout = "2006-01-02"

// Baseline is a loaded baseline file.
type Baseline struct {
	Path    string
	Waivers []Waiver
}

// Waiver excuses one requirement's fail or warn until it expires.
type Waiver struct {
	ID     string // a requirement ID of the catalogue
	Reason string
	// Expires is the last day the waiver holds, as midnight UTC; zero =
	// never expires.
	Expires time.Time
	Line    int // where the waiver is in the file, for messages
}

// ExpiresString is Expires as YYYY-MM-DD, or "" when the waiver never
// expires.
func (w Waiver) ExpiresString() string {
	if w.Expires.IsZero() {
		return ""
	}
	return w.Expires.Format(dateLayout)
}

// Live reports whether the waiver holds on today's date (in today's
// location): expiry is inclusive.
func (w Waiver) Live(today time.Time) bool {
	if w.Expires.IsZero() {
		return true
	}
	y, m, d := today.Date()
	return !w.Expires.Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// Error is one problem in a baseline file, located at Path:Line:Column: the
// same type as a profile's problems, so both read and sort alike.
type Error = profiles.Error
