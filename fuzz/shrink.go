package fuzz

import (
	"context"
	"encoding/json"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// Holds runs a candidate case and reports whether it still shows the
// disagreement being shrunk. Each call costs one run against the target.
type Holds func(ctx context.Context, c Case) (bool, error)

// ShrinkResult is the outcome of shrinking one case.
type ShrinkResult struct {
	Case Case
	// Runs is how many candidates were run; Kept how many of them still
	// disagreed (and were taken).
	Runs, Kept int
	// Boundary, when ≥ 1, is the earliest position at which the moved edit
	// still disagrees: the edit one position earlier was run and agreed.
	// -1 when no position was searched.
	Boundary int
}

// Shrink minimizes c while holds keeps reporting the disagreement, running
// at most maxRuns candidates. It is a pure function of c apart from holds:
// the candidates are, in order,
//
//  1. structural simplifications, taken greedily until none holds: drop
//     one edit; send one code_challenge_method "S256"; keep one of
//     duplicated values; the challenge as plain S256; a flip of every
//     letter reduced to one flip, and a flip turned into a plain change of
//     that character (kept only if case is not what matters); edit text
//     reduced to one character and bad characters in it made simpler; the
//     bad characters of V (and of a literal verifier) reduced to one, then
//     replaced by simpler ones (+ / = space), and the first bad character
//     of V moved to the front (which shows a check that skips the start);
//  2. the shortest V (then the shortest literal verifier) that holds,
//     trying 43 first, never going below 43 (binary search, keeping V's
//     bad characters);
//  3. each positional edit moved to the earliest position that holds
//     (0 first, then binary search), which exposes comparisons that ignore
//     a tail.
//
// Every kept candidate is strictly smaller (SizeOf), so Shrink never grows
// a case. An error from holds ends shrinking; the result so far is returned
// with it.
func Shrink(ctx context.Context, c Case, holds Holds, maxRuns int) (ShrinkResult, error) {
	s := &shrinker{holds: holds, max: maxRuns, seen: map[string]bool{}, res: ShrinkResult{Case: c.Clone(), Boundary: -1}}
	s.seen[key(c)] = true
	err := s.run(ctx)
	return s.res, err
}

type shrinker struct {
	holds Holds
	max   int
	seen  map[string]bool
	res   ShrinkResult
}

// budgetDone ends shrinking when maxRuns candidates were run.
type budgetDone struct{}

func (budgetDone) Error() string { return "shrink budget spent" }

func (s *shrinker) run(ctx context.Context) error {
	for {
		progress := false
		for _, phase := range []func(context.Context) (bool, error){s.structural, s.lengths, s.positions} {
			p, err := phase(ctx)
			if err != nil {
				if _, ok := err.(budgetDone); ok {
					return nil
				}
				return err
			}
			progress = progress || p
		}
		if !progress {
			return nil
		}
	}
}

// try runs cand if it is smaller and new, and takes it if it holds.
func (s *shrinker) try(ctx context.Context, cand Case) (bool, error) {
	if !SizeOf(cand).Less(SizeOf(s.res.Case)) {
		return false, nil
	}
	k := key(cand)
	if s.seen[k] {
		return false, nil
	}
	if s.res.Runs >= s.max {
		return false, budgetDone{}
	}
	s.seen[k] = true
	s.res.Runs++
	ok, err := s.holds(ctx, cand)
	if err != nil {
		return false, err
	}
	if ok {
		s.res.Case = cand
		s.res.Kept++
	}
	return ok, nil
}

// structural takes the first structural candidate that holds, repeatedly.
func (s *shrinker) structural(ctx context.Context) (bool, error) {
	progress := false
	for {
		took := false
		for _, cand := range Candidates(s.res.Case) {
			ok, err := s.try(ctx, cand)
			if err != nil {
				return progress, err
			}
			if ok {
				took, progress = true, true
				break
			}
		}
		if !took {
			return progress, nil
		}
	}
}

// lengths shortens V, then each literal verifier, to the shortest length
// that holds.
func (s *shrinker) lengths(ctx context.Context) (bool, error) {
	took, err := s.shortest(ctx, len([]rune(s.res.Case.Verifier)), func(c *Case, n int) {
		c.Verifier = shorten(c.Verifier, n)
	})
	if err != nil {
		return took, err
	}
	for vi, v := range s.res.Case.Verifiers {
		if v.From != FromLiteral {
			continue
		}
		t, err := s.shortest(ctx, len([]rune(v.Literal)), func(c *Case, n int) {
			c.Verifiers[vi].Literal = shorten(c.Verifiers[vi].Literal, n)
		})
		took = took || t
		if err != nil {
			return took, err
		}
	}
	return took, nil
}

// shortest searches the shortest length at which set gives a holding case,
// never below 43: 43 first (the canonical valid length), else a binary
// search in 44..n. A string of 43 or fewer characters is left as it is.
func (s *shrinker) shortest(ctx context.Context, n int, set func(*Case, int)) (bool, error) {
	at := func(l int) (bool, error) {
		cand := s.res.Case.Clone()
		set(&cand, l)
		return s.try(ctx, cand)
	}
	if n <= pkce.MinVerifierLen {
		return false, nil // already short: its length may be the point
	}
	ok, err := at(pkce.MinVerifierLen)
	if err != nil || ok {
		return ok, err
	}
	took, _, err := lowest(pkce.MinVerifierLen+1, n, at)
	return took, err
}

// lowest is a binary search in lo..hi, where hi holds, for the lowest value
// at which at holds (at is monotone, as far as the shrinker cares). took
// says whether a value below hi held; hi is the lowest value that did.
func lowest(lo, hi int, at func(int) (bool, error)) (took bool, _ int, err error) {
	for lo < hi {
		mid := (lo + hi) / 2
		ok, err := at(mid)
		if err != nil {
			return took, hi, err
		}
		if ok {
			took, hi = true, mid
		} else {
			lo = mid + 1
		}
	}
	return took, hi, nil
}

// positions moves each positional edit to the earliest position that holds.
func (s *shrinker) positions(ctx context.Context) (bool, error) {
	took := false
	type ref struct{ vi, i int } // vi -1: the challenge
	var refs []ref
	for i, e := range s.res.Case.Challenge.Edits {
		if e.positional() {
			refs = append(refs, ref{-1, i})
		}
	}
	for vi, v := range s.res.Case.Verifiers {
		for i, e := range v.Edits {
			if e.positional() {
				refs = append(refs, ref{vi, i})
			}
		}
	}
	for _, r := range refs {
		edit := func(c *Case) *Edit {
			if r.vi < 0 {
				return &c.Challenge.Edits[r.i]
			}
			return &c.Verifiers[r.vi].Edits[r.i]
		}
		at := func(p int) (bool, error) {
			cand := s.res.Case.Clone()
			edit(&cand).Pos = p
			return s.try(ctx, cand)
		}
		p := edit(&s.res.Case).Pos
		if p <= 0 {
			continue
		}
		ok, err := at(0)
		if err != nil {
			return took, err
		}
		if ok {
			took = true
			continue
		}
		moved, hi, err := lowest(1, p, at)
		took = took || moved
		if err != nil {
			return took, err
		}
		// Every position below hi that was run agreed; hi-1 was run (as 0
		// or as a midpoint) unless the search never moved lo.
		if s.seen[keyWithPos(s.res.Case, edit, hi-1)] {
			s.res.Boundary = hi
		}
	}
	return took, nil
}

func keyWithPos(c Case, edit func(*Case) *Edit, p int) string {
	n := c.Clone()
	edit(&n).Pos = p
	return key(n)
}

// key identifies a case's content (not its sequence number).
func key(c Case) string {
	c.Seq = 0
	b, _ := json.Marshal(c)
	return string(b)
}
