package keycloak

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pkcecheck/pkcecheck/e2e/process"
)

// Realm is a realm import (Keycloak's RealmRepresentation as JSON), kept as
// generic JSON so that every field of the shipped file survives.
type Realm map[string]any

// ShippedRealmPath returns profiles/keycloak-realm.json, found from this
// source file's location so it works from any test package.
func ShippedRealmPath() (string, error) {
	dir, err := process.SourceDir("shipped realm import", filepath.Join("..", "..", "..", "profiles"), shippedRealmFile)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, shippedRealmFile), nil
}

// shippedRealmFile is the realm import shipped beside the profiles.
const shippedRealmFile = "keycloak-realm.json"

// ShippedRealm reads the shipped realm import.
func ShippedRealm() (Realm, error) {
	path, err := ShippedRealmPath()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the shipped realm: %w", err)
	}
	var r Realm
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return r, nil
}

// Name is the realm's name (its issuer's last path segment).
func (r Realm) Name() string { s, _ := r["realm"].(string); return s }

// Clients returns the client representations.
func (r Realm) Clients() []map[string]any { return objects(r["clients"]) }

// Users returns the user representations.
func (r Realm) Users() []map[string]any { return objects(r["users"]) }

// Client returns the client with this clientId, or nil.
func (r Realm) Client(id string) map[string]any {
	for _, c := range r.Clients() {
		if c["clientId"] == id {
			return c
		}
	}
	return nil
}

// User returns the user with this username, or nil.
func (r Realm) User(name string) map[string]any {
	for _, u := range r.Users() {
		if u["username"] == name {
			return u
		}
	}
	return nil
}

// Variant returns a deep copy of r under another name, with the password of
// every user and the secret of every confidential client replaced: tests use
// their own distinctive values, the shipped file has placeholders.
func (r Realm) Variant(name, password, secret string) (Realm, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("copy realm %s: %w", r.Name(), err)
	}
	var v Realm
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("copy realm %s: %w", r.Name(), err)
	}
	v["realm"] = name
	for _, c := range v.Clients() {
		if c["publicClient"] != true {
			c["secret"] = secret
		}
	}
	for _, u := range v.Users() {
		for _, cred := range objects(u["credentials"]) {
			if cred["type"] == "password" {
				cred["value"] = password
			}
		}
	}
	return v, nil
}

// SetConsentRequired turns "Consent required" on or off for every client.
func (r Realm) SetConsentRequired(on bool) {
	for _, c := range r.Clients() {
		c["consentRequired"] = on
	}
}

// PKCEMethodAttribute is the client attribute ("Proof Key for Code Exchange
// Code Challenge Method") that makes Keycloak require a challenge with that
// method; without it a client may skip PKCE or use plain.
const PKCEMethodAttribute = "pkce.code.challenge.method"

// RemovePKCEMethod drops PKCEMethodAttribute from every client: Keycloak's
// default.
func (r Realm) RemovePKCEMethod() {
	for _, c := range r.Clients() {
		if attrs, ok := c["attributes"].(map[string]any); ok {
			delete(attrs, PKCEMethodAttribute)
		}
	}
}

// AddTOTP gives the user a TOTP credential (HMAC-SHA1, 6 digits, 30 s, the
// values of authenticator apps and of the profile's totp step) whose secret
// is base32Secret. Keycloak's default browser flow then asks this user for a
// code after the password (its "Conditional OTP" runs for users that have an
// OTP credential). The representation is OTPCredentialModel's: secretData
// and credentialData are JSON strings; secretEncoding BASE32 makes Keycloak
// decode the value as the base32 text an authenticator app is given.
func (r Realm) AddTOTP(username, base32Secret string) error {
	u := r.User(username)
	if u == nil {
		return fmt.Errorf("realm %s has no user %q", r.Name(), username)
	}
	secretData, err := json.Marshal(map[string]any{"value": base32Secret})
	if err != nil {
		return err
	}
	credentialData, err := json.Marshal(map[string]any{
		"subType": "totp", "digits": 6, "counter": 0, "period": 30,
		"algorithm": "HmacSHA1", "secretEncoding": "BASE32",
	})
	if err != nil {
		return err
	}
	creds, _ := u["credentials"].([]any)
	u["credentials"] = append(creds, map[string]any{
		"type": "otp", "userLabel": "pkcecheck",
		"secretData": string(secretData), "credentialData": string(credentialData),
	})
	return nil
}

// objects returns the JSON objects of a JSON array value.
func objects(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
