package suites

import (
	"context"

	"github.com/pkcecheck/pkcecheck/requirements"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// verifierSpecs labels the specs of this file.
var verifierSpecs = declareSpecs(requirements.S256Roundtrip, requirements.VerifierMissing, requirements.VerifierEmpty, requirements.VerifierMismatch, requirements.VerifierLength, requirements.VerifierCharset)

// registerVerifier registers the token-endpoint checks of the verifier:
// round trip, missing, empty, mismatch, length and charset. Every negative
// probe spends a fresh code, so servers that burn a code after a failed
// attempt give no false results.
func registerVerifier(t *Target) {
	ginkgo.Describe("code_verifier at the token endpoint", func() {
		ginkgo.It("redeems a code with a 43-character S256 verifier", verifierSpecs.label(requirements.S256Roundtrip), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(43)
			code := t.mustCode(ctx, pub, s256(pair))
			expectIssued(t.redeem(ctx, "43-character verifier", pub, code, &pair.Verifier), "the correct 43-character verifier")
		})
		ginkgo.It("redeems a code with a 128-character S256 verifier using all of -._~", verifierSpecs.label(requirements.S256Roundtrip), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			v := withAllPunctuation(newVerifier(128))
			pair := pkce.Pair{Verifier: v, Challenge: pkce.S256(v), Method: pkce.MethodS256}
			code := t.mustCode(ctx, pub, s256(pair))
			expectIssued(t.redeem(ctx, "128-character verifier", pub, code, &pair.Verifier), "the correct 128-character verifier")
		})

		ginkgo.It("refuses a token request without code_verifier", verifierSpecs.label(requirements.VerifierMissing), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			code := t.mustCode(ctx, pub, s256(newPair(43)))
			t.expectRejected(t.redeem(ctx, "no code_verifier", pub, code, nil), invalidRequestOrGrant)
		})

		ginkgo.It("refuses a token request without code_verifier after a failed attempt on the same code", verifierSpecs.label(requirements.VerifierMissing), func(ctx ginkgo.SpecContext) {
			t.expectStillBound(ctx, t.Profile.Clients.Public)
		})

		ginkgo.It("refuses an empty code_verifier", verifierSpecs.label(requirements.VerifierEmpty), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			code := t.mustCode(ctx, pub, s256(newPair(43)))
			empty := ""
			t.expectRejected(t.redeem(ctx, "code_verifier=", pub, code, &empty), invalidRequestOrGrant)
		})

		ginkgo.Describe("verifier that does not match", func() {
			// The base verifier has 64 characters so that truncated and
			// extended variants are still of valid length.
			for _, m := range mismatches {
				ginkgo.It("refuses a verifier: "+m.name, verifierSpecs.label(requirements.VerifierMismatch), func(ctx ginkgo.SpecContext) {
					pub := t.Profile.Clients.Public
					pair := newPair(64)
					code := t.mustCode(ctx, pub, s256(pair))
					sent := m.mutate(pair.Verifier)
					t.expectRejected(t.redeem(ctx, m.name, pub, code, &sent), m.codes)
				})
			}
			for _, m := range nearMissChallenges {
				ginkgo.It("refuses the right verifier against a challenge that "+m.name, verifierSpecs.label(requirements.VerifierMismatch), func(ctx ginkgo.SpecContext) {
					pub := t.Profile.Clients.Public
					pair := newPair(64)
					registered := m.mutate(pair.Challenge)
					code := t.mustCode(ctx, pub, authRequest{Challenge: registered, Method: pkce.MethodS256})
					t.expectRejected(t.redeem(ctx, "challenge "+m.name, pub, code, &pair.Verifier), invalidGrant)
				})
			}
		})

		for _, n := range []int{pkce.MinVerifierLen - 1, pkce.MaxVerifierLen + 1} {
			ginkgo.It("refuses a verifier of out-of-range length even when its challenge matches: "+strconv.Itoa(n)+" characters", verifierSpecs.label(requirements.VerifierLength), func(ctx ginkgo.SpecContext) {
				t.expectMalformedVerifierRefused(ctx, strconv.Itoa(n)+"-character verifier", newVerifier(n))
			})
		}
		for _, s := range lengthSweeps { // sweeps.go
			ginkgo.It("refuses a verifier of "+s.name+" even when its challenge matches", verifierSpecs.label(requirements.VerifierLength), func(ctx ginkgo.SpecContext) {
				t.expectMalformedVerifierRefused(ctx, "verifier of "+s.name, s.make())
			})
		}

		for _, bad := range badCharacters {
			ginkgo.It("refuses a verifier with "+bad.name+" even when its challenge matches", verifierSpecs.label(requirements.VerifierCharset), func(ctx ginkgo.SpecContext) {
				v := newVerifier(50)
				t.expectMalformedVerifierRefused(ctx, "verifier with "+bad.name, v[:25]+bad.char+v[25:])
			})
		}
		// The right verifier with a trailing newline: a server that strips
		// control characters (or whitespace) before comparing redeems it.
		// The comparison itself is then exact, so this is not a mismatch;
		// what it accepted is a verifier outside the charset.
		ginkgo.It("refuses the right verifier followed by a newline", verifierSpecs.label(requirements.VerifierCharset), func(ctx ginkgo.SpecContext) {
			pub := t.Profile.Clients.Public
			pair := newPair(64)
			code := t.mustCode(ctx, pub, s256(pair))
			sent := pair.Verifier + "\n"
			t.expectRejected(t.redeem(ctx, "the right verifier and a trailing newline", pub, code, &sent), invalidRequestOrGrant)
		})
		for _, s := range charsetSweeps { // sweeps.go
			ginkgo.It("refuses a verifier with "+s.name+" even when its challenge matches", verifierSpecs.label(requirements.VerifierCharset), func(ctx ginkgo.SpecContext) {
				t.expectMalformedVerifierRefused(ctx, "verifier with "+s.name, s.make())
			})
		}
	})
}

