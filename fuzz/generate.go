package fuzz

import (
	"math/rand/v2"
	"slices"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// Generator produces the cases of a campaign, deterministically from its
// seed (math/rand/v2 PCG): the same seed gives the same cases in the same
// order. Each case picks a scenario that decides which axes it varies, so
// that the interesting combinations (the right verifier against a near-miss
// challenge, a malformed verifier whose challenge matches, ...) are common
// rather than a product of rare draws. Every categorical choice is dealt
// from a shuffled deck (weights are card counts), not drawn independently,
// so each variant comes up in every deck's worth of cases: a budget of 150
// covers every scenario and sub-variant several times, whatever the seed.
type Generator struct {
	r     *rand.Rand
	seq   int
	decks map[string][]int
}

// NewGenerator returns a generator seeded with seed.
func NewGenerator(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), decks: map[string][]int{}}
}

// pick deals the next card of the deck named name, refilled and shuffled
// when empty: index i appears weights[i] times per deck.
func (g *Generator) pick(name string, weights ...int) int {
	d := g.decks[name]
	if len(d) == 0 {
		for i, w := range weights {
			for range w {
				d = append(d, i)
			}
		}
		g.r.Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] })
	}
	g.decks[name] = d[1:]
	return d[0]
}

// scenarios, with their weights (cards in a deck of 63).
var scenarios = []struct {
	name   string
	weight int
	gen    func(*Generator, *Case)
}{
	{"roundtrip", 5, (*Generator).roundtrip},
	{"challenge-near-miss", 11, (*Generator).challengeNearMiss},
	{"method-variant", 7, (*Generator).methodVariant},
	{"verifier-form", 11, (*Generator).verifierForm},
	{"verifier-near-miss", 8, (*Generator).verifierNearMiss},
	{"verifier-other", 8, (*Generator).verifierOther},
	{"mixed", 1, (*Generator).mixed},
	{"sweep", 12, (*Generator).sweep}, // sweep.go
}

var scenarioWeights = func() []int {
	w := make([]int, len(scenarios))
	for i, s := range scenarios {
		w[i] = s.weight
	}
	return w
}()

// Next returns the next case.
func (g *Generator) Next() Case {
	g.seq++
	c := Case{
		Seq:       g.seq,
		Challenge: Value{From: FromS256},
		Methods:   []string{pkce.MethodS256},
		Verifiers: []Value{{From: FromVerifier}},
	}
	scenarios[g.pick("scenario", scenarioWeights...)].gen(g, &c)
	return c
}

// roundtrip: everything right, V of valid form with a varied length.
func (g *Generator) roundtrip(c *Case) {
	c.Verifier = g.str(g.validLen(), pkce.Unreserved)
}

// challengeNearMiss: the right V against a registered challenge close to
// S256(V): one late character changed, letters' case flipped, one character
// changed anywhere, truncated, padded, or the digest in another encoding.
func (g *Generator) challengeNearMiss(c *Case) {
	c.Verifier = g.str(g.validLen(), pkce.Unreserved)
	switch g.pick("challenge", 7, 3, 3, 2, 1, 1, 1, 1, 1) {
	case 0:
		c.Challenge.Edits = []Edit{{Op: OpBump, Pos: 38 + g.r.IntN(5)}}
	case 1:
		c.Challenge.Edits = []Edit{{Op: OpFlipAll}}
	case 2:
		// One to four distinct letters of the challenge, not the last
		// (whose flip would make it non-canonical base64url).
		var letters []int
		for i, r := range c.RegisteredChallenge() {
			if flipCase(r) != r && i < 42 {
				letters = append(letters, i)
			}
		}
		g.r.Shuffle(len(letters), func(i, j int) { letters[i], letters[j] = letters[j], letters[i] })
		letters = letters[:min(len(letters), 1+g.r.IntN(4))]
		slices.Sort(letters)
		for _, i := range letters {
			c.Challenge.Edits = append(c.Challenge.Edits, Edit{Op: OpFlip, Pos: i})
		}
	case 3:
		c.Challenge.Edits = []Edit{{Op: OpBump, Pos: g.r.IntN(43)}}
	case 4:
		c.Challenge.Edits = []Edit{{Op: OpTruncate, N: 20 + g.r.IntN(23)}}
	case 5:
		c.Challenge.From = FromS256Padded
	case 6:
		c.Challenge.Edits = []Edit{{Op: OpPad, N: 1}}
	case 7:
		c.Challenge.From = FromS256Std
	default:
		c.Challenge.From = FromS256Hex
	}
}

