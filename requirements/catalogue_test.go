package requirements

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
)

// published are the IDs and levels docs/design.md published first. They
// stay whatever the contract file says later: an ID is never renamed or
// removed, and its level never changes.
var published = map[ID]Level{
	S256Roundtrip: MUST, VerifierMissing: MUST, VerifierEmpty: MUST, VerifierMismatch: MUST,
	VerifierSwapped: MUST, MethodBound: MUST, VerifierLength: MUST, VerifierCharset: MUST,
	ChallengeMissing: MUST, ChallengeFormat: SHOULD, MethodUnsupported: MUST, MethodDefault: MUST,
	PlainPolicy: MUST, ErrorResponse: MUST, CodeSingleUse: MUST, ReuseRevokes: SHOULD,
	CodeRace: MUST, CodeClientBound: MUST, RedirectURIBound: MUST, NoStore: MUST,
	DuplicateParams: SHOULD, Downgrade: MUST, ConfidentialPKCE: MUST, MethodsAdvertised: MUST,
}

// designRow is a row of the requirement table of docs/design.md.
var designRow = regexp.MustCompile("^\\| `?([a-z0-9]+\\.[a-z0-9-]+)`? \\| (MUST|SHOULD|INFO) \\|")

// designIDs reads the requirement table of docs/design.md.
func designIDs(t *testing.T) map[ID]Level {
	t.Helper()
	f, err := os.Open("../docs/design.md")
	if err != nil {
		t.Fatalf("read the contract: %v", err)
	}
	defer f.Close()
	out := map[ID]Level{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := designRow.FindStringSubmatch(sc.Text()); m != nil {
			out[ID(m[1])] = Level(m[2])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < len(published) {
		t.Fatalf("found %d requirement rows in docs/design.md, want at least %d", len(out), len(published))
	}
	return out
}

// TestCatalogueIsStable: every ID docs/design.md lists (and every ID it
// ever published) exists with its level. New IDs may be added at any level.
func TestCatalogueIsStable(t *testing.T) {
	check := func(where string, ids map[ID]Level) {
		for id, want := range ids {
			r, ok := Lookup(id)
			switch {
			case !ok:
				t.Errorf("%s (%s) is missing: IDs are never renamed or removed", id, where)
			case r.Level != want:
				t.Errorf("%s: level %s, %s says %s: a level never changes", id, r.Level, where, want)
			}
		}
	}
	check("first published", published)
	check("docs/design.md", designIDs(t))
	for id, level := range published {
		if got, ok := designIDs(t)[id]; !ok || got != level {
			t.Errorf("docs/design.md lost %s %s (has %q)", id, level, got)
		}
	}
}

// idForm is the form of a requirement ID: rfcNNNN.name, policy.name or
// info.name.
var idForm = regexp.MustCompile(`^(rfc[0-9]{4}|policy|info)\.[a-z0-9]+(-[a-z0-9]+)*$`)

func TestCatalogueEntriesComplete(t *testing.T) {
	seen := map[ID]bool{}
	known := map[Area]bool{}
	for _, a := range Areas() {
		known[a] = true
	}
	used := map[Area]bool{}
	for _, r := range All() {
		if seen[r.ID] {
			t.Errorf("duplicate ID %s", r.ID)
		}
		seen[r.ID] = true
		if r.Source == "" || r.Text == "" || r.Passes == "" {
			t.Errorf("%s: empty field in %+v", r.ID, r)
		}
		if !idForm.MatchString(string(r.ID)) {
			t.Errorf("%s: not of the form rfcNNNN.name, policy.name or info.name", r.ID)
		}
		// IDs are Ginkgo labels: these characters are not allowed there.
		if strings.ContainsAny(string(r.ID), "&|!,()/ ") {
			t.Errorf("%s cannot be a Ginkgo label", r.ID)
		}
		switch r.Level {
		case MUST, SHOULD, INFO:
		default:
			t.Errorf("%s: level %q", r.ID, r.Level)
		}
		if !known[r.Area] {
			t.Errorf("%s: area %q is not one of Areas()", r.ID, r.Area)
		}
		if r.Area == AreaInfo && r.Level != INFO {
			t.Errorf("%s: level %s in area %q, which holds measurements only", r.ID, r.Level, r.Area)
		}
		used[r.Area] = true
	}
	for _, a := range Areas() {
		if !used[a] {
			t.Errorf("area %q has no requirement", a)
		}
	}
}

func TestByAreaKeepsEveryRequirementOnce(t *testing.T) {
	n := 0
	for _, g := range ByArea() {
		for _, r := range g.Requirements {
			if r.Area != g.Area {
				t.Errorf("%s filed under %q, its area is %q", r.ID, g.Area, r.Area)
			}
			n++
		}
	}
	if n != len(All()) {
		t.Errorf("ByArea holds %d requirements, the catalogue %d", n, len(All()))
	}
	if AreaOf(VerifierMismatch) != AreaVerifier || AreaOf("no.such-id") != "" {
		t.Error("AreaOf")
	}
}
