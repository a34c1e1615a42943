package fuzz

import (
	"fmt"
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// Groups: the root causes findings are grouped by. Each names the flaw it
// stands for, so that findings of one cause end up together whatever raw
// case showed them first.
const (
	GroupVerifierMissing     = "verifier-missing-accepted"
	GroupVerifierEmpty       = "verifier-empty-accepted"
	GroupDuplicateVerifier   = "duplicate-verifier-accepted"
	GroupMethodNotBound      = "method-not-bound"
	GroupCharsetUnchecked    = "verifier-charset-unchecked"
	GroupLengthUnchecked     = "verifier-length-unchecked"
	GroupPrefixCompare       = "challenge-prefix-compare"
	GroupCaseInsensitive     = "challenge-case-insensitive-compare"
	GroupPartialChallenge    = "challenge-partial-compare"
	GroupChallengeMismatch   = "challenge-mismatch-accepted"
	GroupVerifierMismatch    = "verifier-mismatch-accepted"
	GroupDuplicateMethod     = "duplicate-method-accepted"
	GroupMethodUnsupported   = "method-unsupported-accepted"
	GroupPlainAccepted       = "plain-accepted"
	GroupOmittedAsS256       = "omitted-method-as-s256"
	GroupChallengeFormat     = "challenge-format-unchecked"
	GroupInteropToken        = "interop-token-refused"
	GroupInteropAuthorize    = "interop-authorize-refused"
	GroupUnclassifiedAccepts = "unclassified"
)

// Classify names the root cause of disagreement d shown by case c and says
// it in one sentence. boundary is ShrinkResult.Boundary (-1 when unknown):
// a challenge edit that disagrees from position boundary on but not one
// position earlier means the server compares a prefix.
func Classify(c Case, d Disagreement, boundary int) (group, title string) {
	switch {
	case d.Side == SideAuthorize && d.Observed == Accept:
		return classifyAuthorize(c, d)
	case d.Side == SideAuthorize:
		return GroupInteropAuthorize, "a well-formed S256 registration is refused at /authorize (" + describeRegistration(c) + ")"
	case d.Observed == Refuse:
		sent := c.SentVerifiers()
		if len(sent) == 1 {
			return GroupInteropToken, fmt.Sprintf("the right verifier of valid form is refused: %d characters", len(sent[0]))
		}
		return GroupInteropToken, "the right verifier of valid form is refused"
	}
	return classifyToken(c, d, boundary)
}

func classifyAuthorize(c Case, d Disagreement) (string, string) {
	switch d.Rule {
	case RuleAuthorizeDuplicateMethod:
		return GroupDuplicateMethod, "a repeated code_challenge_method is accepted at /authorize (" + describeMethods(c.Methods) + ")"
	case RuleAuthorizeUnknownMethod:
		return GroupMethodUnsupported, "an unregistered code_challenge_method is accepted at /authorize: " + describeMethods(c.Methods)
	case RuleAuthorizeMalformedChallenge:
		ch := c.RegisteredChallenge()
		return GroupChallengeFormat, fmt.Sprintf("a malformed challenge is accepted at /authorize (%d characters, %s)", len(ch), describeChars(ch))
	}
	return GroupUnclassifiedAccepts, "the authorization request should have been refused: " + d.Why
}

func classifyToken(c Case, d Disagreement, boundary int) (string, string) {
	switch d.Rule {
	case RuleTokenPlainForbidden:
		if plainReading(c) && !explicitPlain(c) {
			return GroupPlainAccepted, "a challenge without code_challenge_method (which means plain) is accepted and its plain verifier redeems the code, although the policy forbids plain"
		}
		return GroupPlainAccepted, "code_challenge_method=plain is accepted and its plain verifier redeems the code, although the policy forbids plain"
	case RuleTokenOmittedAsS256:
		return GroupOmittedAsS256, "a challenge without code_challenge_method is verified as S256: its S256 preimage redeems the code (an omitted method means plain)"
	}
	sent := c.SentVerifiers()
	switch {
	case sent == nil:
		return GroupVerifierMissing, "a token request without code_verifier redeems a PKCE code"
	case len(sent) > 1:
		return GroupDuplicateVerifier, fmt.Sprintf("a repeated code_verifier (%d values) is accepted", len(sent))
	case sent[0] == "":
		return GroupVerifierEmpty, "an empty code_verifier redeems a PKCE code"
	}
	v, reg := sent[0], c.RegisteredChallenge()
	plain := plainReading(c)
	right := pkce.S256(c.Verifier)
	if plain {
		right = c.Verifier
	}
	if !plain && v == reg && v != c.Verifier {
		return GroupMethodNotBound, "the registered S256 challenge itself is accepted as the verifier"
	}
	if v != c.Verifier {
		return GroupVerifierMismatch, "a wrong verifier redeems the code: " + describeValue(c, c.Verifiers[0], "V")
	}
	if reg == right {
		n, bad := len([]rune(v)), badCount([]rune(v)) > 0
		switch {
		case bad && d.Rule != RuleTokenVerifierLength:
			return GroupCharsetUnchecked, fmt.Sprintf("verifier charset is not checked: a %d-character verifier with %s, the first %s, and a matching challenge redeems the code", n, describeChars(v), badPlace(v))
		case bad:
			return GroupLengthUnchecked, fmt.Sprintf("verifier length is not checked: a %d-character verifier (with %s) and a matching challenge redeems the code", n, describeChars(v))
		}
		return GroupLengthUnchecked, fmt.Sprintf("verifier length is not checked: a %d-character verifier with a matching challenge redeems the code", n)
	}
	diff := firstDiff(reg, right)
	switch {
	case boundary >= 1 && diff >= boundary:
		return GroupPrefixCompare, fmt.Sprintf("the challenge is compared on a prefix: a registered challenge that differs from the right one only from position %d on (0-based) is accepted, so only the first %d characters count", boundary, boundary)
	case strings.EqualFold(reg, right):
		return GroupCaseInsensitive, "the challenge is compared ignoring letter case: a registered challenge that differs from the right one only in case is accepted"
	case strings.HasPrefix(right, reg) || strings.HasPrefix(reg, right):
		return GroupPartialChallenge, fmt.Sprintf("a registered challenge of %d characters is accepted for a verifier whose challenge (%d characters) it only overlaps", len(reg), len(right))
	}
	return GroupChallengeMismatch, "the right verifier redeems a code registered with another challenge: " + describeValue(c, c.Challenge, "S256(V)")
}

// badPlace says where the first character of v outside the unreserved set
// sits: first, last, or its position (0-based) of how many.
func badPlace(v string) string {
	r := []rune(v)
	switch i := firstBad(r); {
	case i == 0:
		return "at position 0 (the first character)"
	case i == len(r)-1:
		return fmt.Sprintf("at position %d (the last character)", i)
	default:
		return fmt.Sprintf("at position %d of %d", i, len(r))
	}
}

// explicitPlain reports whether the case names code_challenge_method=plain.
func explicitPlain(c Case) bool {
	return len(c.Methods) == 1 && c.Methods[0] == pkce.MethodPlain
}

// plainReading reports whether the case's registration means plain.
func plainReading(c Case) bool {
	return len(c.Methods) == 0 || (len(c.Methods) == 1 && (c.Methods[0] == "" || c.Methods[0] == pkce.MethodPlain))
}

// firstDiff is the first index at which a and b differ (or the shorter
// length).
func firstDiff(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// describeChars names the characters of s outside the unreserved set.
func describeChars(s string) string {
	var bad []string
	seen := map[rune]bool{}
	for _, r := range s {
		if !unreservedRune(r) && !seen[r] {
			seen[r] = true
			bad = append(bad, quoteRune(r))
		}
	}
	if len(bad) == 0 {
		return "only unreserved characters"
	}
	if len(bad) > 4 {
		bad = append(bad[:4], "...")
	}
	return "characters outside [A-Za-z0-9-._~]: " + strings.Join(bad, " ")
}

func quoteRune(r rune) string {
	q := quote(string(r))
	return "'" + q[1:len(q)-1] + "'"
}

func describeMethods(m []string) string {
	switch len(m) {
	case 0:
		return "code_challenge_method omitted"
	case 1:
		return "code_challenge_method=" + quote(m[0])
	}
	q := make([]string, len(m))
	for i, s := range m {
		q[i] = quote(s)
	}
	return "code_challenge_method " + strings.Join(q, " and ")
}

func describeRegistration(c Case) string {
	return fmt.Sprintf("%s, challenge %s", describeMethods(c.Methods), describeValue(c, c.Challenge, "S256(V)"))
}

// describeValue says how a Value derives from V, e.g. "S256(V) with the
// character at position 40 changed".
func describeValue(c Case, v Value, base string) string {
	var s string
	switch v.From {
	case FromS256:
		s = "S256(V)"
	case FromS256Padded:
		s = "S256(V) with = padding"
	case FromS256Std:
		s = "the SHA-256 digest of V in standard base64 (+/ and padding)"
	case FromS256Hex:
		s = "the SHA-256 digest of V in hex"
	case FromVerifier:
		s = "V"
	case FromChallenge:
		s = "the registered challenge"
	default:
		s = fmt.Sprintf("a %d-character string", len(v.Literal))
	}
	if len(v.Edits) == 0 {
		if s == base {
			return s + " (unchanged)"
		}
		return s
	}
	parts := make([]string, len(v.Edits))
	for i, e := range v.Edits {
		parts[i] = describeEdit(e)
	}
	return s + " with " + strings.Join(parts, ", then ")
}

func describeEdit(e Edit) string {
	switch e.Op {
	case OpBump:
		return fmt.Sprintf("the character at position %d changed", e.Pos)
	case OpFlip:
		return fmt.Sprintf("the case of the first letter from position %d flipped", e.Pos)
	case OpFlipAll:
		return "the case of every letter flipped"
	case OpSet:
		return fmt.Sprintf("the character at position %d replaced by %s", e.Pos, quote(e.Text))
	case OpInsert:
		return fmt.Sprintf("%s inserted at position %d", quote(e.Text), e.Pos)
	case OpDelete:
		return fmt.Sprintf("%d character(s) deleted at position %d", max(1, e.N), e.Pos)
	case OpTruncate:
		return fmt.Sprintf("only its first %d characters", e.N)
	case OpRepeat:
		return fmt.Sprintf("repeated %d times", e.N)
	case OpPad:
		return fmt.Sprintf("%d '=' appended", max(1, e.N))
	}
	return e.Op
}

// Derivation says in words how the case's strings derive from V.
func Derivation(c Case) string {
	var vs string
	switch len(c.Verifiers) {
	case 0:
		vs = "code_verifier omitted"
	default:
		parts := make([]string, len(c.Verifiers))
		for i, v := range c.Verifiers {
			parts[i] = describeValue(c, v, "V")
		}
		vs = "code_verifier = " + strings.Join(parts, " and ")
	}
	return fmt.Sprintf("V has %d characters (%s); code_challenge = %s; %s; %s",
		len([]rune(c.Verifier)), describeChars(c.Verifier), describeValue(c, c.Challenge, "S256(V)"), describeMethods(c.Methods), vs)
}
