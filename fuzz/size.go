package fuzz

import (
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// Size is a case's complexity, compared lexicographically from the first
// component: edits, how special the edits are, unusual parameters, unusual sources, bad characters,
// string lengths, how exotic the bad characters are, edit positions and
// the positions of V's bad characters, edit text. The shrinker only ever moves to a strictly smaller case, so it
// never grows a case and always ends.
type Size [9]int

// Less reports whether a is smaller than b.
func (a Size) Less(b Size) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// SizeOf measures a case.
func SizeOf(c Case) Size {
	var s Size
	s[0] = len(c.Challenge.Edits)
	for _, v := range c.Verifiers {
		s[0] += len(v.Edits)
	}
	for _, e := range allEdits(c) {
		s[1] += opRank(e.Op)
	}
	s[2] = methodCost(c.Methods) + verifiersCost(c.Verifiers)
	s[3] = sourceRank(c.Challenge.From)
	for _, v := range c.Verifiers {
		s[3] += sourceRank(v.From)
	}
	texts := []string{c.Verifier}
	for _, v := range c.Verifiers {
		if v.From == FromLiteral {
			texts = append(texts, v.Literal)
		}
	}
	for _, e := range allEdits(c) {
		texts = append(texts, e.Text)
		s[7] += abs(e.Pos)
		s[8] += len([]rune(e.Text))
	}
	for _, t := range texts {
		for _, r := range t {
			if !unreservedRune(r) {
				s[4]++
				s[6] += badRank(r)
			}
		}
	}
	for i, r := range []rune(c.Verifier) {
		if !unreservedRune(r) {
			s[7] += i // a bad character of V further front is simpler
		}
	}
	s[5] = len([]rune(c.Verifier))
	for _, v := range c.Verifiers {
		if v.From == FromLiteral {
			s[5] += len([]rune(v.Literal))
		}
	}
	return s
}

func allEdits(c Case) []Edit {
	out := append([]Edit(nil), c.Challenge.Edits...)
	for _, v := range c.Verifiers {
		out = append(out, v.Edits...)
	}
	return out
}

// opRank orders edits from plain to special: a changed character is the
// simplest difference, a case flip a special one.
func opRank(op string) int {
	switch op {
	case OpBump:
		return 0
	case OpSet, OpDelete:
		return 1
	case OpFlip:
		return 3
	case OpFlipAll:
		return 4
	default:
		return 2
	}
}

func methodCost(m []string) int {
	switch {
	case len(m) == 1 && m[0] == pkce.MethodS256:
		return 0
	case len(m) <= 1:
		return 1
	default:
		return 1 + len(m)
	}
}

func verifiersCost(v []Value) int {
	switch {
	case len(v) == 1:
		return 0
	case v == nil:
		return 1
	default:
		return len(v)
	}
}

func sourceRank(from string) int {
	switch from {
	case FromS256:
		return 0
	case FromVerifier:
		return 0
	case FromChallenge, FromS256Padded:
		return 1
	case FromS256Std:
		return 2
	default: // FromS256Hex, FromLiteral
		return 3
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func unreservedRune(r rune) bool {
	return r < 0x80 && strings.ContainsRune(pkce.Unreserved, r)
}

// simpleBad are the bad characters the shrinker tries, simplest first.
var simpleBad = []rune{'+', '/', '=', ' '}

// badRank orders characters outside the unreserved set from simple to
// exotic: the printable ASCII of simpleBad, other printable ASCII,
// whitespace, control characters, NUL, non-ASCII.
func badRank(r rune) int {
	for i, s := range simpleBad {
		if r == s {
			return i
		}
	}
	switch {
	case r > 0x20 && r < 0x7f:
		return 10
	case r == '\t' || r == '\n' || r == '\r':
		return 11
	case r == 0:
		return 13
	case r < 0x20 || r == 0x7f:
		return 12
	default:
		return 14
	}
}
