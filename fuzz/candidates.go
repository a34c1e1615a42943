package fuzz

import (
	"slices"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// Candidates are the structural simplifications of c, most valuable first.
// Not all are smaller than c; Shrink skips those that are not.
func Candidates(c Case) []Case {
	var out []Case
	with := func(f func(*Case)) {
		n := c.Clone()
		f(&n)
		out = append(out, n)
	}
	for i := range c.Challenge.Edits {
		with(func(n *Case) { n.Challenge.Edits = slices.Delete(n.Challenge.Edits, i, i+1) })
	}
	for vi, v := range c.Verifiers {
		for i := range v.Edits {
			with(func(n *Case) { n.Verifiers[vi].Edits = slices.Delete(n.Verifiers[vi].Edits, i, i+1) })
		}
	}
	if methodCost(c.Methods) > 0 {
		with(func(n *Case) { n.Methods = []string{pkce.MethodS256} })
		if len(c.Methods) > 1 {
			for i := range c.Methods {
				with(func(n *Case) { n.Methods = []string{n.Methods[i]} })
			}
		}
	}
	if len(c.Verifiers) > 1 {
		for i := range c.Verifiers {
			with(func(n *Case) { n.Verifiers = []Value{n.Verifiers[i]} })
		}
	}
	if c.Challenge.From != FromS256 {
		with(func(n *Case) { n.Challenge.From = FromS256 })
	}
	for i, e := range c.Challenge.Edits {
		switch e.Op {
		case OpFlipAll:
			with(func(n *Case) { n.Challenge.Edits[i] = Edit{Op: OpFlip} })
		case OpFlip:
			// Any change, not just of case, at the flipped letter.
			src := Apply(c.source(c.Challenge), c.Challenge.Edits[:i])
			if at := flipIndex([]rune(src), e.Pos); at >= 0 {
				with(func(n *Case) { n.Challenge.Edits[i] = Edit{Op: OpBump, Pos: at} })
			}
		}
	}
	for vi, v := range c.Verifiers {
		for i, e := range v.Edits {
			switch {
			case e.Op == OpFlipAll:
				with(func(n *Case) { n.Verifiers[vi].Edits[i] = Edit{Op: OpFlip} })
			case (e.Op == OpSet || e.Op == OpInsert) && len([]rune(e.Text)) > 1:
				with(func(n *Case) { n.Verifiers[vi].Edits[i].Text = string([]rune(e.Text)[:1]) })
			case e.Op == OpSet || e.Op == OpInsert:
				for _, t := range simpler([]rune(e.Text)[0]) {
					with(func(n *Case) { n.Verifiers[vi].Edits[i].Text = string(t) })
				}
			}
		}
	}
	for _, s := range simplerStrings(c.Verifier) {
		with(func(n *Case) { n.Verifier = s })
	}
	if s, ok := badFirst(c.Verifier); ok {
		with(func(n *Case) { n.Verifier = s })
	}
	for vi, v := range c.Verifiers {
		if v.From == FromLiteral {
			for _, s := range simplerStrings(v.Literal) {
				with(func(n *Case) { n.Verifiers[vi].Literal = s })
			}
		}
	}
	return out
}

// simplerStrings are s with its bad characters reduced to the first one,
// or, when it has one, with that one replaced by simpler ones.
func simplerStrings(s string) []string {
	r := []rune(s)
	if badCount(r) > 1 {
		return []string{keepFirstBad(r)}
	}
	i := firstBad(r)
	if i < 0 {
		return nil
	}
	var out []string
	for _, t := range simpler(r[i]) {
		r2 := slices.Clone(r)
		r2[i] = t
		out = append(out, string(r2))
	}
	return out
}

// simpler are the simpleBad characters of lower rank than r.
func simpler(r rune) []rune {
	var out []rune
	for _, s := range simpleBad {
		if badRank(s) < badRank(r) {
			out = append(out, s)
		}
	}
	return out
}

func badCount(r []rune) int {
	n := 0
	for _, c := range r {
		if !unreservedRune(c) {
			n++
		}
	}
	return n
}

func firstBad(r []rune) int {
	for i, c := range r {
		if !unreservedRune(c) {
			return i
		}
	}
	return -1
}

// keepFirstBad replaces every bad character but the first by 'A'.
func keepFirstBad(r []rune) string {
	out := slices.Clone(r)
	seen := false
	for i, c := range out {
		if !unreservedRune(c) {
			if seen {
				out[i] = 'A'
			}
			seen = true
		}
	}
	return string(out)
}

// shorten keeps n runes of s, keeping its bad characters first.
func shorten(s string, n int) string {
	r := []rune(s)
	bad := min(badCount(r), n)
	good := n - bad
	out := make([]rune, 0, n)
	for _, c := range r {
		switch {
		case !unreservedRune(c) && bad > 0:
			out = append(out, c)
			bad--
		case unreservedRune(c) && good > 0:
			out = append(out, c)
			good--
		}
	}
	return string(out)
}

// badFirst is s with its first bad character moved to the front (a check
// that skips the start of a value shows there); ok is false when s has no
// bad character or starts with one.
func badFirst(s string) (string, bool) {
	r := []rune(s)
	i := firstBad(r)
	if i <= 0 {
		return "", false
	}
	return string(slices.Concat(r[i:i+1], r[:i], r[i+1:])), true
}
