package fuzz

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// TestRunClientsCoversEveryClient: every client runs its budget,
// findings name their client and are numbered across clients, and a
// verifier finding of a client other than the public one judges
// rfc9700.pkce-per-auth-method while the public client's keeps its RFC 7636
// requirement.
func TestRunClientsCoversEveryClient(t *testing.T) {
	clean, flawed := newSim(), newSim("verifier-optional")
	clients := []ClientTarget{
		{Role: "public", Target: clean, Endpoint: Endpoint{Authorization: "https://idp.example/authorize", Token: "https://idp.example/token", Client: profiles.Client{ID: "pub", AuthMethod: profiles.AuthNone}}},
		{Role: "confidential", Target: flawed, Endpoint: Endpoint{Authorization: "https://idp.example/authorize", Token: "https://idp.example/token", Client: profiles.Client{ID: "conf", AuthMethod: profiles.AuthClientSecretPost}}},
	}
	res, err := RunClients(context.Background(), clients, Config{Seed: 7, Budget: 41})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.TokenCases != 2*41 || res.Budget != 41 || clean.tokenCalls < 41 || flawed.tokenCalls < 41 {
		t.Errorf("token cases %d (want 82), budget %d, public %d, confidential %d: every client runs the budget", res.Stats.TokenCases, res.Budget, clean.tokenCalls, flawed.tokenCalls)
	}
	if len(res.Findings) == 0 {
		t.Fatal("no finding for the confidential client's verifier-optional")
	}
	for i, f := range res.Findings {
		if f.ID != "F"+string(rune('1'+i)) && i < 9 {
			t.Errorf("finding %d has ID %s", i, f.ID)
		}
		if f.Client != "confidential client conf (client_secret_post)" {
			t.Errorf("finding %s: client %q", f.ID, f.Client)
		}
		if f.Rule == RuleTokenVerifierMissing.Name && (f.Requirement != requirements.PKCEPerAuthMethod || f.Level != requirements.MUST || f.Severity != "must") {
			t.Errorf("finding %s: %s %s %s, want rfc9700.pkce-per-auth-method MUST", f.ID, f.Requirement, f.Level, f.Severity)
		}
	}
	// The public client's findings keep the rule's own requirement.
	if got := RequirementFor(RuleTokenVerifierMissing, "public"); got != requirements.VerifierMissing {
		t.Errorf("public client: %s", got)
	}
	if got := RequirementFor(RuleTokenVerifierRepeated, "extra[0]"); got != requirements.DuplicateParams {
		t.Errorf("repeated verifier of an extra client: %s, want the duplicate-params requirement", got)
	}
	// The reproducer authenticates as the finding's client.
	file := NewFile(res, clients[0].Endpoint, Meta{})
	if c := file.Findings[0].Reproducer.Curl; !strings.Contains(c, "client_secret=$CLIENT_SECRET") || !strings.Contains(c, "client_id=conf") {
		t.Errorf("reproducer does not authenticate as the confidential client:\n%s", c)
	}
}

// TestRunClientsDeadline: a deadline in the past stops every client's
// campaign before its first case, and says so.
func TestRunClientsDeadline(t *testing.T) {
	clients := []ClientTarget{{Role: "public", Target: newSim()}, {Role: "confidential", Target: newSim()}}
	res, err := RunClients(context.Background(), clients, Config{Seed: 1, Budget: 1000, Deadline: time.Now().Add(-time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.TokenCases != 0 || !strings.Contains(res.Stopped, "the time limit came first") || !strings.Contains(res.Stopped, "confidential client") {
		t.Errorf("token cases %d, stopped %q", res.Stats.TokenCases, res.Stopped)
	}
}
