// Package pkce holds the RFC 7636 primitives: verifier generation, the S256
// and plain transforms, and validators for the verifier and challenge grammar.
package pkce

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// Transformation methods (RFC 7636 §4.2).
const (
	MethodS256  = "S256"
	MethodPlain = "plain"
)

// Verifier length bounds (RFC 7636 §4.1).
const (
	MinVerifierLen = 43
	MaxVerifierLen = 128
)

// Unreserved is the verifier alphabet: ALPHA / DIGIT / "-" / "." / "_" / "~".
const Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

// NewVerifier returns a verifier of n characters drawn uniformly from the
// unreserved alphabet with crypto/rand. n must be within [1, 4096]; values
// outside [43, 128] make deliberately invalid verifiers for probes.
func NewVerifier(n int) (string, error) {
	return NewFromAlphabet(n, Unreserved)
}

// NewFromAlphabet returns n characters drawn uniformly from alphabet.
func NewFromAlphabet(n int, alphabet string) (string, error) {
	if n < 1 || n > 4096 {
		return "", fmt.Errorf("verifier length %d out of range [1, 4096]", n)
	}
	if len(alphabet) == 0 || len(alphabet) > 256 {
		return "", fmt.Errorf("alphabet of %d bytes", len(alphabet))
	}
	out := make([]byte, n)
	// Rejection sampling keeps the draw uniform.
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, 64)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("read random bytes: %w", err)
		}
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out[i] = alphabet[int(b)%len(alphabet)]
			i++
			if i == n {
				break
			}
		}
	}
	return string(out), nil
}

// S256 returns BASE64URL-ENCODE(SHA256(ASCII(verifier))) without padding.
// It hashes the verifier's bytes as given, so probes can compute the
// challenge of verifiers with characters outside the grammar.
func S256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Challenge returns the challenge of verifier under method (S256 or plain).
func Challenge(verifier, method string) (string, error) {
	switch method {
	case MethodS256:
		return S256(verifier), nil
	case MethodPlain:
		return verifier, nil
	default:
		return "", fmt.Errorf("unknown code_challenge_method %q", method)
	}
}

// Pair is a verifier with its challenge.
type Pair struct {
	Verifier  string
	Challenge string
	Method    string
}

// NewPair makes a fresh S256 pair with a verifier of n characters.
func NewPair(n int) (Pair, error) {
	v, err := NewVerifier(n)
	if err != nil {
		return Pair{}, err
	}
	return Pair{Verifier: v, Challenge: S256(v), Method: MethodS256}, nil
}

// ValidateVerifier checks the RFC 7636 §4.1 grammar: 43*128unreserved.
func ValidateVerifier(v string) error {
	if len(v) < MinVerifierLen || len(v) > MaxVerifierLen {
		return fmt.Errorf("code_verifier has %d characters, want %d to %d", len(v), MinVerifierLen, MaxVerifierLen)
	}
	return checkUnreserved("code_verifier", v)
}

// ValidateChallenge checks a challenge for method: for S256 exactly 43
// base64url characters (the length of an unpadded SHA-256 digest); for
// plain the verifier grammar (RFC 7636 §4.2). It does not ask the last S256
// character to be canonical (its 2 unused bits zero): RFC 7636 compares
// challenges as strings, and most servers check only length and alphabet,
// as pkcecheck run and fuzz both do. CanonicalS256 tells the two apart.
func ValidateChallenge(c, method string) error {
	switch method {
	case MethodS256:
		if len(c) != 43 {
			return fmt.Errorf("S256 code_challenge has %d characters, want 43", len(c))
		}
		if err := checkUnreserved("code_challenge", c); err != nil {
			return err
		}
		for i := 0; i < len(c); i++ {
			if c[i] == '.' || c[i] == '~' {
				return fmt.Errorf("S256 code_challenge has %q at offset %d, not base64url", c[i], i)
			}
		}
		return nil
	case MethodPlain:
		if len(c) < MinVerifierLen || len(c) > MaxVerifierLen {
			return fmt.Errorf("plain code_challenge has %d characters, want %d to %d", len(c), MinVerifierLen, MaxVerifierLen)
		}
		return checkUnreserved("code_challenge", c)
	default:
		return fmt.Errorf("unknown code_challenge_method %q", method)
	}
}

// CanonicalS256 reports whether c decodes as canonical unpadded base64url,
// as every S256(verifier) does: a challenge whose last character has
// non-zero unused bits can never be matched by any verifier.
func CanonicalS256(c string) bool {
	_, err := base64.RawURLEncoding.Strict().DecodeString(c)
	return err == nil
}

func checkUnreserved(name, s string) error {
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			return fmt.Errorf("%s has %q at offset %d, outside [A-Za-z0-9-._~]", name, s[i], i)
		}
	}
	return nil
}

func isUnreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
