package suites

import (
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// TestPerClientVerdict: a requirement's verdict comes from the clients that
// ran, its summary names the skipped ones and why, and it is skip only when
// every client was skipped.
func TestPerClientVerdict(t *testing.T) {
	req, _ := requirements.Lookup(requirements.PARPKCEValidated)
	skipped := specOutcome{text: "refuses S512: public client p (none)", status: results.Skip,
		msg:        "the PAR endpoint cannot authenticate it (HTTP 401 invalid_client on a well-formed request)",
		clientSkip: "public client p (none): the PAR endpoint cannot authenticate it (HTTP 401 invalid_client on a well-formed request)"}
	passed := specOutcome{text: "refuses S512: confidential client c (client_secret_basic)", status: results.Pass}
	failed := specOutcome{text: "refuses plain: confidential client c (client_secret_basic)", status: results.Fail, msg: "a request_uri was issued"}

	r := resultOf(req, []specOutcome{skipped, passed})
	if r.Status != results.Pass || !strings.Contains(r.Summary, "judged without these clients: public client p (none): the PAR endpoint cannot authenticate it") {
		t.Errorf("some clients ran and passed: %s %q", r.Status, r.Summary)
	}
	r = resultOf(req, []specOutcome{skipped, passed, failed})
	if r.Status != results.Fail || !strings.Contains(r.Summary, "a request_uri was issued") ||
		!strings.Contains(r.Summary, "1 skipped: refuses S512: public client p (none): the PAR endpoint cannot authenticate it") {
		t.Errorf("a client failed: %s %q", r.Status, r.Summary)
	}
	r = resultOf(req, []specOutcome{skipped, skipped})
	if r.Status != results.Skip || strings.Contains(r.Summary, "judged without") || !strings.Contains(r.Summary, "cannot authenticate") {
		t.Errorf("every client skipped: %s %q", r.Status, r.Summary)
	}
}
