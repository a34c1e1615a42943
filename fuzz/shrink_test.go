package fuzz

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// simHolds is a fake target and oracle: the disagreement of kind d holds
// for a candidate when a fresh sim with the given flaws still disagrees
// with the oracle that way.
func simHolds(d Disagreement, p Policy, flaws ...string) Holds {
	s := newSim(flaws...)
	return func(ctx context.Context, c Case) (bool, error) {
		ao, code, err := s.Authorize(ctx, c.Registration())
		if err != nil {
			return false, err
		}
		o := Observation{Authorize: ao}
		if code != "" {
			to, err := s.Token(ctx, code, c.SentVerifiers())
			if err != nil {
				return false, err
			}
			o.Token = &to
		}
		for _, d2 := range Judge(Expect(c, p), o) {
			if d2.sameKind(d) {
				return true, nil
			}
		}
		return false, nil
	}
}

var tokenAccepted = Disagreement{Side: SideToken, Observed: Accept}

func TestShrinkPrefixCompare(t *testing.T) {
	v := strings.Repeat("m8YnmYJMkAnmQ5RjyZLo", 5)[:93]
	raw := Case{Seq: 7, Verifier: v, Challenge: Value{From: FromS256, Edits: []Edit{{Op: OpBump, Pos: 42}}}, Methods: []string{"S256"}, Verifiers: []Value{{From: FromVerifier}}}
	res, err := Shrink(context.Background(), raw, simHolds(tokenAccepted, Policy{}, "prefix-compare"), 30)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Case
	if len(c.Verifier) != 43 || len(c.Challenge.Edits) != 1 || c.Challenge.Edits[0] != (Edit{Op: OpBump, Pos: 40}) {
		t.Errorf("shrunk to %s", Derivation(c))
	}
	if res.Boundary != 40 || res.Runs > 30 || res.Kept < 2 || c.Seq != 7 {
		t.Errorf("result %+v", res)
	}
	if g, _ := Classify(c, tokenAccepted, res.Boundary); g != GroupPrefixCompare {
		t.Errorf("group %s", g)
	}
	t.Logf("%d runs, %d kept: %s", res.Runs, res.Kept, Derivation(c))
}

func TestShrinkCaseInsensitive(t *testing.T) {
	raw := Case{Verifier: strings.Repeat("aZ09", 30), Challenge: Value{From: FromS256, Edits: []Edit{{Op: OpFlip, Pos: 3}, {Op: OpFlip, Pos: 17}, {Op: OpFlip, Pos: 30}}},
		Methods: []string{"S256"}, Verifiers: []Value{{From: FromVerifier}}}
	res, err := Shrink(context.Background(), raw, simHolds(tokenAccepted, Policy{}, "case-insensitive-compare"), 30)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Case
	if len(c.Verifier) != 43 || len(c.Challenge.Edits) != 1 || c.Challenge.Edits[0] != (Edit{Op: OpFlip}) {
		t.Errorf("shrunk to %s", Derivation(c))
	}
	if g, _ := Classify(c, tokenAccepted, res.Boundary); g != GroupCaseInsensitive {
		t.Errorf("group %s", g)
	}
}

func TestShrinkCharset(t *testing.T) {
	v := []rune(strings.Repeat("Ab-._~9", 18)[:120])
	v[5], v[60], v[100] = 0, 'é', '\n'
	raw := Case{Verifier: string(v), Challenge: Value{From: FromS256}, Methods: []string{"S256"}, Verifiers: []Value{{From: FromVerifier}}}
	res, err := Shrink(context.Background(), raw, simHolds(tokenAccepted, Policy{}, "no-charset-check"), 30)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Case
	if utf8.RuneCountInString(c.Verifier) != 43 || badCount([]rune(c.Verifier)) != 1 || !strings.ContainsRune(c.Verifier, '+') {
		t.Errorf("shrunk to %q: want 43 characters with one '+'", c.Verifier)
	}
	if g, title := Classify(c, tokenAccepted, res.Boundary); g != GroupCharsetUnchecked || !strings.Contains(title, "'+'") {
		t.Errorf("group %s: %s", g, title)
	}
}

