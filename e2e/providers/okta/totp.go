package okta

import (
	"fmt"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
	"github.com/pkcecheck/pkcecheck/profiles"
)

// checkTOTPSecret checks that secret is a usable base32 key.
func checkTOTPSecret(secret string) error {
	if _, err := profiles.DecodeTOTPSecret(secret); err != nil {
		return fmt.Errorf("TOTP secret: %w", err)
	}
	return nil
}

// totpStep finds the RFC 6238 time step (SHA-1, 6 digits, 30 s) whose code
// is code, among the current step and the one before and after it (clock
// skew), as Okta does for Google Authenticator; ok is false when none
// matches.
func totpStep(secret, code string, now time.Time) (step int64, ok bool) {
	key, err := profiles.DecodeTOTPSecret(secret)
	if err != nil || len(code) != 6 {
		return 0, false
	}
	period := int64(profiles.TOTPPeriod / time.Second)
	for _, d := range []int64{-1, 0, 1} {
		at := now.Add(time.Duration(d) * profiles.TOTPPeriod)
		if want, err := profiles.TOTP(key, at, 6); err == nil && emulator.EqualSecret(want, code) {
			step, ok = at.Unix()/period, true
		}
	}
	return step, ok
}
