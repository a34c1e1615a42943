package requirements

import (
	"strings"
	"testing"
)

// The IDs of docs/design.md; every one must exist, and no other.
var designIDs = []string{
	"rfc7636.s256-roundtrip", "rfc7636.verifier-missing", "rfc7636.verifier-empty",
	"rfc7636.verifier-mismatch", "rfc7636.verifier-swapped", "rfc7636.method-bound",
	"rfc7636.verifier-length", "rfc7636.verifier-charset", "rfc7636.challenge-missing",
	"rfc7636.challenge-format", "rfc7636.method-unsupported", "rfc7636.method-default",
	"rfc7636.plain-policy", "rfc6749.error-response", "rfc6749.code-single-use",
	"rfc6749.reuse-revokes", "rfc6749.code-race", "rfc6749.code-client-bound",
	"rfc6749.redirect-uri-bound", "rfc6749.no-store", "rfc6749.duplicate-params",
	"rfc9700.downgrade", "rfc9700.confidential-pkce", "rfc8414.methods-advertised",
}

var shouldIDs = map[string]bool{
	"rfc7636.challenge-format": true, "rfc6749.reuse-revokes": true, "rfc6749.duplicate-params": true,
}

func TestCatalogueMatchesDesign(t *testing.T) {
	design := map[string]bool{}
	for _, id := range designIDs {
		design[id] = true
	}
	for _, r := range All() {
		if !design[r.ID] && r.Level != INFO {
			t.Errorf("%s is not in docs/design.md: only informational (INFO) entries may be added", r.ID)
		}
	}
	for _, id := range designIDs {
		r, ok := Lookup(id)
		if !ok {
			t.Errorf("%s missing", id)
			continue
		}
		want := MUST
		if shouldIDs[id] {
			want = SHOULD
		}
		if r.Level != want {
			t.Errorf("%s level %s, want %s", id, r.Level, want)
		}
	}
}

func TestCatalogueEntriesComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		if seen[r.ID] {
			t.Errorf("duplicate ID %s", r.ID)
		}
		seen[r.ID] = true
		if r.Source == "" || r.Text == "" || r.Passes == "" {
			t.Errorf("%s: empty field in %+v", r.ID, r)
		}
		// IDs are Ginkgo labels: these characters are not allowed there.
		if strings.ContainsAny(r.ID, "&|!,()/ ") {
			t.Errorf("%s cannot be a Ginkgo label", r.ID)
		}
	}
}
