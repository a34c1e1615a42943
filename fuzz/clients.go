package fuzz

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/requirements"
)

// The per-client rule of docs/design.md in fuzz: a campaign covers every
// client of the profile and each of its authentication methods (servers run
// the PKCE check in each authentication path), one sub-campaign after
// another, and each finding names the client it was found with.

// ClientTarget is one client of a multi-client campaign: the target seen
// as that client, and its endpoint (for reproducers).
type ClientTarget struct {
	// Role is "public", "confidential" or "extra[N]".
	Role     string
	Target   Target
	Endpoint Endpoint
}

// Name says which client: role, id and authentication method.
func (c ClientTarget) Name() string {
	return fmt.Sprintf("%s client %s (%s)", c.Role, c.Endpoint.Client.ID, c.Endpoint.Client.AuthMethod)
}

// perClientRules are the token-side rules on how the verifier is checked.
// RFC 7636's requirements behind them are judged by run with the public
// client; for any other client the same violation breaks
// rfc9700.pkce-per-auth-method (PKCE for every client and authentication
// method), which is the requirement a finding of that client names. The
// other rules (repeated parameters, the plain policy, omitted methods,
// /authorize) judge the same requirement whatever the client.
var perClientRules = map[string]bool{
	RuleTokenVerifierMissing.Name: true, RuleTokenVerifierEmpty.Name: true, RuleTokenVerifierMismatch.Name: true,
	RuleTokenChallengeAsVerifier.Name: true, RuleTokenVerifierLength.Name: true, RuleTokenVerifierCharset.Name: true,
	RuleTokenS256Refused.Name: true,
}

// RequirementFor is the requirement a finding of rule judges when it was
// found with a client of role.
func RequirementFor(rule Rule, role string) requirements.ID {
	if role != "public" && perClientRules[rule.Name] {
		return requirements.PKCEPerAuthMethod
	}
	return rule.Requirement
}

// RunClients runs one campaign per client, in order, each with the whole
// budget (cfg.Budget token cases per client); the time until cfg.Deadline,
// when set, is shared (each client gets an equal share of what is left when
// its turn comes), so every client is fuzzed whichever limit comes first. Sub-campaign i uses seed cfg.Seed+i. Findings
// are numbered F1, F2, ... across clients and name their client; a finding
// of a client other than the public one on a verifier rule names
// rfc9700.pkce-per-auth-method (RequirementFor). It stops at the first
// error (SIGINT, or a target that cannot be exercised), returning what was
// found so far.
func RunClients(ctx context.Context, clients []ClientTarget, cfg Config) (*Result, error) {
	if cfg.Budget <= 0 {
		cfg.Budget = DefaultBudget
	}
	start := time.Now()
	total := &Result{Seed: cfg.Seed, Budget: cfg.Budget, Findings: []*Finding{}}
	for i, ct := range clients {
		sub := cfg
		sub.Seed = cfg.Seed + uint64(i)
		if !cfg.Deadline.IsZero() {
			sub.Deadline = time.Now().Add(time.Until(cfg.Deadline) / time.Duration(len(clients)-i))
		}
		if sub.Progress != nil {
			fmt.Fprintf(sub.Progress, "fuzzing the %s: %d token cases\n", ct.Name(), sub.Budget)
		}
		res, err := Run(ctx, ct.Target, sub)
		total.add(res, ct)
		if err != nil {
			total.Stats.DurationMS = time.Since(start).Milliseconds()
			return total, err
		}
	}
	total.Stats.DurationMS = time.Since(start).Milliseconds()
	return total, nil
}

// add merges the result of one client's campaign into r.
func (r *Result) add(res *Result, ct ClientTarget) {
	if res == nil {
		return
	}
	s := &r.Stats
	s.TokenCases += res.Stats.TokenCases
	s.AuthorizeOnly += res.Stats.AuthorizeOnly
	s.ShrinkRuns += res.Stats.ShrinkRuns
	s.CodesMinted += res.Stats.CodesMinted
	s.ServerErrors += res.Stats.ServerErrors
	if res.Stopped != "" {
		r.Stopped = joinStop(r.Stopped, ct.Name()+": "+res.Stopped)
	}
	ep := ct.Endpoint
	for _, f := range res.Findings {
		f.ID = fmt.Sprintf("F%d", len(r.Findings)+1)
		f.Client = ct.Name()
		f.endpoint = &ep
		if rule, ok := ruleNamed(f.Rule); ok {
			f.Requirement = RequirementFor(rule, ct.Role)
			f.Level = rule.levelOf(f.Requirement)
			f.Severity = strings.ToLower(string(f.Level))
		}
		r.Findings = append(r.Findings, f)
	}
}

func joinStop(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// ruleNamed finds a rule of the oracle by name.
func ruleNamed(name string) (Rule, bool) {
	for _, r := range Rules() {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

// levelOf is the catalogue level of id (the rule's own when id is its
// requirement).
func (r Rule) levelOf(id requirements.ID) requirements.Level {
	req, _ := requirements.Lookup(id)
	return req.Level
}
