package session

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
	"github.com/pkcecheck/pkcecheck/results"
)

// NoteTLSInsecure is the kind of the note a run's results carry when the
// profile turned certificate verification off.
const NoteTLSInsecure = results.NoteTLSInsecure

// insecureWarning is the warning printed when Open starts, and kept in the
// results, when tls.insecure_skip_verify is on; "" otherwise.
func insecureWarning(p *profiles.Profile) string {
	if !p.TLS.InsecureSkipVerify {
		return ""
	}
	return "WARNING: tls.insecure_skip_verify is on: the target's TLS certificates are NOT verified, " +
		"neither by pkcecheck nor by the browser, so anyone on the network path could read and change this run's traffic " +
		"(passwords and codes included) and its results prove nothing about the real server. " +
		"Use it on test systems only; for a private CA, set tls.ca_file instead."
}

// warnInsecure prints the insecure warning, if any, to log, or to stderr
// when log is nil (--quiet): it is never silenced.
func warnInsecure(p *profiles.Profile, log io.Writer) {
	w := insecureWarning(p)
	if w == "" {
		return
	}
	if log == nil {
		log = os.Stderr
	}
	fmt.Fprintln(log, w)
}

// safetyNotes are the notes about how the run was protected.
func safetyNotes(p *profiles.Profile) []results.Note {
	if w := insecureWarning(p); w != "" {
		return []results.Note{{Kind: NoteTLSInsecure, Text: strings.TrimPrefix(w, "WARNING: ")}}
	}
	return nil
}

// checkScope refuses, before any probe, endpoints the HTTP client would
// not send to: discovery may name endpoints on hosts that are neither the
// issuer's nor listed in the profile.
func checkScope(hc *httpclient.Client, eps discovery.Endpoints) error {
	var problems []string
	for _, e := range []struct{ name, url string }{
		{"authorization", eps.Authorization}, {"token", eps.Token},
		{"userinfo", eps.Userinfo}, {"introspection", eps.Introspection},
	} {
		if e.url == "" {
			continue
		}
		if err := hc.CheckScope(e.url); err != nil {
			problems = append(problems, fmt.Sprintf("%s endpoint %s: %v", e.name, e.url, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the metadata names endpoints outside the target's scope (the issuer's host, the hosts of the profile's endpoints, scope.hosts): %s",
			strings.Join(problems, "; "))
	}
	return nil
}

// budgeted stops minting codes once the HTTP request budget
// (limits.max_requests) is spent: the probes that would use them cannot
// run anyway, so the target is spared their logins and redirects.
func budgeted(a authz.Authorizer, hc *httpclient.Client) authz.Authorizer {
	return budgetedAuthorizer{a: a, hc: hc}
}

type budgetedAuthorizer struct {
	a  authz.Authorizer
	hc *httpclient.Client
}

func (b budgetedAuthorizer) Authorize(ctx context.Context, authURL, redirectURI string) (*authz.Response, error) {
	if b.hc.BudgetExhausted() {
		return nil, fmt.Errorf("not sent: %w (limits.max_requests)", httpclient.ErrRequestBudget)
	}
	return b.a.Authorize(ctx, authURL, redirectURI)
}