// methodVariant: the method parameter varied: plain, wrong case, unknown,
// trailing space, empty, omitted, duplicated.
func (g *Generator) methodVariant(c *Case) {
	c.Verifier = g.str(g.validLen(), pkce.Unreserved)
	variants := [][]string{
		{pkce.MethodPlain}, {"s256"}, {"S512"}, {"S256 "}, {"SHA256"}, {""}, nil,
		{pkce.MethodS256, pkce.MethodS256}, {pkce.MethodS256, pkce.MethodPlain}, {"PLAIN"},
	}
	c.Methods = variants[g.pick("method", 2, 1, 1, 1, 1, 2, 2, 1, 1, 1)]
	plainish := c.Methods == nil || c.Methods[0] == "" || c.Methods[0] == pkce.MethodPlain || c.Methods[0] == "PLAIN"
	if !plainish {
		if g.r.IntN(5) == 0 {
			c.Verifiers = []Value{{From: FromChallenge}}
		}
		return
	}
	// A plainish registration, read three ways: a plain challenge (V itself)
	// with V; an S256-shaped challenge (43 base64url characters, valid under
	// both readings) with its plain verifier, the challenge itself; or with
	// its S256 preimage V, which must never redeem a plain code.
	switch g.pick("plainish", 1, 1, 1) {
	case 0:
		c.Challenge = Value{From: FromVerifier}
	case 1:
		c.Verifiers = []Value{{From: FromChallenge}}
	}
}

// verifierForm: V of invalid length or with characters outside the
// unreserved set, its challenge computed over it and V itself sent: the
// server must check the verifier's form, not only the hash.
func (g *Generator) verifierForm(c *Case) {
	if g.pick("form", 2, 3) == 0 {
		c.Verifier = g.str(g.invalidLen(), pkce.Unreserved)
		return
	}
	c.Verifier = g.withBadChars(g.str(g.validLen(), pkce.Unreserved), 1+g.r.IntN(3))
}

// verifierNearMiss: V of valid form registered correctly, and a near miss
// of V sent: one position changed (anywhere, including the last), case
// flipped, a prefix, an extension, a repetition, a bad character.
func (g *Generator) verifierNearMiss(c *Case) {
	c.Verifier = g.str(g.validLen(), pkce.Unreserved)
	n := len(c.Verifier)
	var e Edit
	switch g.pick("near-miss", 3, 2, 2, 1, 3, 2, 1, 1, 2, 2) {
	case 0:
		e = Edit{Op: OpBump, Pos: g.r.IntN(n)}
	case 1:
		e = Edit{Op: OpBump, Pos: n - 1}
	case 2:
		e = Edit{Op: OpFlip, Pos: g.r.IntN(n)}
	case 3:
		e = Edit{Op: OpFlipAll}
	case 4:
		e = Edit{Op: OpTruncate, N: g.r.IntN(n)}
	case 5:
		e = Edit{Op: OpInsert, Pos: n, Text: g.str(1+g.r.IntN(3), pkce.Unreserved)}
	case 6:
		e = Edit{Op: OpRepeat, N: 2}
	case 7:
		e = Edit{Op: OpDelete, Pos: g.r.IntN(n), N: 1}
	case 8:
		e = Edit{Op: OpInsert, Pos: g.r.IntN(n + 1), Text: g.badChar()}
	default:
		e = Edit{Op: OpSet, Pos: g.r.IntN(n), Text: g.badChar()}
	}
	c.Verifiers = []Value{{From: FromVerifier, Edits: []Edit{e}}}
}

