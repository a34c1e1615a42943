package fuzz

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/protocol/tokenclient"
)

// Native fuzz targets. Their seed corpora are in testdata/fuzz/FuzzXxx/;
// `go test` runs the seeds, and CI runs each target briefly:
//
//	go test -run '^$' -fuzz '^FuzzProfileParse$' -fuzztime 5s ./fuzz/

// FuzzProfileParse: profiles.Parse never panics, and returns either a
// profile or an error in which every problem is located at file:line.
func FuzzProfileParse(f *testing.F) {
	f.Add([]byte("name: x\nissuer: https://idp.example\nclients:\n  public: {id: a, redirect_uri: \"http://127.0.0.1:8765/cb\"}\nlogin:\n  steps:\n    - {fill: \"#u\", value: \"${USER}\"}\n"))
	f.Add([]byte("name: [unclosed\n"))
	f.Add([]byte("bogus: 1\n"))
	f.Add([]byte("\xff\xfe"))
	f.Add([]byte("name: &a x\nissuer: *b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		env := func(name string) (string, bool) { return "value-of-" + name, !strings.HasPrefix(name, "UNSET") }
		p, err := profiles.Parse("fuzz.yaml", data, env)
		if (p == nil) == (err == nil) {
			t.Fatalf("Parse returned profile %v and error %v", p != nil, err)
		}
		if err == nil {
			if p.Path != "fuzz.yaml" || p.Clients.Public == nil {
				t.Fatalf("profile without path or public client: %+v", p)
			}
			return
		}
		leaves := profileErrors(err)
		if len(leaves) == 0 {
			t.Fatalf("error is not a *profiles.Error: %T %v", err, err)
		}
		for _, e := range leaves {
			if e.Path != "fuzz.yaml" || e.Line < 1 || !strings.HasPrefix(e.Error(), fmt.Sprintf("fuzz.yaml:%d", e.Line)) {
				t.Fatalf("problem not located at file:line: %q (line %d)", e.Error(), e.Line)
			}
		}
	})
}

// profileErrors collects the *profiles.Error leaves of a (joined) error.
func profileErrors(err error) []*profiles.Error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*profiles.Error
		for _, e := range j.Unwrap() {
			out = append(out, profileErrors(e)...)
		}
		return out
	}
	var pe *profiles.Error
	if errors.As(err, &pe) {
		return []*profiles.Error{pe}
	}
	return nil
}

// FuzzTokenErrorParse: the token error parser never panics and finds an
// error exactly when the body is a JSON object with an "error" member,
// keeping the status and a string code as sent.
func FuzzTokenErrorParse(f *testing.F) {
	f.Add(400, []byte(`{"error":"invalid_grant","error_description":"bad verifier"}`))
	f.Add(401, []byte(`{"error":"invalid_client"}`))
	f.Add(200, []byte(`{"access_token":"x","token_type":"Bearer"}`))
	f.Add(400, []byte(`{"error":null}`))
	f.Add(400, []byte(`{"error":{"nested":true},"error_uri":7}`))
	f.Add(500, []byte("<html>oops</html>"))
	f.Add(400, []byte(` ["error"] `))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := tokenclient.ParseError(status, nil, body)
		var obj map[string]any
		isObj := json.Unmarshal(bytes.TrimSpace(body), &obj) == nil && obj != nil
		_, hasError := obj["error"]
		if (e != nil) != (isObj && hasError) {
			t.Fatalf("ParseError = %v for a body that is an object with error: %v", e, isObj && hasError)
		}
		if e == nil {
			return
		}
		if e.Status != status {
			t.Fatalf("Status %d, want %d", e.Status, status)
		}
		if s, ok := obj["error"].(string); ok && e.Code != s {
			t.Fatalf("Code %q, want %q", e.Code, s)
		}
		if !strings.HasSuffix(e.Error(), fmt.Sprintf("(HTTP %d)", status)) {
			t.Fatalf("Error() = %q", e.Error())
		}
		registered := map[string]bool{"invalid_request": true, "invalid_client": true, "invalid_grant": true,
			"unauthorized_client": true, "unsupported_grant_type": true, "invalid_scope": true}
		if e.Registered() != registered[e.Code] {
			t.Fatalf("Registered() = %v for %q", e.Registered(), e.Code)
		}
	})
}

// refVerifier is RFC 7636 §4.1 written plainly: 43-128 characters of
// ALPHA / DIGIT / "-" / "." / "_" / "~".
func refVerifier(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0) {
			return false
		}
	}
	return true
}

// refS256Challenge: 43 base64url characters (the last one's unused bits
// are not looked at: see refCanonical).
func refS256Challenge(s string) bool {
	if len(s) != 43 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(b64url, s[i]) < 0 {
			return false
		}
	}
	return true
}

// refCanonical: the last of 43 characters carries no bits beyond the 256 of
// the digest.
func refCanonical(s string) bool {
	return refS256Challenge(s) && strings.IndexByte("AEIMQUYcgkosw048", s[42]) >= 0
}

