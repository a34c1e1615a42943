package fuzz

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
)

// Case is one fuzz case: what is registered at /authorize and what is sent
// to /token. The registered challenge and the sent verifiers are derived
// from Verifier (V) by Values, so that the shrinker can change V and keep
// every derived string consistent with it.
type Case struct {
	// Seq numbers the case in its campaign (1-based; 0 for shrink candidates
	// built from it keep their parent's number).
	Seq int `json:"seq"`
	// Verifier is V, the string the challenge is computed over. It may itself
	// be malformed (wrong length, characters outside the unreserved set).
	Verifier string `json:"verifier"`
	// Challenge is the code_challenge sent to /authorize.
	Challenge Value `json:"challenge"`
	// Methods are the code_challenge_method values sent, in order: nil
	// omits the parameter, [""] sends it empty, two values duplicate it.
	Methods []string `json:"methods"`
	// Verifiers are the code_verifier values sent to /token, in order: nil
	// omits the parameter, two values duplicate it.
	Verifiers []Value `json:"verifiers"`
}

// Sources a Value is derived from.
const (
	FromS256       = "s256"        // BASE64URL(SHA256(V)), the right S256 challenge
	FromS256Padded = "s256-padded" // the same with "=" padding
	FromS256Std    = "s256-std"    // standard base64 (+/) with padding
	FromS256Hex    = "s256-hex"    // the digest in lower-case hex
	FromVerifier   = "verifier"    // V itself (a plain challenge, or the sent verifier)
	FromChallenge  = "challenge"   // the registered challenge (sent as the verifier)
	FromLiteral    = "literal"     // Value.Literal
)

// Value is a string derived from a case's V: a source, then edits applied
// in order.
type Value struct {
	From    string `json:"from"`
	Literal string `json:"literal,omitempty"`
	Edits   []Edit `json:"edits,omitempty"`
}

// Edit operations. Positions count runes; a negative position counts from
// the end; positions past the end are clamped.
const (
	OpBump     = "bump"     // replace the rune at Pos by the next base64url character
	OpFlip     = "flip"     // flip the case of the first letter at or after Pos (if any)
	OpFlipAll  = "flipall"  // flip the case of every letter
	OpSet      = "set"      // replace the rune at Pos by Text
	OpInsert   = "insert"   // insert Text before Pos (Pos = length appends)
	OpDelete   = "delete"   // delete N runes from Pos
	OpTruncate = "truncate" // keep the first N runes
	OpRepeat   = "repeat"   // N copies of the whole string
	OpPad      = "pad"      // append N "=" characters
)

// Edit is one change to a string.
type Edit struct {
	Op   string `json:"op"`
	Pos  int    `json:"pos,omitempty"`
	N    int    `json:"n,omitempty"`
	Text string `json:"text,omitempty"`
}

// positional reports whether the edit acts at a position the shrinker may
// move.
func (e Edit) positional() bool {
	switch e.Op {
	case OpBump, OpFlip, OpSet, OpInsert, OpDelete:
		return true
	}
	return false
}

// b64url is the base64url alphabet, in index order.
const b64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// maxDerived bounds a derived string (repeats of long verifiers).
const maxDerived = 4096

// Apply applies edits to s in order.
func Apply(s string, edits []Edit) string {
	r := []rune(s)
	for _, e := range edits {
		r = applyOne(r, e)
		if len(r) > maxDerived {
			r = r[:maxDerived]
		}
	}
	return string(r)
}

// resolve turns a position into an index in [0, n-1] (or [0, n] for
// inserts); ok is false for an empty string.
func resolve(pos, n int, insert bool) (int, bool) {
	limit := n - 1
	if insert {
		limit = n
	}
	if limit < 0 {
		return 0, false
	}
	if pos < 0 {
		pos += n
	}
	return max(0, min(pos, limit)), true
}

