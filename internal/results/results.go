// Package results holds the outcome of a run: one Result per requirement with
// its evidence, and the run's statistics. It is what reports are written from.
package results

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
}

// Evidence is one probe's exchange, already redacted.
type Evidence struct {
	Probe    string `json:"probe"`
	Request  string `json:"request"`
	Response string `json:"response"`
}

// Counts tallies results by status.
func (r *Run) Counts() map[Status]int {
	m := map[Status]int{}
	for _, x := range r.Results {
		m[x.Status]++
	}
	return m
}
