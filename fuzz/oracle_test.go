package fuzz

import (
	"github.com/pkcecheck/pkcecheck/requirements"
	"testing"
)

// RFC 7636 Appendix B and the boundary vectors of
// shared/reference/pkce-requirements.md §4.
const (
	v1   = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	c1   = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	b42  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	c42  = "csdZ6Lr6ZKTVMFUNdvlb3GyYWSNGwWVA-3DR9GJ3r20"
	b128 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	n2   = "Ma la volpe col suo balzo ha raggiunto il quieto Fido"
	c2   = "Wqg2eog5_VX3Opr14PYaKUImbpHzkK1aFLZvkYNbQkM"
)

func TestCaseDerivation(t *testing.T) {
	tests := []struct {
		name string
		c    Case
		want string // registered challenge
	}{
		{"RFC 7636 Appendix B", Case{Verifier: v1, Challenge: Value{From: FromS256}}, c1},
		{"boundary 42", Case{Verifier: b42, Challenge: Value{From: FromS256}}, c42},
		{"spaces", Case{Verifier: n2, Challenge: Value{From: FromS256}}, c2},
		{"std base64 padded", Case{Verifier: v1, Challenge: Value{From: FromS256Std}}, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM="},
		{"base64url padded", Case{Verifier: v1, Challenge: Value{From: FromS256Padded}}, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM="},
		{"hex", Case{Verifier: v1, Challenge: Value{From: FromS256Hex}}, "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3"},
		{"late bump stays canonical", Case{Verifier: v1, Challenge: Value{From: FromS256, Edits: []Edit{{Op: OpBump, Pos: 42}}}}, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cQ"},
		{"bump at 40", Case{Verifier: v1, Challenge: Value{From: FromS256, Edits: []Edit{{Op: OpBump, Pos: 40}}}}, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw_cM"},
		{"flip from 40 skips - and takes c", Case{Verifier: v1, Challenge: Value{From: FromS256, Edits: []Edit{{Op: OpFlip, Pos: 40}}}}, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-CM"},
		{"flip past the last letter is a no-op", Case{Verifier: "abc123", Challenge: Value{From: FromVerifier, Edits: []Edit{{Op: OpFlip, Pos: 4}}}}, "abc123"},
		{"flip all", Case{Verifier: "aB-1", Challenge: Value{From: FromVerifier, Edits: []Edit{{Op: OpFlipAll}}}}, "Ab-1"},
		{"truncate, pad", Case{Verifier: "abcdef", Challenge: Value{From: FromVerifier, Edits: []Edit{{Op: OpTruncate, N: 3}, {Op: OpPad, N: 2}}}}, "abc=="},
		{"set, insert, delete", Case{Verifier: "abcdef", Challenge: Value{From: FromVerifier, Edits: []Edit{{Op: OpSet, Pos: 0, Text: "é"}, {Op: OpInsert, Pos: 6, Text: "%00"}, {Op: OpDelete, Pos: -1, N: 1}}}}, "ébcdef%0"},
		{"repeat, negative position", Case{Verifier: "ab", Challenge: Value{From: FromVerifier, Edits: []Edit{{Op: OpRepeat, N: 2}, {Op: OpBump, Pos: -1}}}}, "abac"},
		{"edits on empty strings", Case{Verifier: "", Challenge: Value{From: FromVerifier, Edits: []Edit{{Op: OpBump}, {Op: OpFlip}, {Op: OpSet, Text: "x"}, {Op: OpDelete}}}}, ""},
	}
	for _, tt := range tests {
		if got := tt.c.RegisteredChallenge(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	c := Case{Verifier: v1, Challenge: Value{From: FromS256}, Verifiers: []Value{{From: FromChallenge}, {From: FromVerifier, Edits: []Edit{{Op: OpTruncate, N: 5}}}}}
	if got := c.SentVerifiers(); len(got) != 2 || got[0] != c1 || got[1] != v1[:5] {
		t.Errorf("SentVerifiers = %q", got)
	}
	if (&Case{}).SentVerifiers() != nil {
		t.Error("nil Verifiers must mean omitted")
	}
}

func TestOracle(t *testing.T) {
	right := []Value{{From: FromVerifier}}
	s256 := []string{"S256"}
	tests := []struct {
		name        string
		c           Case
		p           Policy
		auth, token Decision
		req         requirements.ID // of AuthorizeRule when auth is Refuse, else of TokenRule
	}{
		{"Appendix B round trip", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: s256, Verifiers: right}, Policy{}, Accept, Accept, requirements.S256Roundtrip},
		{"128 characters", Case{Verifier: b128, Challenge: Value{From: FromS256}, Methods: s256, Verifiers: right}, Policy{}, Accept, Accept, requirements.S256Roundtrip},
		{"42 characters matching", Case{Verifier: b42, Challenge: Value{From: FromS256}, Methods: s256, Verifiers: right}, Policy{}, Accept, Refuse, requirements.VerifierLength},
		{"129 characters matching", Case{Verifier: b128 + "-", Challenge: Value{From: FromS256}, Methods: s256, Verifiers: right}, Policy{}, Accept, Refuse, requirements.VerifierLength},
		{"spaces matching", Case{Verifier: n2, Challenge: Value{From: FromS256}, Methods: s256, Verifiers: right}, Policy{}, Accept, Refuse, requirements.VerifierCharset},
		{"late challenge change", Case{Verifier: v1, Challenge: Value{From: FromS256, Edits: []Edit{{Op: OpBump, Pos: 41}}}, Methods: s256, Verifiers: right}, Policy{}, Accept, Refuse, requirements.VerifierMismatch},
		{"challenge case flipped", Case{Verifier: v1, Challenge: Value{From: FromS256, Edits: []Edit{{Op: OpFlip}}}, Methods: s256, Verifiers: right}, Policy{}, Accept, Refuse, requirements.VerifierMismatch},
		{"every letter flipped: last character not canonical", Case{Verifier: v1, Challenge: Value{From: FromS256, Edits: []Edit{{Op: OpFlipAll}}}, Methods: s256, Verifiers: right}, Policy{}, Either, Refuse, requirements.VerifierMismatch},
		{"verifier last char changed", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: s256, Verifiers: []Value{{From: FromVerifier, Edits: []Edit{{Op: OpBump, Pos: -1}}}}}, Policy{}, Accept, Refuse, requirements.VerifierMismatch},
		{"challenge as verifier", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: s256, Verifiers: []Value{{From: FromChallenge}}}, Policy{}, Accept, Refuse, requirements.MethodBound},
		{"verifier omitted", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: s256}, Policy{}, Accept, Refuse, requirements.VerifierMissing},
		{"verifier empty", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: s256, Verifiers: []Value{{From: FromLiteral}}}, Policy{}, Accept, Refuse, requirements.VerifierEmpty},
		{"verifier repeated, one right", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: s256, Verifiers: []Value{{From: FromVerifier}, {From: FromLiteral, Literal: "x"}}}, Policy{}, Accept, Refuse, requirements.DuplicateParams},
		{"verifier repeated, none right", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: s256, Verifiers: []Value{{From: FromLiteral, Literal: "y"}, {From: FromLiteral, Literal: "x"}}}, Policy{}, Accept, Refuse, requirements.VerifierMismatch},
		{"hex challenge", Case{Verifier: v1, Challenge: Value{From: FromS256Hex}, Methods: s256, Verifiers: right}, Policy{}, Refuse, Refuse, requirements.ChallengeFormat},
		{"padded challenge", Case{Verifier: v1, Challenge: Value{From: FromS256Padded}, Methods: s256, Verifiers: right}, Policy{}, Refuse, Refuse, requirements.ChallengeFormat},
		{"s256 lower case, right verifier", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: []string{"s256"}, Verifiers: right}, Policy{}, Refuse, Either, requirements.MethodUnsupported},
		{"S512, wrong verifier", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: []string{"S512"}, Verifiers: []Value{{From: FromLiteral, Literal: b128}}}, Policy{}, Refuse, Refuse, requirements.MethodUnsupported},
		{"method repeated", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: []string{"S256", "S256"}, Verifiers: right}, Policy{}, Refuse, Either, requirements.DuplicateParams},
		{"plain forbidden", Case{Verifier: v1, Challenge: Value{From: FromVerifier}, Methods: []string{"plain"}, Verifiers: right}, Policy{}, Either, Refuse, requirements.PlainPolicy},
		{"plain forbidden, wrong plain verifier", Case{Verifier: v1, Challenge: Value{From: FromVerifier}, Methods: []string{"plain"}, Verifiers: []Value{{From: FromVerifier, Edits: []Edit{{Op: OpBump, Pos: -1}}}}}, Policy{}, Either, Refuse, requirements.VerifierMismatch},
		{"plain forbidden, omitted method, S256 preimage sent", Case{Verifier: v1, Challenge: Value{From: FromS256}, Verifiers: right}, Policy{}, Either, Refuse, requirements.MethodDefault},
		{"plain forbidden, empty method, S256 preimage sent", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: []string{""}, Verifiers: right}, Policy{}, Either, Refuse, requirements.MethodDefault},
		{"plain forbidden, omitted method, right plain verifier", Case{Verifier: v1, Challenge: Value{From: FromVerifier}, Verifiers: right}, Policy{}, Either, Refuse, requirements.PlainPolicy},
		{"plain forbidden, empty method, right plain verifier", Case{Verifier: v1, Challenge: Value{From: FromVerifier}, Methods: []string{""}, Verifiers: right}, Policy{}, Either, Refuse, requirements.PlainPolicy},
		{"plain forbidden, omitted method, 42-char challenge", Case{Verifier: b42, Challenge: Value{From: FromVerifier}, Verifiers: right}, Policy{}, Refuse, Refuse, requirements.ChallengeFormat},
		{"plain allowed, right", Case{Verifier: v1, Challenge: Value{From: FromVerifier}, Methods: []string{"plain"}, Verifiers: right}, Policy{PlainAllowed: true}, Either, Accept, requirements.PlainPolicy},
		{"plain allowed, omitted method, right plain verifier", Case{Verifier: v1, Challenge: Value{From: FromVerifier}, Verifiers: right}, Policy{PlainAllowed: true}, Either, Accept, requirements.MethodDefault},
		{"plain allowed, S256 preimage sent", Case{Verifier: v1, Challenge: Value{From: FromS256}, Verifiers: right}, Policy{PlainAllowed: true}, Either, Refuse, requirements.MethodDefault},
		{"plain allowed, explicit plain, S256 preimage sent", Case{Verifier: v1, Challenge: Value{From: FromS256}, Methods: []string{"plain"}, Verifiers: right}, Policy{PlainAllowed: true}, Either, Refuse, requirements.VerifierMismatch},
		{"plain allowed, 42-char plain challenge", Case{Verifier: b42, Challenge: Value{From: FromVerifier}, Methods: []string{"plain"}, Verifiers: right}, Policy{PlainAllowed: true}, Refuse, Refuse, requirements.ChallengeFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Expect(tt.c, tt.p)
			if e.Authorize != tt.auth || e.Token != tt.token {
				t.Errorf("authorize %s, token %s; want %s, %s (%s / %s)", e.Authorize, e.Token, tt.auth, tt.token, e.AuthorizeWhy, e.TokenWhy)
			}
			got := e.TokenRule.Requirement
			if tt.auth == Refuse {
				got = e.AuthorizeRule.Requirement
			}
			if got != tt.req {
				t.Errorf("requirement %q, want %q", got, tt.req)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	issued := Observation{Authorize: AuthOutcome{Issued: true}, Token: &TokenOutcome{Issued: true, Status: 200}}
	refusedToken := Observation{Authorize: AuthOutcome{Issued: true}, Token: &TokenOutcome{Status: 400, Error: "invalid_grant"}}
	refusedAuth := Observation{Authorize: AuthOutcome{Error: "invalid_request"}}
	tests := []struct {
		name string
		e    Expectation
		o    Observation
		want []string // side/observed/level/rule
	}{
		{"agree accept", Expectation{Authorize: Accept, Token: Accept}, issued, nil},
		{"agree refuse at token", Expectation{Authorize: Accept, Token: Refuse}, refusedToken, nil},
		{"agree refuse at authorize", Expectation{Authorize: Refuse, Token: Refuse}, refusedAuth, nil},
		{"either", Expectation{Authorize: Either, Token: Either}, refusedToken, nil},
		{"wrong verifier accepted", Expectation{Authorize: Accept, Token: Refuse, TokenRule: RuleTokenVerifierMismatch}, issued,
			[]string{"token/accept/MUST/token.verifier-mismatch"}},
		{"right verifier refused", Expectation{Authorize: Accept, AuthorizeRule: RuleAuthorizeS256Refused, Token: Accept, TokenRule: RuleTokenS256Refused}, refusedToken,
			[]string{"token/refuse/MUST/token.s256-refused"}},
		{"valid registration refused", Expectation{Authorize: Accept, AuthorizeRule: RuleAuthorizeS256Refused, Token: Accept, TokenRule: RuleTokenS256Refused}, refusedAuth,
			[]string{"authorize/refuse/MUST/authorize.s256-refused"}},
		{"unknown method accepted, then a wrong verifier", Expectation{Authorize: Refuse, AuthorizeRule: RuleAuthorizeUnknownMethod, Token: Refuse, TokenRule: RuleTokenVerifierMismatch}, issued,
			[]string{"authorize/accept/MUST/authorize.unknown-method", "token/accept/MUST/token.verifier-mismatch"}},
		{"malformed challenge accepted", Expectation{Authorize: Refuse, AuthorizeRule: RuleAuthorizeMalformedChallenge, Token: Refuse}, refusedToken,
			[]string{"authorize/accept/SHOULD/authorize.malformed-challenge"}},
	}
	for _, tt := range tests {
		var got []string
		for _, d := range Judge(tt.e, tt.o) {
			got = append(got, d.Side+"/"+string(d.Observed)+"/"+string(d.Level())+"/"+d.Rule.Name)
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
	}
}