// verifierOther: the verifier parameter empty, omitted or duplicated, a
// random string, or the challenge itself sent as the verifier.
func (g *Generator) verifierOther(c *Case) {
	c.Verifier = g.str(g.validLen(), pkce.Unreserved)
	other := Value{From: FromVerifier, Edits: []Edit{{Op: OpBump, Pos: g.r.IntN(len(c.Verifier))}}}
	switch g.pick("other", 4, 4, 2, 3, 4, 3) {
	case 0:
		c.Verifiers = []Value{{From: FromLiteral}}
	case 1:
		c.Verifiers = nil
	case 2:
		c.Verifiers = []Value{other, {From: FromVerifier}}
	case 3:
		c.Verifiers = []Value{{From: FromVerifier}, other}
	case 4:
		c.Verifiers = []Value{{From: FromLiteral, Literal: g.anyString()}}
	default:
		c.Verifiers = []Value{{From: FromChallenge}}
	}
}

// mixed: every axis drawn independently.
func (g *Generator) mixed(c *Case) {
	var a, b Case
	a.Challenge, b.Challenge = Value{From: FromS256}, Value{From: FromS256}
	g.challengeNearMiss(&a)
	g.verifierNearMiss(&b)
	c.Verifier = g.str(g.anyLen(), pkce.Unreserved)
	if g.r.IntN(2) == 0 {
		c.Verifier = g.withBadChars(c.Verifier, 1)
	}
	c.Challenge = a.Challenge
	c.Verifiers = b.Verifiers
	if g.r.IntN(3) == 0 {
		g.methodVariant(&a)
		c.Methods = a.Methods
	}
}

// validLen is a verifier length within 43-128, clustered at the bounds.
func (g *Generator) validLen() int {
	switch g.pick("valid-length", 7, 4, 9) {
	case 0:
		return pkce.MinVerifierLen
	case 1:
		return pkce.MaxVerifierLen
	default:
		return pkce.MinVerifierLen + 1 + g.r.IntN(pkce.MaxVerifierLen-pkce.MinVerifierLen-1)
	}
}

// invalidLen is a length outside 43-128: 42 and 129 most often.
func (g *Generator) invalidLen() int {
	switch g.pick("invalid-length", 1, 1, 1, 1) {
	case 0:
		return pkce.MinVerifierLen - 1
	case 1:
		return pkce.MaxVerifierLen + 1
	case 2:
		return 1 + g.r.IntN(pkce.MinVerifierLen-2)
	default:
		return pkce.MaxVerifierLen + 2 + g.r.IntN(300-pkce.MaxVerifierLen-1)
	}
}

// anyLen is a length in 0-300 clustered at 42, 43, 128 and 129.
func (g *Generator) anyLen() int {
	switch k := g.r.IntN(100); {
	case k < 20:
		return 43
	case k < 30:
		return 42
	case k < 40:
		return 128
	case k < 50:
		return 129
	default:
		return g.r.IntN(301)
	}
}

// str is n characters drawn from alphabet.
func (g *Generator) str(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// anyString is a random string of 0-300 characters, sometimes with
// characters of every class.
func (g *Generator) anyString() string {
	s := g.str(g.anyLen(), pkce.Unreserved)
	if s != "" && g.r.IntN(2) == 0 {
		s = g.withBadChars(s, 1+g.r.IntN(2))
	}
	return s
}

// charClasses are the characters outside the unreserved set the generator
// uses, by class. A percent-encoded "character" is the three characters
// of its escape, sent literally (and so form-encoded again).
var charClasses = [][]string{
	{":", "/", "?", "#", "[", "]", "@", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "="}, // reserved
	{"%41", "%2B", "%7E", "%00"}, // percent-encoded
	{" ", "\t", "\n", "\r"},      // whitespace
	{"\x01", "\x07", "\x1b", "\x7f"},
	{"é", "ü", "€", "😀", "\u00a0", "ß"}, // non-ASCII UTF-8
	{"\x00"},
}

// badChar is one character (or escape) outside the unreserved set.
func (g *Generator) badChar() string {
	cl := charClasses[g.pick("class", 1, 1, 1, 1, 1, 1)]
	return cl[g.r.IntN(len(cl))]
}

// withBadChars replaces k positions of s by bad characters.
func (g *Generator) withBadChars(s string, k int) string {
	if s == "" {
		return g.badChar()
	}
	edits := make([]Edit, k)
	for i := range edits {
		edits[i] = Edit{Op: OpSet, Pos: g.r.IntN(len(s)), Text: g.badChar()}
	}
	return Apply(s, edits)
}
