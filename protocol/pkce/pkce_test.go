package pkce

import (
	"strings"
	"testing"
)

func TestS256Vectors(t *testing.T) {
	cases := []struct{ name, verifier, challenge string }{
		{"RFC 7636 Appendix B", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
		{"OAuth 2.1 example", "3641a2d12d66101249cdf7a79c000c1f8c05d2aafcf14bf146497bed", "6fdkQaPm51l13DSukcAH3Mdx7_ntecHYd1vi3n0hMZY"},
		{"62 alphanumerics", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "20v8vU2gzYWmDDw30_vYgFx38V_Gsf3-YU7gp8j9tMA"},
		{"boundary 128 with -._~", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "Gn88msbRKQ0wmy6Kms0RzrR4ZXFo3OGDewwvI9C7qZg"},
		{"invalid charset still hashes", "Ma la volpe col suo balzo ha raggiunto il quieto Fido", "Wqg2eog5_VX3Opr14PYaKUImbpHzkK1aFLZvkYNbQkM"},
	}
	for _, c := range cases {
		if got := S256(c.verifier); got != c.challenge {
			t.Errorf("%s: S256 = %s, want %s", c.name, got, c.challenge)
		}
	}
}

func TestValidateVerifier(t *testing.T) {
	b43 := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
	cases := []struct {
		name string
		v    string
		ok   bool
	}{
		{"RFC vector", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", true},
		{"43", b43, true},
		{"42", b43[:42], false},
		{"128", strings.Repeat("a", 128), true},
		{"129", strings.Repeat("a", 129), false},
		{"empty", "", false},
		{"space", b43[:42] + " ", false},
		{"plus", b43[:42] + "+", false},
		{"slash", b43[:42] + "/", false},
		{"equals", b43[:42] + "=", false},
		{"percent", b43[:42] + "%", false},
		{"non-ASCII", b43[:41] + "é", false},
		{"NUL", b43[:42] + "\x00", false},
		{"newline", b43 + "\n", false},
		{"all unreserved punctuation", b43[:39] + "-._~", true},
	}
	for _, c := range cases {
		err := ValidateVerifier(c.v)
		if (err == nil) != c.ok {
			t.Errorf("%s: ValidateVerifier(%q) = %v, want ok=%v", c.name, c.v, err, c.ok)
		}
	}
}

func TestValidateChallenge(t *testing.T) {
	good := "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	cases := []struct {
		name, c, method string
		ok              bool
	}{
		{"RFC vector", good, MethodS256, true},
		{"padded", good + "=", MethodS256, false},
		{"standard base64", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM", MethodS256, false},
		{"hex", "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3", MethodS256, false},
		{"42", good[:42], MethodS256, false},
		{"non-canonical last char (length and alphabet are what count)", good[:42] + "N", MethodS256, true},
		{"tilde", good[:42] + "~", MethodS256, false},
		{"empty", "", MethodS256, false},
		{"plain ok", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", MethodPlain, true},
		{"plain short", "abc", MethodPlain, false},
		{"unknown method", good, "S512", false},
	}
	for _, c := range cases {
		err := ValidateChallenge(c.c, c.method)
		if (err == nil) != c.ok {
			t.Errorf("%s: ValidateChallenge(%q, %s) = %v, want ok=%v", c.name, c.c, c.method, err, c.ok)
		}
	}
}

func TestCanonicalS256(t *testing.T) {
	good := "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	if !CanonicalS256(good) || CanonicalS256(good[:42]+"N") || CanonicalS256(good+"=") {
		t.Error("CanonicalS256")
	}
}

func TestNewVerifier(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range []int{43, 64, 128} {
		for i := 0; i < 50; i++ {
			v, err := NewVerifier(n)
			if err != nil {
				t.Fatal(err)
			}
			if err := ValidateVerifier(v); err != nil {
				t.Fatalf("NewVerifier(%d) = %q: %v", n, v, err)
			}
			if seen[v] {
				t.Fatalf("NewVerifier repeated %q", v)
			}
			seen[v] = true
		}
	}
	// Every character of the alphabet turns up in a long enough draw.
	v, _ := NewVerifier(4096)
	for _, c := range Unreserved {
		if !strings.ContainsRune(v, c) {
			t.Errorf("4096-char verifier lacks %q", c)
		}
	}
	if _, err := NewVerifier(0); err == nil {
		t.Error("NewVerifier(0) succeeded")
	}
}

func TestChallenge(t *testing.T) {
	v := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	if c, _ := Challenge(v, MethodPlain); c != v {
		t.Errorf("plain challenge = %q", c)
	}
	if c, _ := Challenge(v, MethodS256); c != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Errorf("S256 challenge = %q", c)
	}
	if _, err := Challenge(v, "s256"); err == nil {
		t.Error("lower-case s256 accepted")
	}
}
