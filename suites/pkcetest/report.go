package pkcetest

import "github.com/pkcecheck/pkcecheck/results"

// Report is the outcome of a Check: one Result per requirement checked, with
// the run's statistics. It is what results.json holds.
type Report = results.Run

// Result is the verdict on one requirement, with its redacted evidence.
type Result = results.Result

// Evidence is one probe's exchange (redacted request and response).
type Evidence = results.Evidence

// Status is a requirement's verdict.
type Status = results.Status

// The statuses a Result can have.
const (
	Pass   = results.Pass   // the server behaved as required
	Fail   = results.Fail   // a MUST was violated
	Warn   = results.Warn   // a SHOULD was violated, or a weaker finding
	Skip   = results.Skip   // does not apply under the profile's policy
	Error  = results.Error  // could not be exercised
	Waived = results.Waived // a failure accepted by a baseline waiver (the CLI's --baseline)
)
