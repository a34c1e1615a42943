package okta

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
	"sync"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
)

// signingKeyID names the one key of the org's JWKS.
const signingKeyID = "pkcecheck-emulator-rs256"

// signingKey is the RS256 key the emulated orgs sign ID tokens with, made
// once per process (a 2048-bit key takes a moment to generate).
var signingKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// idToken is the RS256-signed ID token of a code redeemed with openid.
func (s *Server) idToken(c *authCode, clientID string, accessToken string) (string, error) {
	key, err := signingKey()
	if err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	now := time.Now()
	atHash := sha256.Sum256([]byte(accessToken))
	claims := obj{
		"iss": s.Issuer(), "sub": userID, "aud": clientID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"auth_time": now.Unix(), "preferred_username": c.user,
		"at_hash": base64.RawURLEncoding.EncodeToString(atHash[:16]),
	}
	if c.req.nonce != "" {
		claims["nonce"] = c.req.nonce
	}
	head, _ := json.Marshal(obj{"alg": "RS256", "kid": signingKeyID, "typ": "JWT"})
	body, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(head) + "." + base64.RawURLEncoding.EncodeToString(body)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("sign the ID token: %w", err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// handleKeys is the JWKS with the public half of the signing key.
func (s *Server) handleKeys(w http.ResponseWriter, r *http.Request) {
	key, err := signingKey()
	if err != nil {
		emulator.WriteJSON(w, http.StatusInternalServerError, obj{"error": "server_error"})
		return
	}
	emulator.WriteJSON(w, http.StatusOK, obj{"keys": []obj{{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": signingKeyID,
		"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
	}}})
}
