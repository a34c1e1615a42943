package suites

import (
	"fmt"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// lifetimeSpecs labels the specs of this file.
var lifetimeSpecs = declareSpecs(requirements.CodeLifetime)

// lifetimeMargin is how much older than max_code_age the waiting code is
// when it is redeemed: clocks of the two sides may differ a little.
const lifetimeMargin = time.Second

// agingCode is the code minted first and redeemed last.
type agingCode struct {
	code   string
	pair   pkce.Pair
	minted time.Time
}

// registerLifetimeStart registers the first half of rfc6749.code-lifetime:
// a code minted before every other spec. registerLifetimeEnd, registered
// after every other spec, redeems it once it is older than the profile's
// max_code_age, so the wait overlaps the rest of the run. The requirement
// is off by default (requirements.OffByDefault): it runs only when the
// label filter names it.
func registerLifetimeStart(t *Target) {
	ginkgo.It("code lifetime: mint the code that will wait", lifetimeSpecs.label(requirements.CodeLifetime), func(ctx ginkgo.SpecContext) {
		pub := t.Profile.Clients.Public
		pair := newPair(43)
		code := t.mustCode(ctx, pub, s256(pair))
		t.aging = &agingCode{code: code, pair: pair, minted: time.Now()}
		note("max_code_age %v", t.Profile.Flows.CodeAge())
	})
}

// registerLifetimeEnd registers the redemption of the waiting code.
func registerLifetimeEnd(t *Target) {
	ginkgo.It("code lifetime: a code older than max_code_age is refused", lifetimeSpecs.label(requirements.CodeLifetime), func(ctx ginkgo.SpecContext) {
		a := t.aging
		if a == nil {
			harnessError("no code was minted at the start of the run (see the first rfc6749.code-lifetime spec)")
		}
		maxAge := t.Profile.Flows.CodeAge()
		select {
		case <-time.After(time.Until(a.minted.Add(maxAge + lifetimeMargin))):
		case <-ctx.Done():
			harnessError("the run ended before the code was older than max_code_age %v", maxAge)
		}
		age := time.Since(a.minted).Round(100 * time.Millisecond)
		pub := t.Profile.Clients.Public
		r := t.redeem(ctx, fmt.Sprintf("redemption of a %v old code", age), pub, a.code, &a.pair.Verifier)
		if r.Issued() {
			warnf("a code %v old was redeemed (max_code_age %v)", age, maxAge)
		}
		note("a code %v old was refused (%s)", age, answer(r))
	})
}

// withDefaultLabels adds to a label filter the exclusion of every
// requirement that is off by default and that the filter does not name.
func withDefaultLabels(filter string) string {
	for _, id := range requirements.OffByDefaultIDs() {
		if strings.Contains(filter, string(id)) {
			continue
		}
		if filter == "" {
			filter = "!" + string(id)
		} else {
			filter = "(" + filter + ") && !" + string(id)
		}
	}
	return filter
}