// FuzzVerifierValidator: pkce.ValidateVerifier and ValidateChallenge agree
// with the plain reference implementations above, and S256 of any string
// is a valid S256 challenge.
func FuzzVerifierValidator(f *testing.F) {
	for _, s := range []string{v1, c1, b42, b128, b128 + "-", n2, "", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM", strings.Repeat("é", 30)} {
		f.Add(s, "S256")
	}
	f.Add(v1, "plain")
	f.Add(v1, "s256")
	f.Add(v1, "")
	f.Fuzz(func(t *testing.T, s, method string) {
		if got, want := pkce.ValidateVerifier(s) == nil, refVerifier(s); got != want {
			t.Fatalf("ValidateVerifier(%q) ok=%v, reference %v", s, got, want)
		}
		var want bool
		switch method {
		case pkce.MethodS256:
			want = refS256Challenge(s)
		case pkce.MethodPlain:
			want = refVerifier(s)
		}
		if got := pkce.ValidateChallenge(s, method) == nil; got != want {
			t.Fatalf("ValidateChallenge(%q, %q) ok=%v, reference %v", s, method, got, want)
		}
		if method == pkce.MethodS256 && want && pkce.CanonicalS256(s) != refCanonical(s) {
			t.Fatalf("CanonicalS256(%q) = %v, reference %v", s, pkce.CanonicalS256(s), refCanonical(s))
		}
		if err := pkce.ValidateChallenge(pkce.S256(s), pkce.MethodS256); err != nil || !pkce.CanonicalS256(pkce.S256(s)) {
			t.Fatalf("S256(%q) is not a valid challenge: %v", s, err)
		}
	})
}

// fuzzFlaws are the simulated flaws FuzzShrinker picks from.
var fuzzFlaws = [][]string{
	{"prefix-compare"}, {"case-insensitive-compare"}, {"no-charset-check"}, {"no-length-check"},
	{"method-not-bound"}, {"verifier-optional"}, {"pkce-ignored"}, {"unknown-method-as-s256"},
	{"lax-challenge-format"}, {"s256-short-only"}, {"no-charset-check", "no-length-check", "prefix-compare"},
}

// FuzzShrinker: for a case that disagrees with the oracle on a simulated
// flawed provider, shrinking never grows the case, stays within its budget,
// and always ends on a case that still disagrees the same way.
func FuzzShrinker(f *testing.F) {
	f.Add(uint64(1), uint8(0), uint8(30), "", int16(0))
	f.Add(uint64(7), uint8(2), uint8(30), "a b", int16(3))
	f.Add(uint64(99), uint8(10), uint8(5), "\x00é", int16(-1))
	f.Add(uint64(3), uint8(6), uint8(200), "", int16(41))
	f.Fuzz(func(t *testing.T, seed uint64, flaw, budget uint8, extra string, pos int16) {
		flaws := fuzzFlaws[int(flaw)%len(fuzzFlaws)]
		g := NewGenerator(seed)
		for range 300 {
			c := g.Next()
			if extra != "" { // splice fuzzer-chosen text into V
				c.Verifier = Apply(c.Verifier, []Edit{{Op: OpInsert, Pos: int(pos), Text: extra}})
			}
			ds := Judge(Expect(c, Policy{}), observe(t, newSim(flaws...), c))
			if len(ds) == 0 {
				continue
			}
			d := ds[0]
			res, err := Shrink(context.Background(), c, simHolds(d, Policy{}, flaws...), int(budget))
			if err != nil {
				t.Fatal(err)
			}
			if res.Runs > int(budget) {
				t.Fatalf("%d runs over a budget of %d", res.Runs, budget)
			}
			if SizeOf(c).Less(SizeOf(res.Case)) || (res.Kept > 0 && !SizeOf(res.Case).Less(SizeOf(c))) {
				t.Fatalf("case grew: %v → %v", SizeOf(c), SizeOf(res.Case))
			}
			ok, _ := simHolds(d, Policy{}, flaws...)(context.Background(), res.Case)
			if !ok {
				t.Fatalf("shrunk case no longer disagrees: %s → %s", Derivation(c), Derivation(res.Case))
			}
			if g, title := Classify(res.Case, d, res.Boundary); g == "" || title == "" {
				t.Fatalf("unclassified: %s", Derivation(res.Case))
			}
			return
		}
	})
}

// observe runs one case against a target.
func observe(t *testing.T, target Target, c Case) Observation {
	ao, code, err := target.Authorize(context.Background(), c.Registration())
	if err != nil {
		t.Fatal(err)
	}
	o := Observation{Authorize: ao}
	if code != "" {
		to, err := target.Token(context.Background(), code, c.SentVerifiers())
		if err != nil {
			t.Fatal(err)
		}
		o.Token = &to
	}
	return o
}
