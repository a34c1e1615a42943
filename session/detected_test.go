package session

import (
	"testing"
)

// detectedRefidp are the reference provider's login variants: a one-page
// login with consent remembered, consent on every authorization, and no
// session (user name page, then password page, on every authorization).
var detectedRefidp = []string{"refidp", "refidp-consent", "refidp-nosession"}

// TestDetectedRefidpSameVerdicts runs the whole catalogue against each
// login variant of the reference provider twice, in child processes: with
// the profile's hand-written steps and from the user name and password
// alone. Every requirement must get the same status, and the second run's
// login must be reported as detected.
func TestDetectedRefidpSameVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the catalogue six times")
	}
	for _, target := range detectedRefidp {
		t.Run(target, func(t *testing.T) {
			env := []string{envChild + "=" + target}
			given := catalogueInChild(t, append(env, envMode+"=http"))
			detected := catalogueInChild(t, append(env, envMode+"="+modeDetected))
			if given.LoginMode != "given" || detected.LoginMode != "detected" {
				t.Errorf("login modes %q and %q, want given and detected", given.LoginMode, detected.LoginMode)
			}
			if len(given.Statuses) == 0 || len(detected.Statuses) != len(given.Statuses) {
				t.Fatalf("%d results with the steps, %d detected", len(given.Statuses), len(detected.Statuses))
			}
			for id, st := range given.Statuses {
				if detected.Statuses[id] != st {
					t.Errorf("%s: %s with the steps, %s detected", id, st, detected.Statuses[id])
				}
			}
			if given.Logins != detected.Logins || detected.ViaBrowser != given.ViaBrowser {
				t.Errorf("logins %d / %d, authorizations in the browser %d / %d (steps / detected)",
					given.Logins, detected.Logins, given.ViaBrowser, detected.ViaBrowser)
			}
			t.Logf("wall time: %.0f ms with the steps, %.0f ms detected (%.2fx)", given.WallMS, detected.WallMS, detected.WallMS/given.WallMS)
		})
	}
}

// BenchmarkDetected runs the whole catalogue with the profile's
// hand-written login steps (mode http) and from the user name and password
// alone (detected), taking turns in the same run, and reports both wall
// times and detected_ratio (target ≤ 1.2):
//
//	go test -run '^$' -bench 'Detected/(refidp|nodeoidc)' -benchtime 1x ./session
func BenchmarkDetected(b *testing.B) {
	for _, target := range benchTargets {
		b.Run(target.name, func(b *testing.B) {
			env := []string{envChild + "=" + target.name}
			if target.start != nil {
				env = append(env, target.start(b).env()...)
			}
			var given, detected catalogueResult
			for range b.N {
				g := catalogueInChild(b, append(env, envMode+"=http"))
				d := catalogueInChild(b, append(env, envMode+"="+modeDetected))
				for id, st := range g.Statuses {
					if d.Statuses[id] != st {
						b.Errorf("%s: %s with the steps, %s detected", id, st, d.Statuses[id])
					}
				}
				given.add(g)
				detected.add(d)
			}
			n := float64(b.N)
			b.ReportMetric(given.WallMS/n, "given_ms")
			b.ReportMetric(detected.WallMS/n, "detected_ms")
			b.ReportMetric(detected.WallMS/given.WallMS, "detected_ratio")
			b.ReportMetric(float64(detected.Logins)/n, "logins")
			b.ReportMetric(float64(detected.ViaBrowser)/n, "authz_in_browser")
		})
	}
}
