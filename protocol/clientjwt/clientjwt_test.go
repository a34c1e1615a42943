package clientjwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// TestSignVerify: assertions signed with each algorithm verify with the
// public key, carry the RFC 7523 claims, and fail with another key.
func TestSignVerify(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherEC, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tests := []struct {
		alg   string
		key   crypto.Signer
		wrong crypto.PublicKey
	}{
		{profiles.AlgRS256, rsaKey, &otherEC.PublicKey},
		{profiles.AlgPS256, rsaKey, &otherEC.PublicKey},
		{profiles.AlgES256, ecKey, &otherEC.PublicKey},
	}
	now := time.Unix(1_800_000_000, 0)
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			jws, err := Sign("client-1", "https://as.example/token", tt.key, tt.alg, "kid-1", now)
			if err != nil {
				t.Fatal(err)
			}
			h, c, err := Verify(jws, tt.key.Public())
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if h["alg"] != tt.alg || h["kid"] != "kid-1" || c["iss"] != "client-1" || c["sub"] != "client-1" ||
				c["aud"] != "https://as.example/token" || c["jti"] == "" || c["exp"].(float64) != float64(now.Unix()+60) {
				t.Errorf("header %v claims %v", h, c)
			}
			if _, _, err := Verify(jws, tt.wrong); err == nil {
				t.Error("verified with another key")
			}
		})
	}
	if _, err := Sign("c", "a", ecKey, profiles.AlgRS256, "", now); err == nil {
		t.Error("RS256 with an EC key was accepted")
	}
}
