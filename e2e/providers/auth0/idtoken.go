package auth0

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
)

// userID is the user's subject, in Auth0's "connection|id" form.
const userID = "auth0|6570b2c3d4e5f60718293a4b"

// signer signs the tenant's ID tokens (RS256, as Auth0's default).
type signer struct {
	key *rsa.PrivateKey
	kid string
}

func newSigner() (*signer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("make the signing key: %w", err)
	}
	return &signer{key: key, kid: randomID(12)}, nil
}

// idToken is the ID token for a redeemed code.
func (s *Server) idToken(c *authCode) (string, error) {
	now := time.Now()
	claims := map[string]any{
		"iss": s.Issuer(), "sub": userID, "aud": c.req.clientID, "iat": now.Unix(), "exp": now.Add(10 * time.Hour).Unix(),
		"email": Username, "sid": randomID(12),
	}
	if c.req.nonce != "" {
		claims["nonce"] = c.req.nonce
	}
	header, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": s.keys.kid})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(header) + "." + enc.EncodeToString(body)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.keys.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("sign the ID token: %w", err)
	}
	return input + "." + enc.EncodeToString(sig), nil
}

// handleKeys is the tenant's JWKS (/.well-known/jwks.json).
func (s *Server) handleKeys(w http.ResponseWriter, r *http.Request) {
	pub := s.keys.key.PublicKey
	enc := base64.RawURLEncoding
	emulator.WriteJSON(w, http.StatusOK, obj{"keys": []obj{{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": s.keys.kid,
		"n": enc.EncodeToString(pub.N.Bytes()), "e": enc.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}
