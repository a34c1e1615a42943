// Package clientjwt signs the client assertions of private_key_jwt client
// authentication (RFC 7523 §2.2, OIDC Core §9) with Go's standard library,
// and verifies them for the reference provider. The keys and algorithms are
// the profile's (profiles.ParsePrivateKey, profiles.CheckAlg).
package clientjwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// ClientAssertionType is the client_assertion_type of private_key_jwt
// (RFC 7523 §2.2).
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLifetime is how long a client assertion is valid.
const assertionLifetime = 60 * time.Second

// ClientAssertion builds the signed JWT of private_key_jwt (RFC 7523 §3,
// OIDC Core §9): iss and sub the client_id, aud the audience, a fresh jti,
// iat now and exp a minute later. kid, when set, goes into the header.
func Sign(clientID, audience string, key crypto.Signer, alg, kid string, now time.Time) (string, error) {
	if key == nil {
		return "", errors.New("client assertion: no signing key")
	}
	if alg == "" {
		alg = profiles.DefaultAlg(key)
	}
	if err := profiles.CheckAlg(key, alg); err != nil {
		return "", fmt.Errorf("client assertion: %w", err)
	}
	jti := make([]byte, 18)
	rand.Read(jti) // never fails (Go ≥ 1.24)
	header := map[string]string{"alg": alg, "typ": "JWT"}
	if kid != "" {
		header["kid"] = kid
	}
	claims := map[string]any{
		"iss": clientID, "sub": clientID, "aud": audience,
		"jti": base64.RawURLEncoding.EncodeToString(jti),
		"iat": now.Unix(), "exp": now.Add(assertionLifetime).Unix(),
	}
	h, err := json.Marshal(header)
	if err != nil {
		return "", fmt.Errorf("client assertion header: %w", err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("client assertion claims: %w", err)
	}
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	sig, err := sign(key, alg, []byte(input))
	if err != nil {
		return "", fmt.Errorf("client assertion: sign with %s: %w", alg, err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// sign makes a JWS signature (RFC 7518 §3.3, §3.4, §3.5).
func sign(key crypto.Signer, alg string, input []byte) ([]byte, error) {
	digest := sha256.Sum256(input)
	switch alg {
	case profiles.AlgRS256:
		return key.Sign(rand.Reader, digest[:], crypto.SHA256)
	case profiles.AlgPS256:
		return key.Sign(rand.Reader, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA256})
	default: // ES256: r and s, 32 bytes each, not ASN.1
		k := key.(*ecdsa.PrivateKey)
		r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
		if err != nil {
			return nil, err
		}
		out := make([]byte, 64)
		r.FillBytes(out[:32])
		s.FillBytes(out[32:])
		return out, nil
	}
}

// Verify checks the signature of a compact JWS against a
// public key (RSA for RS256/PS256, P-256 for ES256) and returns its header
// and claims. The reference provider uses it; it checks no claim.
func Verify(jws string, pub crypto.PublicKey) (header, claims map[string]any, err error) {
	var parts [3]string
	n := 0
	start := 0
	for i := 0; i <= len(jws); i++ {
		if i == len(jws) || jws[i] == '.' {
			if n == 3 {
				return nil, nil, errors.New("not a compact JWS")
			}
			parts[n] = jws[start:i]
			n++
			start = i + 1
		}
	}
	if n != 3 {
		return nil, nil, errors.New("not a compact JWS")
	}
	if err := decodeJSON(parts[0], &header); err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	if err := decodeJSON(parts[1], &claims); err != nil {
		return nil, nil, fmt.Errorf("claims: %w", err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, nil, fmt.Errorf("signature: %w", err)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	alg, _ := header["alg"].(string)
	ok := false
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch alg {
		case profiles.AlgRS256:
			ok = rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig) == nil
		case profiles.AlgPS256:
			ok = rsa.VerifyPSS(k, crypto.SHA256, digest[:], sig, nil) == nil
		}
	case *ecdsa.PublicKey:
		if alg == profiles.AlgES256 && len(sig) == 64 {
			r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
			ok = ecdsa.Verify(k, digest[:], r, s)
		}
	}
	if !ok {
		return nil, nil, errors.New("bad signature")
	}
	return header, claims, nil
}

func decodeJSON(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
