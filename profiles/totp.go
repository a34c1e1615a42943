package profiles

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TOTPPeriod is the time step of the codes totp steps type (RFC 6238 §4,
// the value authenticator apps use).
const TOTPPeriod = 30 * time.Second

// DecodeTOTPSecret decodes a TOTP secret written as authenticator apps take
// it: base32 (RFC 4648), case-insensitive, with or without "=" padding,
// spaces and dashes ignored. The error never quotes the secret.
func DecodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(secret))
	s = strings.TrimRight(s, "=")
	if s == "" {
		return nil, errors.New("the TOTP secret is empty")
	}
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil {
		return nil, errors.New("the TOTP secret is not valid base32 (letters A-Z and digits 2-7)")
	}
	return key, nil
}

// TOTP computes the RFC 6238 code of key at time t: HMAC-SHA-1 over the
// number of TOTPPeriod steps since the Unix epoch, dynamically truncated
// (RFC 4226 §5.3) to digits decimal digits (6 or 8).
func TOTP(key []byte, t time.Time, digits int) (string, error) {
	if digits != 6 && digits != 8 {
		return "", fmt.Errorf("a TOTP code has 6 or 8 digits, not %d", digits)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/int64(TOTPPeriod/time.Second)))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1000000)
	if digits == 8 {
		mod = 100000000
	}
	return fmt.Sprintf("%0*d", digits, bin%mod), nil
}

// TOTPCode is the code a totp step types at time t.
func (s Step) TOTPCode(t time.Time) (string, error) {
	key, err := DecodeTOTPSecret(s.Secret)
	if err != nil {
		return "", err
	}
	digits := s.Digits
	if digits == 0 {
		digits = DefaultTOTPDigits
	}
	return TOTP(key, t, digits)
}
