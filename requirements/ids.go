package requirements

// ID names one requirement. The strings are the public contract of
// docs/design.md (results.json, Ginkgo labels, waivers): they are never
// renamed or removed; new ones may be added.
type ID string

// The requirement IDs.
const (
	// Verifier checks (RFC 7636 at the token endpoint).
	S256Roundtrip    ID = "rfc7636.s256-roundtrip"
	VerifierMissing  ID = "rfc7636.verifier-missing"
	VerifierEmpty    ID = "rfc7636.verifier-empty"
	VerifierMismatch ID = "rfc7636.verifier-mismatch"
	VerifierSwapped  ID = "rfc7636.verifier-swapped"
	MethodBound      ID = "rfc7636.method-bound"
	VerifierLength   ID = "rfc7636.verifier-length"
	VerifierCharset  ID = "rfc7636.verifier-charset"

	// Challenge and method at /authorize.
	ChallengeMissing  ID = "rfc7636.challenge-missing"
	ChallengeFormat   ID = "rfc7636.challenge-format"
	MethodUnsupported ID = "rfc7636.method-unsupported"
	MethodDefault     ID = "rfc7636.method-default"
	PlainPolicy       ID = "rfc7636.plain-policy"

	// Code rules (RFC 6749).
	CodeSingleUse    ID = "rfc6749.code-single-use"
	ReuseRevokes     ID = "rfc6749.reuse-revokes"
	CodeRace         ID = "rfc6749.code-race"
	CodeClientBound  ID = "rfc6749.code-client-bound"
	RedirectURIBound ID = "rfc6749.redirect-uri-bound"
	// CodeRaceMixed: concurrent redemptions with right, wrong and no verifier.
	CodeRaceMixed ID = "rfc6749.code-race-mixed"

	// Refresh tokens after a PKCE exchange (RFC 6749 §6, §4.1.2; OAuth 2.1).
	RefreshAfterPKCE     ID = "rfc6749.refresh-after-pkce"
	ReplayRevokesRefresh ID = "rfc6749.replay-revokes-refresh"

	// Errors and responses.
	ErrorResponse   ID = "rfc6749.error-response"
	NoStore         ID = "rfc6749.no-store"
	DuplicateParams ID = "rfc6749.duplicate-params"
	// CodeLifetime: an unredeemed code expires (off by default: it waits).
	CodeLifetime ID = "rfc6749.code-lifetime"

	// PKCE in the other response modes.
	FormPostEnforced ID = "rfc7636.form-post-enforced"
	FragmentEnforced ID = "rfc7636.fragment-enforced"

	// Error hygiene: the characters of error texts, and redirect URIs'
	// own query on redirects.
	ErrorCharset       ID = "rfc6749.error-charset"
	RedirectKeepsQuery ID = "rfc6749.redirect-keeps-query"

	// Downgrade and clients (RFC 9700).
	Downgrade        ID = "rfc9700.downgrade"
	ConfidentialPKCE ID = "rfc9700.confidential-pkce"

	// Metadata.
	MethodsAdvertised ID = "rfc8414.methods-advertised"

	// Added by issue 16.
	MethodWithoutChallenge ID = "rfc7636.method-without-challenge"
	PKCEPerAuthMethod      ID = "rfc9700.pkce-per-auth-method"

	// Pushed authorization requests (RFC 9126) with PKCE.
	PARPKCEValidated        ID = "rfc9126.par-pkce-validated"
	PARRequestURIOnce       ID = "rfc9126.par-request-uri-once"
	PARClientBound          ID = "rfc9126.par-client-bound"
	PARFrontChannelOverride ID = "rfc9126.par-front-channel-override"
	OAuth21MethodRequired   ID = "policy.oauth21-method-required"
	OAuth21PlainProhibited  ID = "policy.oauth21-plain-prohibited"
	IssRequired             ID = "rfc9207.iss-required"
	ChallengeNotEchoed      ID = "rfc7636.challenge-not-echoed"

	// Informational.
	FailedVerifierBurnsCode ID = "info.failed-verifier-burns-code"
	ErrorIss                ID = "info.error-iss"
)

// Area is the part of the specifications a requirement belongs to. Reports
// and `pkcecheck list` group requirements by area.
type Area string

// The areas, in report order.
const (
	AreaVerifier  Area = "Verifier checks"
	AreaAuthorize Area = "Challenge and method at /authorize"
	AreaCode      Area = "Code rules (RFC 6749)"
	AreaErrors    Area = "Errors and responses"
	AreaDowngrade Area = "Downgrade and clients (RFC 9700)"
	AreaMetadata  Area = "Metadata"
	// AreaOAuth21 is OAuth 2.1 draft 16 and RFC 9207 at the authorization
	// endpoint.
	AreaOAuth21 Area = "OAuth 2.1 draft 16 and RFC 9207"
	// AreaPAR is pushed authorization requests (RFC 9126) with PKCE.
	AreaPAR  Area = "Pushed authorization requests (RFC 9126)"
	AreaInfo Area = "Informational"
)

// areas is the report order of the areas. An area added here must also be
// given to at least one requirement (a test checks both ways).
var areas = []Area{AreaVerifier, AreaAuthorize, AreaCode, AreaErrors, AreaDowngrade, AreaMetadata, AreaOAuth21, AreaPAR, AreaInfo}

// Areas returns the areas in report order.
func Areas() []Area { return append([]Area(nil), areas...) }
