package fuzz

import (
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// Sweep kinds: one bad part, moved through the value or reshaped. A check
// that sees only part of a value (a prefix, the first N characters, a
// pattern anchored at one end, a name matched by containment or after
// trimming) lets some of them through; the shrinker then brings the case
// down to the position and shape that shows it. The suites' sweeps
// (suites/sweeps.go) are the bounded set of the same in `pkcecheck run`.
const (
	sweepCharsetFirst   = iota // a bad character first, 44 or 128 characters in all
	sweepCharsetMiddle         // a bad character in the middle of 64
	sweepCharsetLast           // a bad character last, 44 or 128 characters in all
	sweepCharsetEscape         // a percent escape of an unreserved character in the middle
	sweepLengthByte            // 256 + 43 or 256 + 128 characters (a length kept in one byte)
	sweepLengthEscape          // 129 characters holding an escape (127 once decoded)
	sweepChallengeAlpha        // '~' or '.' (unreserved, not base64url) in a 43-character S256 challenge
	sweepChallengeBad          // another character outside base64url in a 43-character S256 challenge
	sweepChallengeSpace        // whitespace before or after S256(V)
	sweepMethodSpace           // S256 with whitespace around it
	sweepMethodShort           // S256 truncated
	sweepMethodLong            // S256 extended
	sweepMethodOther           // another algorithm's name
	sweepMethodPlain           // plain spelled otherwise
	sweepMethodAbsent          // no name at all (omitted or empty: plain), with S256(V) and V, its S256 preimage
	sweepKinds
)

// Near-miss values of the sweeps.
var (
	// unreservedEscapes decode to unreserved characters: a server that
	// decodes code_verifier a second time sees a valid verifier.
	unreservedEscapes = []string{"%41", "%7E", "%2D", "%5F", "%61"}
	// challengeBad are characters outside base64url other than '~' and '.'.
	challengeBad = []string{"+", "/", "=", "%", " ", ":", "é", "\x00"}
	whitespace   = []string{" ", "\t", "\n", "\r"}
	methodNear   = [sweepKinds][]string{
		sweepMethodSpace: {" S256", "S256 ", "\tS256", "S256\n"},
		sweepMethodShort: {"S25", "S2", "S"},
		sweepMethodLong:  {"S2566", "S256x", "S256S256"},
		sweepMethodOther: {"S384", "RS256", "SHA-256", "S-256"},
		sweepMethodPlain: {"Plain", "PLAIN", "plain ", "plai"},
	}
)

// sweep builds a case of the next sweep kind: every kind comes up once in
// each deck of sweepKinds sweep cases.
func (g *Generator) sweep(c *Case) {
	kind := g.pick("sweep", ones(sweepKinds)...)
	c.Verifier = g.str(g.validLen(), pkce.Unreserved)
	switch kind {
	case sweepCharsetFirst:
		c.Verifier = g.badRune() + g.str(g.bound()-1, pkce.Unreserved)
	case sweepCharsetMiddle:
		c.Verifier = g.str(32, pkce.Unreserved) + g.badRune() + g.str(31, pkce.Unreserved)
	case sweepCharsetLast:
		c.Verifier = g.str(g.bound()-1, pkce.Unreserved) + g.badRune()
	case sweepCharsetEscape:
		c.Verifier = g.str(30, pkce.Unreserved) + g.oneOf(unreservedEscapes) + g.str(31, pkce.Unreserved)
	case sweepLengthByte:
		c.Verifier = g.str(256+g.bound(), pkce.Unreserved)
	case sweepLengthEscape:
		c.Verifier = g.str(63, pkce.Unreserved) + g.oneOf(unreservedEscapes) + g.str(63, pkce.Unreserved)
	case sweepChallengeAlpha:
		c.Challenge.Edits = []Edit{{Op: OpSet, Pos: g.place(), Text: g.oneOf([]string{"~", "."})}}
	case sweepChallengeBad:
		c.Challenge.Edits = []Edit{{Op: OpSet, Pos: g.place(), Text: g.oneOf(challengeBad)}}
	case sweepChallengeSpace:
		pos := 0
		if g.r.IntN(2) == 0 {
			pos = 43
		}
		c.Challenge.Edits = []Edit{{Op: OpInsert, Pos: pos, Text: g.oneOf(whitespace)}}
	case sweepMethodAbsent:
		c.Methods = [][]string{nil, {""}}[g.r.IntN(2)]
	default:
		c.Methods = []string{g.oneOf(methodNear[kind])}
	}
}

// badRune is one character outside the unreserved set, of every class but
// the percent escapes (sweepCharsetEscape sends those).
func (g *Generator) badRune() string {
	cl := charClasses[g.pick("sweep-class", 1, 0, 1, 1, 1, 1)]
	return cl[g.r.IntN(len(cl))]
}

// bound is 44 or 128: with one bad character, 43 or 127 good ones, so
// that a check that skips the bad end still sees a verifier of valid
// length, and the whole is at a length bound.
func (g *Generator) bound() int {
	if g.r.IntN(2) == 0 {
		return pkce.MinVerifierLen + 1
	}
	return pkce.MaxVerifierLen
}

// place is the first, a middle or the last position of a 43-character
// S256 challenge.
func (g *Generator) place() int {
	return []int{0, 21, 42}[g.pick("place", 1, 1, 1)]
}

func (g *Generator) oneOf(s []string) string { return s[g.r.IntN(len(s))] }

// ones is n weights of one.
func ones(n int) []int {
	w := make([]int, n)
	for i := range w {
		w[i] = 1
	}
	return w
}
