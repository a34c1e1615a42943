package browser

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// certutilTimeout bounds each certutil call.
const certutilTimeout = 10 * time.Second

// installCAs makes Chromium trust the certificates in caPEM in addition to
// its own roots. Chromium on Linux reads the NSS database at
// $HOME/.pki/nssdb, and the browser's HOME is its temporary directory, so
// the trust is this Browser's alone and goes away with it. The database is
// made with certutil (Debian/Ubuntu package libnss3-tools).
func installCAs(ctx context.Context, home string, caPEM []byte) error {
	certutil, err := exec.LookPath("certutil")
	if err != nil {
		return errors.New("trust tls.ca_file in Chromium: certutil not found; it makes the browser's certificate database (Debian/Ubuntu: apt-get install libnss3-tools)")
	}
	db := filepath.Join(home, ".pki", "nssdb")
	if err := os.MkdirAll(db, 0o700); err != nil {
		return fmt.Errorf("trust tls.ca_file in Chromium: %w", err)
	}
	run := func(args ...string) error {
		ctx, cancel := context.WithTimeout(ctx, certutilTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, certutil, append([]string{"-d", "sql:" + db}, args...)...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("trust tls.ca_file in Chromium: certutil %s: %w: %s", args[0], err, strings.TrimSpace(out.String()))
		}
		return nil
	}
	if err := run("-N", "--empty-password"); err != nil {
		return err
	}
	n := 0
	for rest := caPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		n++
		file := filepath.Join(home, fmt.Sprintf("ca-%d.pem", n))
		if err := os.WriteFile(file, pem.EncodeToMemory(b), 0o600); err != nil {
			return fmt.Errorf("trust tls.ca_file in Chromium: %w", err)
		}
		// C,, : a CA trusted to issue server certificates.
		if err := run("-A", "-n", fmt.Sprintf("pkcecheck CA %d", n), "-t", "C,,", "-i", file); err != nil {
			return err
		}
	}
	if n == 0 {
		return errors.New("trust tls.ca_file in Chromium: no PEM certificate")
	}
	return nil
}
