package profiles

import (
	"strings"
	"testing"
	"time"
)

// rfc6238Secret is the SHA-1 key of RFC 6238 Appendix B, "12345678901234567890",
// in base32.
const rfc6238Secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestTOTPRFC6238Vectors(t *testing.T) {
	// RFC 6238 Appendix B, the SHA-1 rows (8 digits).
	vectors := []struct {
		unix int64
		code string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	}
	key, err := DecodeTOTPSecret(rfc6238Secret)
	if err != nil {
		t.Fatal(err)
	}
	if string(key) != "12345678901234567890" {
		t.Fatalf("decoded key %q", key)
	}
	for _, v := range vectors {
		at := time.Unix(v.unix, 0)
		got, err := TOTP(key, at, 8)
		if err != nil || got != v.code {
			t.Errorf("TOTP(t=%d, 8) = %q, %v; want %s", v.unix, got, err, v.code)
		}
		// Six digits are the last six of the same truncated value.
		got6, err := TOTP(key, at, 6)
		if err != nil || got6 != v.code[2:] {
			t.Errorf("TOTP(t=%d, 6) = %q, %v; want %s", v.unix, got6, err, v.code[2:])
		}
		// Through a step, the secret written as apps show it.
		s := Step{TOTP: "#otp", Secret: strings.ToLower("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), Digits: 8}
		if got, err := s.TOTPCode(at); err != nil || got != v.code {
			t.Errorf("Step.TOTPCode(t=%d) = %q, %v; want %s", v.unix, got, err, v.code)
		}
	}
}

func TestTOTPStepDefaultsAndErrors(t *testing.T) {
	s := Step{TOTP: "#otp", Secret: rfc6238Secret + "===="}
	if got, err := s.TOTPCode(time.Unix(59, 0)); err != nil || got != "287082" {
		t.Errorf("default digits: %q, %v; want 287082", got, err)
	}
	// The code changes with the 30 s step, not within it.
	a, _ := s.TOTPCode(time.Unix(60, 0))
	b, _ := s.TOTPCode(time.Unix(89, 0))
	c, _ := s.TOTPCode(time.Unix(90, 0))
	if a != b || a == c {
		t.Errorf("codes at 60, 89, 90 s: %s %s %s; want the first two equal and the third different", a, b, c)
	}
	for _, bad := range []string{"", "not base32!", "1234"} {
		_, err := DecodeTOTPSecret(bad)
		if err == nil {
			t.Errorf("DecodeTOTPSecret(%q) succeeded", bad)
		} else if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("error %q quotes the secret", err)
		}
	}
	if _, err := TOTP([]byte("k"), time.Unix(0, 0), 7); err == nil {
		t.Error("TOTP with 7 digits succeeded")
	}
}
