package main

import (
	"os"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/refidp"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// notScripted are the flaws whose finding a shell script cannot show, with
// why; their reproducers are still written (and checked for secrets).
var notScripted = map[string]string{
	"code-expiry-unchecked": "rfc6749.code-lifetime waits max_code_age (off by default)",
	"code-lifetime-minutes": "rfc6749.code-lifetime waits max_code_age (off by default)",
	// The finding is inside the code, which a reproducer never shows.
	"challenge-in-code": "the challenge is inside the code, and reproducers never show a code",
}

// TestReproducersReproduce: for every flaw of the reference provider, the
// reproducer of each requirement it trips, run with /bin/sh after the
// pkcecheck code lines it names (the built binary), shows the answers the
// report recorded against a provider with that flaw, and other answers
// against the clean provider. PKCECHECK_REPRO_FLAWS=a,b limits the flaws.
func TestReproducersReproduce(t *testing.T) {
	fx := newReproFixture(t)
	clean := fx.start(t)
	only := map[string]bool{}
	for _, f := range strings.Split(os.Getenv("PKCECHECK_REPRO_FLAWS"), ",") {
		if f != "" {
			only[f] = true
		}
	}
	slots := make(chan struct{}, 3)
	for _, flaw := range refidp.Flaws() {
		if len(flaw.Trips) == 0 || (len(only) > 0 && !only[flaw.Name]) {
			continue
		}
		t.Run(flaw.Name, func(t *testing.T) {
			if why := notScripted[flaw.Name]; why != "" {
				t.Skip(why)
			}
			t.Parallel()
			slots <- struct{}{}
			defer func() { <-slots }()
			srv := fx.start(t, flaw.Name)
			_, scripts := reproducersOf(t, fx, srv, joinIDs(flaw.Trips, " || "))
			for _, id := range flaw.Trips {
				checkReproducer(t, fx, srv, clean, id, scripts)
			}
		})
	}
}

// checkReproducer runs the reproducer of id against the flawed and the
// clean provider.
func checkReproducer(t *testing.T, fx reproFixture, flawed, clean *refidp.Server, id requirements.ID, scripts map[string]string) {
	t.Helper()
	script, ok := scripts[string(id)]
	switch {
	case !ok:
		t.Errorf("%s neither failed nor warned", id)
		return
	case script == "":
		t.Errorf("%s has no reproducer", id)
		return
	}
	checkNoSecrets(t, map[string]string{string(id) + " reproducer": script}, []string{reproPassword, reproSecret})
	var seen []string
	defer func() { // the codes, assertions and tokens of the reproductions below
		checkNoSecrets(t, map[string]string{string(id) + " reproducer": script}, seen)
	}()
	recorded, concurrent := recordedSteps(script)
	if len(recorded) == 0 {
		t.Errorf("%s: the reproducer records no answer:\n%s", id, script)
		return
	}
	var got reproduction
	var miss []string
	for range 3 { // concurrent requests may need another try to collide
		got = reproduce(t, fx, flawed, script)
		seen = append(seen, got.secrets...)
		if miss = mismatches(recorded, concurrent, got); len(miss) == 0 {
			break
		}
	}
	if len(miss) > 0 {
		t.Errorf("%s: against the flawed provider the reproducer does not show what the report recorded: %s\nscript:\n%s\nrun:\n%s", id, strings.Join(miss, "; "), script, got.log)
		return
	}
	cleanScript := strings.ReplaceAll(script, flawed.Issuer(), clean.Issuer())
	cg := reproduce(t, fx, clean, cleanScript)
	seen = append(seen, cg.secrets...)
	if len(mismatches(recorded, concurrent, cg)) == 0 {
		t.Errorf("%s: the clean provider answers the reproducer as the flawed one did:\nscript:\n%s\nrun:\n%s", id, script, cg.log)
	}
}
