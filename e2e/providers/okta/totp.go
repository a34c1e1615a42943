package okta

import (
	"fmt"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// checkTOTPSecret checks that secret is a usable base32 key.
func checkTOTPSecret(secret string) error {
	if _, err := profiles.DecodeTOTPSecret(secret); err != nil {
		return fmt.Errorf("TOTP secret: %w", err)
	}
	return nil
}

// checkTOTP accepts an RFC 6238 code (SHA-1, 6 digits, 30 s) of the
// current step or of the one before or after it (clock skew), as Okta
// does for Google Authenticator.
func checkTOTP(secret, code string, now time.Time) bool {
	key, err := profiles.DecodeTOTPSecret(secret)
	if err != nil || len(code) != 6 {
		return false
	}
	ok := false
	for _, at := range []time.Time{now.Add(-profiles.TOTPPeriod), now, now.Add(profiles.TOTPPeriod)} {
		if want, err := profiles.TOTP(key, at, 6); err == nil && equal(want, code) {
			ok = true
		}
	}
	return ok
}
