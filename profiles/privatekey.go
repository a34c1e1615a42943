package profiles

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// JWS algorithms a client assertion can be signed with.
const (
	AlgRS256 = "RS256"
	AlgPS256 = "PS256"
	AlgES256 = "ES256"
)

// DefaultAlg is the algorithm a key signs with when none is named: RS256 for
// RSA, ES256 for P-256; "" for other keys.
func DefaultAlg(key crypto.Signer) string {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return AlgRS256
	case *ecdsa.PrivateKey:
		if k.Curve == elliptic.P256() {
			return AlgES256
		}
	}
	return ""
}

// CheckAlg reports whether key can sign with alg.
func CheckAlg(key crypto.Signer, alg string) error {
	switch alg {
	case AlgRS256, AlgPS256:
		if k, ok := key.(*rsa.PrivateKey); !ok || k.N.BitLen() < 2048 {
			return fmt.Errorf("%s needs an RSA key of at least 2048 bits", alg)
		}
	case AlgES256:
		if k, ok := key.(*ecdsa.PrivateKey); !ok || k.Curve != elliptic.P256() {
			return fmt.Errorf("%s needs an EC key on P-256", alg)
		}
	default:
		return fmt.Errorf("unsupported algorithm %q (use %s, %s or %s)", alg, AlgRS256, AlgPS256, AlgES256)
	}
	return nil
}

// ParsePrivateKey reads the first PEM block of data as an RSA or EC private
// key: PKCS #8 ("PRIVATE KEY"), PKCS #1 ("RSA PRIVATE KEY") or SEC 1 ("EC
// PRIVATE KEY"). Its errors never quote the key.
func ParsePrivateKey(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("PEM block %q is not a private key (want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", block.Type, err)
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	default:
		return nil, fmt.Errorf("key type %T is not supported (use RSA or EC P-256)", key)
	}
}
