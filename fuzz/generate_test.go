package fuzz

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// TestGeneratorReproducible: the same seed gives the same cases; another
// seed gives other cases.
func TestGeneratorReproducible(t *testing.T) {
	draw := func(seed uint64) []Case {
		g := NewGenerator(seed)
		out := make([]Case, 400)
		for i := range out {
			out[i] = g.Next()
		}
		return out
	}
	a, b, c := draw(42), draw(42), draw(43)
	if !reflect.DeepEqual(a, b) {
		t.Error("seed 42 gave different cases on two draws")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 42 and 43 gave the same cases")
	}
	for i, cs := range a {
		if cs.Seq != i+1 {
			t.Fatalf("case %d has Seq %d", i, cs.Seq)
		}
	}
}

// TestGeneratorCoverage: within the first 200 cases of any seed, every axis
// of the case grammar shows up.
func TestGeneratorCoverage(t *testing.T) {
	for _, seed := range []uint64{1, 2, 77, 1 << 40} {
		seen := map[string]bool{}
		g := NewGenerator(seed)
		for range 200 {
			c := g.Next()
			for _, k := range features(c) {
				seen[k] = true
			}
		}
		for _, want := range []string{
			"challenge:right", "challenge:late-change", "challenge:case", "challenge:truncated", "challenge:padded",
			"challenge:std-base64", "challenge:hex", "challenge:plain",
			"method:S256", "method:plain", "method:s256", "method:S512", `method:"S256 "`, "method:empty", "method:omitted", "method:duplicated",
			"verifier:right", "verifier:omitted", "verifier:empty", "verifier:duplicated", "verifier:challenge", "verifier:literal",
			"verifier:bump", "verifier:flip", "verifier:truncate", "verifier:insert", "verifier:repeat", "verifier:delete", "verifier:set",
			"V:len42", "V:len43", "V:len128", "V:len129", "V:short", "V:long",
			"class:reserved", "class:percent", "class:whitespace", "class:control", "class:non-ascii", "class:nul",
		} {
			if !seen[want] {
				t.Errorf("seed %d: no case with %s in 200", seed, want)
			}
		}
	}
}

// features names the grammar axes a case exercises.
func features(c Case) []string {
	var f []string
	add := func(s string) { f = append(f, s) }
	switch {
	case c.Challenge.From == FromVerifier:
		add("challenge:plain")
	case c.Challenge.From == FromS256Padded || hasOp(c.Challenge.Edits, OpPad):
		add("challenge:padded")
	case c.Challenge.From == FromS256Std:
		add("challenge:std-base64")
	case c.Challenge.From == FromS256Hex:
		add("challenge:hex")
	case hasOp(c.Challenge.Edits, OpTruncate):
		add("challenge:truncated")
	case hasOp(c.Challenge.Edits, OpFlip) || hasOp(c.Challenge.Edits, OpFlipAll):
		add("challenge:case")
	case len(c.Challenge.Edits) == 1 && c.Challenge.Edits[0].Op == OpBump && c.Challenge.Edits[0].Pos >= 38:
		add("challenge:late-change")
	case len(c.Challenge.Edits) == 0:
		add("challenge:right")
	}
	switch {
	case c.Methods == nil:
		add("method:omitted")
	case len(c.Methods) > 1:
		add("method:duplicated")
	case c.Methods[0] == "":
		add("method:empty")
	case c.Methods[0] == "S256 ":
		add(`method:"S256 "`)
	default:
		add("method:" + c.Methods[0])
	}
	switch {
	case c.Verifiers == nil:
		add("verifier:omitted")
	case len(c.Verifiers) > 1:
		add("verifier:duplicated")
	case c.Verifiers[0].From == FromChallenge:
		add("verifier:challenge")
	case c.Verifiers[0].From == FromLiteral && c.Verifiers[0].Literal == "":
		add("verifier:empty")
	case c.Verifiers[0].From == FromLiteral:
		add("verifier:literal")
	case len(c.Verifiers[0].Edits) == 0:
		add("verifier:right")
	default:
		add("verifier:" + c.Verifiers[0].Edits[0].Op)
	}
	switch n := len(c.Verifier); {
	case n < 42:
		add("V:short")
	case n > 129:
		add("V:long")
	default:
		add("V:len" + strconv.Itoa(n))
	}
	texts := []string{c.Verifier}
	for _, v := range c.Verifiers {
		texts = append(texts, v.Literal)
		for _, e := range v.Edits {
			texts = append(texts, e.Text)
		}
	}
	for _, s := range texts {
		for _, r := range s {
			switch {
			case r == 0:
				add("class:nul")
			case r == '%':
				add("class:percent")
			case r == ' ' || r == '\t' || r == '\n' || r == '\r':
				add("class:whitespace")
			case r < 0x20 || r == 0x7f:
				add("class:control")
			case r >= 0x80:
				add("class:non-ascii")
			case strings.ContainsRune(":/?#[]@!$&'()*+,;=", r):
				add("class:reserved")
			}
		}
	}
	return f
}

func hasOp(edits []Edit, op string) bool {
	for _, e := range edits {
		if e.Op == op {
			return true
		}
	}
	return false
}

// TestGeneratedChallengesWellFormed: the right S256 challenge and its late
// one-character change are well-formed S256 challenges (so a strict server
// issues a code and the token endpoint is what gets tested).
func TestGeneratedChallengesWellFormed(t *testing.T) {
	g := NewGenerator(5)
	n := 0
	for range 2000 {
		c := g.Next()
		if len(c.Methods) != 1 || c.Methods[0] != pkce.MethodS256 || c.Challenge.From != FromS256 {
			continue
		}
		if len(c.Challenge.Edits) > 1 || (len(c.Challenge.Edits) == 1 && c.Challenge.Edits[0].Op != OpBump) {
			continue
		}
		n++
		if err := pkce.ValidateChallenge(c.RegisteredChallenge(), pkce.MethodS256); err != nil {
			t.Errorf("case %d: %v (%s)", c.Seq, err, Derivation(c))
		}
	}
	if n < 500 {
		t.Errorf("only %d S256 cases checked", n)
	}
}