func applyOne(r []rune, e Edit) []rune {
	switch e.Op {
	case OpBump:
		if i, ok := resolve(e.Pos, len(r), false); ok {
			r = slices.Clone(r)
			r[i] = bump(r[i], len(r) == 43 && i == 42)
		}
	case OpFlip:
		if j := flipIndex(r, e.Pos); j >= 0 {
			r = slices.Clone(r)
			r[j] = flipCase(r[j])
		}
	case OpFlipAll:
		out := make([]rune, len(r))
		for i, c := range r {
			out[i] = flipCase(c)
		}
		r = out
	case OpSet:
		if i, ok := resolve(e.Pos, len(r), false); ok {
			r = slices.Concat(r[:i], []rune(e.Text), r[i+1:])
		}
	case OpInsert:
		i, _ := resolve(e.Pos, len(r), true)
		r = slices.Concat(r[:i], []rune(e.Text), r[i:])
	case OpDelete:
		if i, ok := resolve(e.Pos, len(r), false); ok {
			r = slices.Concat(r[:i], r[min(len(r), i+max(1, e.N)):])
		}
	case OpTruncate:
		r = r[:max(0, min(e.N, len(r)))]
	case OpRepeat:
		out := []rune{}
		for k := 0; k < max(1, min(e.N, 8)); k++ {
			out = append(out, r...)
		}
		r = out
	case OpPad:
		for k := 0; k < max(1, min(e.N, 8)); k++ {
			r = append(slices.Clone(r), '=')
		}
	}
	return r
}

// flipIndex is the index of the letter a flip at pos changes: the first
// letter at or after pos; -1 if there is none.
func flipIndex(r []rune, pos int) int {
	i, ok := resolve(pos, len(r), false)
	if !ok {
		return -1
	}
	for j := i; j < len(r); j++ {
		if flipCase(r[j]) != r[j] {
			return j
		}
	}
	return -1
}

// bump returns a base64url character different from c: the next one in the
// alphabet, or four on when canonical is set (the last character of a
// 43-character S256 challenge carries 4 bits, so a step of 4 keeps it
// canonical base64url).
func bump(c rune, canonical bool) rune {
	step := 1
	if canonical {
		step = 4
	}
	for i, a := range b64url {
		if a == c {
			return rune(b64url[(i+step)%len(b64url)])
		}
	}
	if c == 'A' {
		return 'B'
	}
	return 'A'
}

func flipCase(c rune) rune {
	switch {
	case c >= 'a' && c <= 'z':
		return c - 'a' + 'A'
	case c >= 'A' && c <= 'Z':
		return c - 'A' + 'a'
	}
	return c
}

// digest is SHA-256 over the UTF-8 bytes of v (RFC 7636 §4.2 says ASCII; a
// malformed V is hashed as the bytes that are sent).
func digest(v string) []byte {
	sum := sha256.Sum256([]byte(v))
	return sum[:]
}

// source returns the unedited string a Value starts from.
func (c *Case) source(v Value) string {
	switch v.From {
	case FromS256:
		return base64.RawURLEncoding.EncodeToString(digest(c.Verifier))
	case FromS256Padded:
		return base64.URLEncoding.EncodeToString(digest(c.Verifier))
	case FromS256Std:
		return base64.StdEncoding.EncodeToString(digest(c.Verifier))
	case FromS256Hex:
		return hex.EncodeToString(digest(c.Verifier))
	case FromVerifier:
		return c.Verifier
	case FromChallenge:
		if c.Challenge.From == FromChallenge { // no cycles
			return ""
		}
		return c.RegisteredChallenge()
	default:
		return v.Literal
	}
}

// resolveValue is the string a Value stands for in this case.
func (c *Case) resolveValue(v Value) string { return Apply(c.source(v), v.Edits) }

// RegisteredChallenge is the code_challenge sent to /authorize.
func (c *Case) RegisteredChallenge() string { return c.resolveValue(c.Challenge) }

// SentVerifiers are the code_verifier values sent to /token (nil: omitted).
func (c *Case) SentVerifiers() []string {
	if c.Verifiers == nil {
		return nil
	}
	out := make([]string, len(c.Verifiers))
	for i, v := range c.Verifiers {
		out[i] = c.resolveValue(v)
	}
	return out
}

// Clone returns a deep copy.
func (c Case) Clone() Case {
	c.Challenge = c.Challenge.clone()
	c.Methods = slices.Clone(c.Methods)
	if c.Verifiers != nil {
		vs := make([]Value, len(c.Verifiers))
		for i, v := range c.Verifiers {
			vs[i] = v.clone()
		}
		c.Verifiers = vs
	}
	return c
}

func (v Value) clone() Value {
	v.Edits = slices.Clone(v.Edits)
	return v
}

// Registration is what a case sends to /authorize besides the client's
// standard parameters.
type Registration struct {
	Challenge string
	// Methods as in Case.Methods.
	Methods []string
}

// Registration returns the PKCE parameters of the authorization request.
func (c *Case) Registration() Registration {
	return Registration{Challenge: c.RegisteredChallenge(), Methods: slices.Clone(c.Methods)}
}