// expectMalformedVerifierRefused registers S256(v) for the public client
// and expects v, outside the verifier grammar, to be refused: a server must
// check the verifier's form, not only its hash.
func (t *Target) expectMalformedVerifierRefused(ctx context.Context, probe, v string) {
	pub := t.Profile.Clients.Public
	code := t.mustCode(ctx, pub, authRequest{Challenge: pkce.S256(v), Method: pkce.MethodS256})
	t.expectRejected(t.redeem(ctx, probe, pub, code, &v), invalidRequestOrGrant)
}

// mutation turns the right value into a near miss.
type mutation struct {
	name   string
	mutate func(string) string
	codes  []string
}

var mismatches = []mutation{
	{"random", func(string) string { return newVerifier(64) }, invalidGrant},
	{"first character changed", func(v string) string { return changeAt(v, 0) }, invalidGrant},
	{"middle character changed", func(v string) string { return changeAt(v, len(v)/2) }, invalidGrant},
	{"last character changed", func(v string) string { return changeAt(v, len(v)-1) }, invalidGrant},
	{"letter case flipped", flipCase, invalidGrant},
	{"truncated by one character", func(v string) string { return v[:len(v)-1] }, invalidGrant},
	{"extended by one character", func(v string) string { return v + "A" }, invalidGrant},
}

// nearMissChallenges differ from S256(verifier) where careless comparisons
// do not look: late in the string, or only in letter case. Both stay valid
// S256 challenges (the last character, which carries padding bits, is kept).
var nearMissChallenges = []mutation{
	{"differs in one late character", func(c string) string { return changeAt(c, len(c)-2) }, invalidGrant},
	{"differs only in letter case", func(c string) string { return flipCase(c[:len(c)-1]) + c[len(c)-1:] }, invalidGrant},
}

var badCharacters = []struct{ name, char string }{
	{"a space", " "}, {"a plus sign", "+"}, {"a slash", "/"}, {"an equals sign", "="},
	{"a percent sign", "%"}, {"a non-ASCII letter (é)", "é"}, {"a NUL byte", "\x00"}, {"a newline", "\n"},
}

// changeAt replaces the character at i with a different base64url character.
func changeAt(s string, i int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	c := alphabet[(strings.IndexByte(alphabet, s[i])+1+len(alphabet))%len(alphabet)]
	return s[:i] + string(c) + s[i+1:]
}

// flipCase swaps the case of every ASCII letter; a string with no letter
// gets its first character changed so the result always differs.
func flipCase(s string) string {
	b := []byte(s)
	changed := false
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i], changed = c-32, true
		case c >= 'A' && c <= 'Z':
			b[i], changed = c+32, true
		}
	}
	if !changed {
		return changeAt(s, 0)
	}
	return string(b)
}

// withAllPunctuation puts -._~ into a verifier so the round trip covers the
// whole unreserved alphabet.
func withAllPunctuation(v string) string {
	return v[:len(v)-4] + "-._~"
}
