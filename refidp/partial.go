package refidp

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// Partial-value checks (issue 21, cause 5): each flaw checks a grammar on
// only part of the value, or on another form of it than the one it uses, so
// that only a probe with the bad part in the right place, or of the right
// shape, shows it. The suites' sweeps (suites/sweeps.go) and the fuzz
// grammar's sweep scenario are what catch them.
const (
	flawCharsetRegexpNoStart = "charset-regexp-unanchored-start"
	flawCharsetRegexpNoEnd   = "charset-regexp-unanchored-end"
	flawCharsetBlacklist     = "charset-blacklist"
	flawVerifierDecodedTwice = "verifier-decoded-twice"
	flawLengthInByte         = "verifier-length-in-a-byte"
	flawChallengeAlphabet    = "challenge-unreserved-alphabet"
	flawChallengeTrimmed     = "challenge-trimmed"
	flawChallengeRegexpStart = "challenge-regexp-prefix"
	flawMethodContains       = "method-contains-s256"
	flawMethodTruncated      = "method-prefix-of-s256"
	flawMethodTrimmed        = "method-trimmed"
)

// partialFlaws are appended to the flaw catalogue (see init).
var partialFlaws = []Flaw{
	{flawCharsetRegexpNoStart,
		"The verifier grammar is a regular expression anchored only at the end, `[A-Za-z0-9._~-]{43,128}$`: a verifier whose last 43 characters are unreserved passes whatever comes first, so a bad first character, or a 129-character verifier, with a matching challenge redeems the code." + publicOnly,
		[]requirements.ID{requirements.VerifierLength, requirements.VerifierCharset}, nil},
	{flawCharsetRegexpNoEnd,
		"The verifier grammar is a regular expression anchored only at the start, `^[A-Za-z0-9._~-]{43,128}`: a verifier that starts with 43 unreserved characters passes whatever follows, so a bad last character, or a 129-character verifier, with a matching challenge redeems the code." + publicOnly,
		[]requirements.ID{requirements.VerifierLength, requirements.VerifierCharset}, nil},
	{flawCharsetBlacklist,
		"The verifier charset is a list of refused characters, not of allowed ones: whitespace, NUL, + / = % (the base64 and URL-encoding characters) and non-ASCII are refused, other reserved and punctuation characters such as : @ ! * are accepted; the length is checked." + publicOnly,
		[]requirements.ID{requirements.VerifierCharset}, nil},
	{flawVerifierDecodedTwice,
		"code_verifier is percent-decoded a second time before its grammar (length and charset) is checked, but hashed as received: a verifier holding %41 passes as if it held A, and a 129-character one holding an escape is counted two characters shorter." + publicOnly,
		[]requirements.ID{requirements.VerifierLength, requirements.VerifierCharset}, nil},
	{flawLengthInByte,
		"The verifier length is kept in one byte (length modulo 256) for the 43-128 check: 42 and 129 are refused, 299 characters (256 + 43) pass; the charset is checked over the whole value." + publicOnly,
		[]requirements.ID{requirements.VerifierLength}, nil},
	{flawChallengeAlphabet,
		"An S256 code_challenge is checked for 43 characters of the verifier alphabet [A-Za-z0-9-._~] instead of base64url: '.' and '~', which no SHA-256 digest in base64url holds, are accepted; other lengths, padding, +, / and non-ASCII are refused.",
		[]requirements.ID{requirements.ChallengeFormat}, nil},
	{flawChallengeTrimmed,
		"code_challenge is trimmed of surrounding whitespace before its format is checked, and bound trimmed: a challenge with a leading space gets a code that the verifier it wraps redeems.",
		[]requirements.ID{requirements.ChallengeFormat}, nil},
	{flawChallengeRegexpStart,
		"An S256 code_challenge is checked with a regular expression anchored only at the start, `^[A-Za-z0-9_-]{43}`: any challenge that starts with 43 base64url characters passes (44 characters, = padding) and is bound as given.",
		[]requirements.ID{requirements.ChallengeFormat}, nil},
	{flawMethodContains,
		"code_challenge_method is taken for S256 when it contains \"S256\" (\"S256 \", \"RS256\", \"S2566\"); s256, S512 and SHA256 are refused.",
		[]requirements.ID{requirements.MethodUnsupported}, nil},
	{flawMethodTruncated,
		"code_challenge_method is compared with S256 on its own length only (S256 starts with it), so a truncated name (\"S\", \"S2\", \"S25\") is taken for S256; longer, other and wrongly-cased names are refused.",
		[]requirements.ID{requirements.MethodUnsupported}, nil},
	{flawMethodTrimmed,
		"code_challenge_method is trimmed of surrounding whitespace before it is matched, so \"S256 \" and \" S256\" are taken for S256.",
		[]requirements.ID{requirements.MethodUnsupported}, nil},
}

func init() { flawCatalogue = append(flawCatalogue, partialFlaws...) }

var (
	verifierEndAnchored    = regexp.MustCompile(`[A-Za-z0-9._~-]{43,128}$`)
	verifierStartAnchored  = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}`)
	challengeStartAnchored = regexp.MustCompile(`^[A-Za-z0-9_-]{43}`)
)

// partialVerifierCheck is the verifier grammar check of a partial-value
// flaw; handled is false when none is on.
func (s *Server) partialVerifierCheck(v string) (ok, handled bool) {
	switch {
	case s.has(flawCharsetRegexpNoStart):
		return verifierEndAnchored.MatchString(v), true
	case s.has(flawCharsetRegexpNoEnd):
		return verifierStartAnchored.MatchString(v), true
	case s.has(flawCharsetBlacklist):
		n := len(v)
		return n >= pkce.MinVerifierLen && n <= pkce.MaxVerifierLen &&
			!strings.ContainsAny(v, " \t\r\n\x00+/=%") && strings.IndexFunc(v, func(r rune) bool { return r > 0x7f }) < 0, true
	case s.has(flawVerifierDecodedTwice):
		if d, err := url.PathUnescape(v); err == nil {
			v = d
		}
		return pkce.ValidateVerifier(v) == nil, true
	case s.has(flawLengthInByte):
		n := uint8(len(v))
		return n >= pkce.MinVerifierLen && n <= pkce.MaxVerifierLen &&
			strings.IndexFunc(v, func(r rune) bool { return !strings.ContainsRune(pkce.Unreserved, r) }) < 0, true
	}
	return false, false
}

// partialChallengeCheck is the S256 challenge format check of a
// partial-value flaw; handled is false when none is on.
func (s *Server) partialChallengeCheck(challenge string) (ok, handled bool) {
	switch {
	case s.has(flawChallengeAlphabet):
		return len(challenge) == 43 && pkce.ValidateChallenge(challenge, pkce.MethodPlain) == nil, true
	case s.has(flawChallengeRegexpStart):
		return challengeStartAnchored.MatchString(challenge), true
	}
	return false, false
}

// partialMethodS256 reports whether a partial-value flaw takes method,
// which is not "S256", for S256.
func (s *Server) partialMethodS256(method string) bool {
	switch {
	case s.has(flawMethodContains):
		return strings.Contains(method, pkce.MethodS256)
	case s.has(flawMethodTruncated):
		return method != "" && strings.HasPrefix(pkce.MethodS256, method)
	case s.has(flawMethodTrimmed):
		return strings.TrimSpace(method) == pkce.MethodS256
	}
	return false
}
