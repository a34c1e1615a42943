package httpclient

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// TLSConfig returns the client TLS configuration a profile's tls section
// asks for: nil (the system's roots) when it sets nothing; the system's
// roots plus the CA certificates of ca_file; or no verification at all for
// insecure_skip_verify.
func TLSConfig(t profiles.TLS) (*tls.Config, error) {
	switch {
	case t.InsecureSkipVerify:
		return &tls.Config{InsecureSkipVerify: true}, nil //nolint:gosec // asked for, and warned about
	case len(t.CAPEM) == 0:
		return nil, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(t.CAPEM) {
		return nil, fmt.Errorf("tls.ca_file %s: no certificate could be read", t.CAFile)
	}
	return &tls.Config{RootCAs: pool}, nil
}

// isCertError reports whether err says that the server's certificate was
// signed by an authority the client does not trust.
func isCertError(err error) bool {
	return errorsAs[x509.UnknownAuthorityError](err)
}
