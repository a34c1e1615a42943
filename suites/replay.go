package suites

import (
	"fmt"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/repro"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// What the reproducers (protocol/repro) need beyond the redacted evidence:
// which of the running spec's codes an exchange minted or sent (every code
// shows as [REDACTED]), which client authenticated, which requests ran
// concurrently. The code values are kept in memory for the running spec
// only, never written.

// replayState is the recorder's per-spec bookkeeping.
type replayState struct {
	codes  []string // the running spec's codes, in the order they were minted
	groups int      // concurrent groups so far in the running spec
}

// noteCode numbers a code the running spec obtained (1 = its first).
func noteCode(code string) int {
	r := activeRecorder()
	if r == nil || code == "" {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replay.codes = append(r.replay.codes, code)
	return len(r.replay.codes)
}

// newGroup numbers a set of concurrent requests of the running spec.
func newGroup() int {
	r := activeRecorder()
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replay.groups++
	return r.replay.groups
}

// replayOf annotates a token (or PAR) request: the numbers of the codes it
// carries and its client. group and delay are zero unless it was sent
// concurrently with others.
func replayOf(req *tokenclient.Request, group int, delay time.Duration) *results.Replay {
	rp := &results.Replay{ClientID: req.Auth.ClientID, Group: group, Delay: delay}
	r := activeRecorder()
	if r == nil {
		return rp
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if secret, ok := r.script.secrets[req.Auth.ClientID]; ok && req.Auth.Secret != "" && req.Auth.Secret != secret {
		rp.WrongSecret = true
	}
	for _, p := range req.Params {
		if p[0] != "code" {
			continue
		}
		n := 0
		for i, c := range r.replay.codes {
			if c == p[1] {
				n = i + 1
			}
		}
		rp.Codes = append(rp.Codes, n)
	}
	return rp
}

func activeRecorder() *recorder {
	activeMu.Lock()
	defer activeMu.Unlock()
	return active
}

// scriptContext is what the reproducers take from the target's profile.
type scriptContext struct {
	profile      string
	redirectURIs map[string]string
	standard     []string
	// secrets are the clients' secrets, only to tell a probe's deliberately
	// wrong secret from the right one (replayOf); never written.
	secrets map[string]string
}

func contextOf(t *Target) scriptContext {
	sc := scriptContext{profile: t.Profile.Path, redirectURIs: map[string]string{}, secrets: map[string]string{}}
	cs := t.Profile.Clients
	for _, c := range append([]*profiles.Client{cs.Public, cs.Confidential, cs.Other}, cs.Extra...) {
		if c != nil {
			sc.redirectURIs[c.ID] = c.RedirectURI
			sc.secrets[c.ID] = c.Secret
		}
	}
	for _, kv := range t.Profile.AuthorizeParams {
		sc.standard = append(sc.standard, kv[0])
	}
	return sc
}

// reproducer writes the script of the first probe that had the worst
// status of a fail or warn; "" for other statuses.
func (sc scriptContext) reproducer(req requirements.Requirement, worst results.Status, outs []specOutcome) (script string) {
	if worst != results.Fail && worst != results.Warn {
		return ""
	}
	// A reproducer is an aid: evidence the writer cannot read costs the
	// script, never the run.
	defer func() {
		if recover() != nil {
			script = ""
		}
	}()
	var failing []specOutcome
	for _, o := range outs {
		if o.status == worst {
			failing = append(failing, o)
		}
	}
	if len(failing) == 0 || len(failing[0].evidence) == 0 {
		return ""
	}
	o := failing[0]
	var others []string
	for _, x := range failing[1:] {
		others = append(others, x.text)
	}
	return repro.Script(repro.Finding{
		ID: string(req.ID), Level: string(req.Level), Source: req.Source, Status: string(worst),
		Text: req.Text, Passes: req.Passes, Probe: o.text, Observed: fmt.Sprintf("%s: %s", worst, o.msg),
		Exchanges: o.evidence, Profile: sc.profile, RedirectURIs: sc.redirectURIs, Standard: sc.standard, Others: others,
	})
}

// annotateGroup marks the answers of requests sent together (delays[i]
// after the release, when delays is given) as one concurrent group.
func annotateGroup(resps []*tokenclient.Response, reqs []*tokenclient.Request, delays []time.Duration) {
	g := newGroup()
	for i, r := range resps {
		if r == nil {
			continue
		}
		var d time.Duration
		if delays != nil {
			d = delays[i]
		}
		r.Evidence.Replay = replayOf(reqs[i], g, d)
	}
}
