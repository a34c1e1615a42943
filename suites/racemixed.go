package suites

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// Verifier kinds of the mixed race.
const (
	kindRight = "right"
	kindWrong = "wrong"
	kindNone  = "no code_verifier"
)

// mixedKinds is one mixed race: the right verifier, wrong ones and none
// at all, in the order the requests are built.
var mixedKinds = []string{
	kindRight, kindRight, kindRight,
	kindWrong, kindWrong, kindWrong, kindWrong,
	kindNone, kindNone, kindNone,
}

// mixedStagger is how much later the second group of a round leaves. The
// requests still overlap at the server; the stagger only makes sure both
// orders are tried (a check-then-act window opened by the first group is
// then entered by the second), instead of leaving the order to chance.
const mixedStagger = 30 * time.Millisecond

// raceMixedSpecs labels the specs of this file.
var raceMixedSpecs = declareSpecs(requirements.CodeRaceMixed)

// registerRaceMixed registers rfc6749.code-race-mixed: concurrent
// redemptions of one code with the right, wrong and no code_verifier. Only one
// request, with the right verifier, may win: two winners with the right
// verifier are this requirement's own evidence, whatever rfc6749.code-race
// saw in its own race. A race of identical requests
// (rfc6749.code-race) cannot see a check-then-act bug in the PKCE check
// itself, such as a PKCE session taken from the code before the verifier is
// checked (ory/fosite#883) or a verification result kept on the code.
func registerRaceMixed(t *Target) {
	ginkgo.Describe("concurrent redemptions with mixed verifiers", raceMixedSpecs.label(requirements.CodeRaceMixed), func() {
		for _, rightFirst := range []bool{true, false} {
			name := "right verifier first, then wrong and missing ones"
			if !rightFirst {
				name = "wrong and missing verifiers first, then the right one"
			}
			ginkgo.It("let only the right verifier win: "+name, func(ctx ginkgo.SpecContext) {
				t.raceMixed(ctx, rightFirst)
			})
		}
	})
}

// raceMixed runs one round and judges it.
func (t *Target) raceMixed(ctx context.Context, rightFirst bool) {
	pub := t.Profile.Clients.Public
	pair := newPair(43)
	code := t.mustCode(ctx, pub, s256(pair))
	reqs := make([]*tokenclient.Request, len(mixedKinds))
	delays := make([]time.Duration, len(mixedKinds))
	for i, kind := range mixedKinds {
		var v *string
		switch kind {
		case kindRight:
			v = &pair.Verifier
		case kindWrong:
			w := newVerifier(43)
			v = &w
		}
		reqs[i] = tokenclient.CodeRequest(clientAuth(pub), code, pub.RedirectURI, v)
		if (kind == kindRight) != rightFirst {
			delays[i] = mixedStagger
		}
	}
	resps, errs := t.raceRequests(ctx, reqs, delays)
	wonRight, unanswered := 0, 0
	var wrongWins []string
	var firstErr string
	for i, r := range resps {
		probe := fmt.Sprintf("redemption %d of %d (%s)", i+1, len(reqs), mixedKinds[i])
		if errs[i] != nil {
			unanswered++
			if firstErr == "" {
				firstErr = fmt.Sprintf("%s: %s", mixedKinds[i], t.Redactor.String(errs[i].Error()))
			}
			evidence(probe, "POST "+t.Redactor.URL(t.Endpoints.Token), "no answer: "+t.Redactor.String(errs[i].Error()))
			continue
		}
		ev := r.Evidence
		ev.Probe = probe
		record(ev)
		if !r.Issued() {
			continue
		}
		if mixedKinds[i] == kindRight {
			wonRight++
		} else {
			wrongWins = append(wrongWins, mixedKinds[i])
		}
	}
	// Each violation seen is named, even when another came with it.
	var won []string
	if len(wrongWins) > 0 {
		won = append(won, fmt.Sprintf("concurrent redemptions with %s got tokens", strings.Join(dedupe(wrongWins), " and ")))
	}
	if wonRight > 1 {
		won = append(won, fmt.Sprintf("%d concurrent redemptions with the right verifier got tokens", wonRight))
	}
	switch {
	case len(won) > 0:
		failAs(gravityTokens, fmt.Sprintf("%s (%d of %d requests won in all; only one may)", strings.Join(won, "; "), len(wrongWins)+wonRight, len(reqs)))
	case unanswered > 0:
		harnessError("%d of %d concurrent redemptions got no answer (%s)", unanswered, len(reqs), firstErr)
	case wonRight == 0:
		note("no redemption won: the ones with the right verifier were refused too")
	}
}

// raceRequests sends reqs together, request i delays[i] after the common
// start, and returns the answers in order. The requests skip the rate
// limiter's spacing (httpclient.Unthrottled).
func (t *Target) raceRequests(ctx context.Context, reqs []*tokenclient.Request, delays []time.Duration) ([]*tokenclient.Response, []error) {
	ctx, cancel := context.WithTimeout(httpclient.Unthrottled(ctx), t.Profile.Limits.Timeout)
	defer cancel()
	tc := tokenclient.Client{HTTP: t.HTTP, Endpoint: t.Endpoints.Token, Redactor: t.Redactor}
	resps := make([]*tokenclient.Response, len(reqs))
	errs := make([]error, len(reqs))
	start := make(chan struct{})
	var ready, done sync.WaitGroup
	for i, req := range reqs {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			if d := delays[i]; d > 0 {
				select {
				case <-time.After(d):
				case <-ctx.Done():
				}
			}
			resps[i], errs[i] = tc.Exchange(ctx, req)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	annotateGroup(resps, reqs, delays)
	return resps, errs
}