// TestShrinkInterop: a server refusing long verifiers is shrunk to the
// shortest length it refuses.
func TestShrinkInterop(t *testing.T) {
	raw := Case{Verifier: strings.Repeat("x", 128), Challenge: Value{From: FromS256}, Methods: []string{"S256"}, Verifiers: []Value{{From: FromVerifier}}}
	refused := Disagreement{Side: SideToken, Observed: Refuse}
	res, err := Shrink(context.Background(), raw, simHolds(refused, Policy{}, "s256-short-only"), 30)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Case.Verifier); n != 101 || res.Runs > 12 {
		t.Errorf("shrunk to %d characters in %d runs, want 101 in ≤ 12", n, res.Runs)
	}
}

// TestShrinkBounds: the budget is respected, a case where nothing holds is
// returned unchanged, and a case where everything holds shrinks to the
// smallest the candidates reach.
func TestShrinkBounds(t *testing.T) {
	raw := Case{Seq: 1, Verifier: "a b\x00c" + strings.Repeat("z", 90), Challenge: Value{From: FromS256Std, Edits: []Edit{{Op: OpFlipAll}, {Op: OpBump, Pos: 12}}},
		Methods: []string{"S256", "plain"}, Verifiers: []Value{{From: FromLiteral, Literal: "é\té" + strings.Repeat("q", 70)}, {From: FromVerifier, Edits: []Edit{{Op: OpInsert, Pos: 3, Text: "%41"}}}}}
	never := func(context.Context, Case) (bool, error) { return false, nil }
	res, err := Shrink(context.Background(), raw, never, 30)
	if err != nil || !reflect.DeepEqual(res.Case, raw) || res.Kept != 0 || res.Runs == 0 || res.Runs > 30 {
		t.Errorf("never holds: %+v, %v", res, err)
	}
	always := func(context.Context, Case) (bool, error) { return true, nil }
	for _, budget := range []int{0, 1, 5, 30, 1000} {
		res, err := Shrink(context.Background(), raw, always, budget)
		if err != nil || res.Runs > budget {
			t.Errorf("budget %d: %d runs, %v", budget, res.Runs, err)
		}
		if budget > 0 && !SizeOf(res.Case).Less(SizeOf(raw)) {
			t.Errorf("budget %d: not smaller: %s", budget, Derivation(res.Case))
		}
		if budget == 1000 {
			c := res.Case
			if len(allEdits(c)) != 0 || methodCost(c.Methods) != 0 || len(c.Verifiers) != 1 || c.Challenge.From != FromS256 ||
				c.Verifier != "+abAczzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" || c.Verifiers[0].Literal != "+AA"+strings.Repeat("q", 40) {
				t.Errorf("unbounded: %s %+v", Derivation(c), c)
			}
		}
	}
	boom := errors.New("target gone")
	calls := 0
	failing := func(context.Context, Case) (bool, error) {
		if calls++; calls == 3 {
			return false, boom
		}
		return true, nil
	}
	res, err = Shrink(context.Background(), raw, failing, 30)
	if !errors.Is(err, boom) || res.Kept != 2 || !SizeOf(res.Case).Less(SizeOf(raw)) {
		t.Errorf("failing target: %+v, %v", res, err)
	}
}

// TestShrinkDeterministic: the shrinker is a function of the case and the
// answers it gets.
func TestShrinkDeterministic(t *testing.T) {
	g := NewGenerator(11)
	for range 50 {
		c := g.Next()
		h := func(_ context.Context, cand Case) (bool, error) {
			return len(SizeOf(cand))%2 == 0 && len(cand.Verifier)%3 != 1, nil
		}
		a, _ := Shrink(context.Background(), c, h, 30)
		b, _ := Shrink(context.Background(), c, h, 30)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("case %d shrank differently", c.Seq)
		}
	}
}
