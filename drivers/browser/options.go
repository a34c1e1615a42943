package browser

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// Options configure a Browser.
type Options struct {
	ExecPath     string                           // "" → $PKCECHECK_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH, else /usr/bin/chromium
	Login        []profiles.Step                  // login steps, in order (profiles.Step: Fill+Value, Click or Wait; Line = line in ProfilePath)
	Consent      []profiles.Step                  // consent steps; each done only if its selector appears
	ProfilePath  string                           // for error messages: "profiles/x.yaml:14"
	ArtifactDir  string                           // where screenshot (PNG) and page HTML are saved on a login failure; "" = do not save
	StartTimeout time.Duration                    // browser start; default 30s
	StepTimeout  time.Duration                    // per login step and per authorization; default 10s
	Logf         func(format string, args ...any) // optional progress lines; must never receive secrets
	// Detect, when set, finds the way through pages no login or consent
	// step fits (see Detection); nil: the steps alone, as before.
	Detect *Detection

	// CACerts (PEM) are trusted in addition to Chromium's own roots (the
	// profile's tls.ca_file): Start writes them into an NSS database in the
	// browser's temporary HOME with certutil (Debian/Ubuntu package
	// libnss3-tools), and fails when certutil is missing.
	CACerts []byte
	// IgnoreCertErrors turns certificate verification off
	// (--ignore-certificate-errors), for the profile's
	// tls.insecure_skip_verify only.
	IgnoreCertErrors bool

	// extraResolverRules are added to Chromium's --host-resolver-rules
	// (tests only).
	extraResolverRules string
}

// Defaults for the zero values of Options.
const (
	DefaultStartTimeout = 30 * time.Second
	DefaultStepTimeout  = 10 * time.Second
)

// EnvChromium names the environment variable that picks the Chromium binary
// when Options.ExecPath is empty.
const EnvChromium = "PKCECHECK_CHROMIUM"

// fallbackChromium is used when nothing else names or finds a browser.
const fallbackChromium = "/usr/bin/chromium"

// chromiumNames are looked up on PATH, in order.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome"}

// withDefaults fills in the zero values.
func (o Options) withDefaults() Options {
	if o.StartTimeout <= 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	if o.StepTimeout <= 0 {
		o.StepTimeout = DefaultStepTimeout
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return o
}

// validate rejects step lists the state machine cannot use.
func (o Options) validate() error {
	for i, s := range o.Login {
		if s.Selector() == "" {
			return fmt.Errorf("login step %d%s has no selector", i+1, where(o.ProfilePath, s.Line))
		}
	}
	for i, s := range o.Consent {
		if s.Selector() == "" {
			return fmt.Errorf("consent step %d%s has no selector", i+1, where(o.ProfilePath, s.Line))
		}
	}
	if d := o.Detect; d != nil {
		switch {
		case d.Allowed == nil:
			return errors.New("detection needs Allowed (the hosts credentials may be typed on)")
		case d.Username == "" || d.Password == "":
			return errors.New("detection needs a user name and a password")
		case d.TOTPSecret != "":
			if _, err := profiles.DecodeTOTPSecret(d.TOTPSecret); err != nil {
				return fmt.Errorf("detection: %w", err)
			}
		}
	}
	for i, s := range o.Login {
		if err := checkTOTP(s); err != nil {
			return fmt.Errorf("login step %d%s: %w", i+1, where(o.ProfilePath, s.Line), err)
		}
	}
	for i, s := range o.Consent {
		if err := checkTOTP(s); err != nil {
			return fmt.Errorf("consent step %d%s: %w", i+1, where(o.ProfilePath, s.Line), err)
		}
	}
	return nil
}

// checkTOTP rejects a totp step whose code cannot be computed (an empty
// secret is allowed: an optional step may need none).
func checkTOTP(s profiles.Step) error {
	if s.Kind() != profiles.KindTOTP {
		return nil
	}
	if s.Digits != 0 && s.Digits != 6 && s.Digits != 8 {
		return fmt.Errorf("a TOTP code has 6 or 8 digits, not %d", s.Digits)
	}
	if s.Secret == "" {
		return nil
	}
	_, err := profiles.DecodeTOTPSecret(s.Secret)
	return err
}

// where formats " (path:line)" for validation messages, or "".
func where(path string, line int) string {
	if w := location(path, line); w != "" {
		return " (" + w + ")"
	}
	return ""
}

// location is "path:line", "path" or "".
func location(path string, line int) string {
	switch {
	case path == "":
		return ""
	case line > 0:
		return fmt.Sprintf("%s:%d", path, line)
	default:
		return path
	}
}

// resolveExecPath picks the Chromium binary: the explicit path, then
// $PKCECHECK_CHROMIUM, then the first known name on PATH, then
// /usr/bin/chromium.
func resolveExecPath(explicit string) (string, error) {
	if explicit != "" {
		return checkExec(explicit)
	}
	if env := os.Getenv(EnvChromium); env != "" {
		p, err := checkExec(env)
		if err != nil {
			return "", fmt.Errorf("$%s: %w", EnvChromium, err)
		}
		return p, nil
	}
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	if p, err := checkExec(fallbackChromium); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("no Chromium found: set $%s or install chromium (looked for %v on PATH and %s)", EnvChromium, chromiumNames, fallbackChromium)
}

// checkExec resolves a name or path to an executable file.
func checkExec(p string) (string, error) {
	found, err := exec.LookPath(p)
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("chromium %q not found", p)
		}
		return "", fmt.Errorf("chromium %q: %w", p, err)
	}
	return found, nil
}
