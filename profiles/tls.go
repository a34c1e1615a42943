package profiles

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// TLS says how the target's certificates are verified, by pkcecheck's HTTP
// client and by the browser alike. The zero value verifies against the
// system's roots.
//
// In YAML:
//
//	tls:
//	  ca_file: certs/staging-ca.pem   # PEM; relative to the profile's folder
//	  insecure_skip_verify: false     # true: no verification at all (test systems only)
type TLS struct {
	// CAFile is ca_file as resolved: a relative path is taken relative to
	// the folder of the profile file.
	CAFile string
	// CAPEM holds the certificates read from CAFile when the profile was
	// loaded (PEM, certificates only). They are trusted in addition to the
	// system's roots.
	CAPEM []byte
	// InsecureSkipVerify turns certificate verification off. pkcecheck warns
	// about it on the console and in the reports.
	InsecureSkipVerify bool
}

// maxCAFile bounds the size of a ca_file.
const maxCAFile = 1 << 20

// tls decodes the optional tls section.
func (d *decoder) tls(top *object) TLS {
	f, ok := top.fields["tls"]
	if !ok {
		return TLS{}
	}
	o := d.mapping("tls", f.key, f.val, "ca_file", "insecure_skip_verify")
	if o == nil {
		return TLS{}
	}
	var t TLS
	insecure, insecureNode := d.boolean(o, "insecure_skip_verify")
	t.InsecureSkipVerify = insecure
	ca := d.scalar(o, "ca_file")
	switch {
	case ca.ok && ca.value == "" && strings.Contains(ca.node.Value, "${"):
		// Empty from the environment (e.g. ${AUTH0_CA_FILE:-}): no extra CA,
		// so that one profile serves a public tenant and a local one.
	case ca.ok && ca.value == "":
		d.errorf(ca.node, "tls.ca_file must not be empty")
	case ca.set() && insecure:
		d.errorf(insecureNode, "tls.insecure_skip_verify and tls.ca_file exclude each other: with a CA file, verification can stay on")
	case ca.set():
		t.CAFile = d.resolvePath(ca.value)
		pemData, err := readCAFile(t.CAFile)
		if err != nil {
			shown := ca.show()
			if t.CAFile != ca.value && len(ca.vars) == 0 {
				shown += fmt.Sprintf(" (%s)", t.CAFile)
			}
			d.errorf(ca.node, "tls.ca_file %s: %v", shown, err)
		} else {
			t.CAPEM = pemData
		}
	}
	return t
}

// resolvePath takes a relative path relative to the profile file's folder.
func (d *decoder) resolvePath(p string) string {
	if filepath.IsAbs(p) || d.path == "" {
		return p
	}
	return filepath.Join(filepath.Dir(d.path), p)
}

// readCAFile reads a PEM file of CA certificates and returns its
// certificates, re-encoded. It refuses files without a certificate and
// files holding anything else (a private key has no business there).
func readCAFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, errors.Unwrap(err) // the path is already in the message
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("is not a regular file") // a FIFO or device could block the loader
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.Unwrap(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCAFile+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > maxCAFile {
		return nil, fmt.Errorf("is larger than %d bytes", maxCAFile)
	}
	return checkCAPEM(data)
}

// checkCAPEM returns the certificates of a PEM bundle, re-encoded, or says
// what is wrong with it.
func checkCAPEM(data []byte) ([]byte, error) {
	var out []byte
	n := 0
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		n++
		if b.Type != "CERTIFICATE" {
			if strings.Contains(b.Type, "PRIVATE KEY") {
				return nil, fmt.Errorf("PEM block %d is a private key: ca_file takes CA certificates only (keep the key secret)", n)
			}
			return nil, fmt.Errorf("PEM block %d is %q, not a CERTIFICATE", n, b.Type)
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			return nil, fmt.Errorf("certificate %d: %w", n, err)
		}
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b.Bytes})...)
	}
	if len(out) == 0 {
		return nil, errors.New("holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
	}
	return out, nil
}
