package suites

import (
	"fmt"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// One defect, one failure: under `error_codes: lenient` a refusal counts as
// a refusal wherever only a refusal is needed, and the status and error
// code of every such refusal are judged once, by rfc6749.error-response.
// This file carries the refusals from the probes that saw them to that
// requirement's result.

// deferredRefusal is a token refusal a probe accepted under lenient
// error codes although its status or code was not what it asked for.
type deferredRefusal struct {
	requirement requirements.ID
	seen        string // e.g. "HTTP 403 access_denied_vendor"
	// problems are its departures from RFC 6749 §5.2 (status, JSON,
	// registered code); none when only the code differs from the one the
	// probe's requirement names.
	problems []string
}

// deferRefusal hands a refusal the running spec accepted under lenient
// error codes to rfc6749.error-response, unless it is exactly what the spec
// asked for (400 with one of codes, or invalid_request for invalid_grant).
// A 5xx is left to the server-error rule.
func (t *Target) deferRefusal(r *tokenclient.Response, codes []string) {
	if r.Status >= 500 {
		return
	}
	problems := t.formProblems(r, false)
	wanted := r.Err != nil && (contains(codes, r.Err.Code) || r.Err.Code == "invalid_request" && contains(codes, "invalid_grant"))
	if len(problems) == 0 && wanted {
		return
	}
	req, _ := requirementOf(ginkgo.CurrentSpecReport().Labels())
	d := deferredRefusal{requirement: req.ID, seen: t.seen(r), problems: problems}
	withActive(func(rec *recorder) { rec.deferred = append(rec.deferred, d) })
}

// specSource is the first source (e.g. "RFC 7636 §4.6") of the running
// spec's requirement, for messages that say what the specification asks.
func specSource() string {
	if req, ok := requirementOf(ginkgo.CurrentSpecReport().Labels()); ok {
		first, _, _ := strings.Cut(req.Source, ";")
		return first
	}
	return "RFC 6749 §5.2"
}

// deferredOutcome is the outcome rfc6749.error-response gets from the
// refusals other probes accepted under lenient error codes: fail when one
// of them departs from RFC 6749 §5.2, else pass with a note naming the
// codes; ok is false when there are none. Its message names what was seen
// and by which requirements' probes.
func deferredOutcome(ds []deferredRefusal) (specOutcome, bool) {
	if len(ds) == 0 {
		return specOutcome{}, false
	}
	type group struct {
		n    int
		ids  map[requirements.ID]bool
		bad  []string
		seen string
	}
	groups := map[string]*group{}
	var keys []string
	failing := false
	for _, d := range ds {
		g := groups[d.seen]
		if g == nil {
			g = &group{ids: map[requirements.ID]bool{}, seen: d.seen}
			groups[d.seen] = g
			keys = append(keys, d.seen)
		}
		g.n++
		g.ids[d.requirement] = true
		g.bad = append(g.bad, d.problems...)
		failing = failing || len(d.problems) > 0
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		g := groups[k]
		var ids []string
		for id := range g.ids {
			ids = append(ids, string(id))
		}
		sort.Strings(ids)
		s := fmt.Sprintf("%s on %d probe(s) of %s", g.seen, g.n, strings.Join(ids, ", "))
		if len(g.bad) > 0 {
			s += " (" + strings.Join(dedupe(g.bad), "; ") + ")"
		}
		parts = append(parts, s)
	}
	o := specOutcome{text: "refusals accepted elsewhere under error_codes: lenient"}
	msg := "refused (no tokens) with " + strings.Join(parts, "; ")
	if failing {
		o.status, o.msg, o.gravity = results.Fail, msg, gravityForm
	} else {
		o.status, o.notes = results.Pass, []string{msg}
	}
	return o, true
}
