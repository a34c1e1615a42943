package dex

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"
)

// secretEnvVar is the environment variable through which Dex reads the
// confidential client's secret (the static client's secretEnv), so the
// secret is never written into the config file.
const secretEnvVar = "PKCECHECK_DEX_CONFIDENTIAL_SECRET"

// config is the part of Dex's configuration file this package writes. Dex
// reads YAML; JSON is YAML too, and encoding/json quotes every value safely.
type config struct {
	Issuer           string           `json:"issuer"`
	Storage          storageConfig    `json:"storage"`
	Web              webConfig        `json:"web"`
	OAuth2           oauth2Config     `json:"oauth2"`
	EnablePasswordDB bool             `json:"enablePasswordDB"`
	StaticPasswords  []staticPassword `json:"staticPasswords"`
	StaticClients    []staticClient   `json:"staticClients"`
}

type storageConfig struct {
	Type string `json:"type"`
}

type webConfig struct {
	HTTP string `json:"http"`
}

type oauth2Config struct {
	ResponseTypes      []string `json:"responseTypes"`
	SkipApprovalScreen bool     `json:"skipApprovalScreen"`
}

type staticPassword struct {
	Email    string `json:"email"`
	Hash     string `json:"hash"`
	Username string `json:"username"`
	UserID   string `json:"userID"`
}

type staticClient struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Public       bool     `json:"public,omitempty"`
	SecretEnv    string   `json:"secretEnv,omitempty"`
	RedirectURIs []string `json:"redirectURIs"`
}

// issuerFor is the issuer URL of a Dex listening on port: Dex serves
// everything under the issuer's path.
func issuerFor(port int) string {
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) + "/dex"
}

// newConfig is the configuration of a Dex on 127.0.0.1:port: in-memory
// storage, the code flow only, the password database with the one static
// user, and the three static clients.
func newConfig(port int, skipApproval bool) config {
	redirect := []string{RedirectURI}
	return config{
		Issuer:  issuerFor(port),
		Storage: storageConfig{Type: "memory"},
		Web:     webConfig{HTTP: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))},
		OAuth2: oauth2Config{
			ResponseTypes:      []string{"code"},
			SkipApprovalScreen: skipApproval,
		},
		EnablePasswordDB: true,
		StaticPasswords: []staticPassword{{
			Email: Email, Hash: passwordHash, Username: Username,
			UserID: "08a8684b-db88-4b73-90a9-3cd1661f5466",
		}},
		StaticClients: []staticClient{
			{ID: PublicClientID, Name: "pkcecheck public", Public: true, RedirectURIs: redirect},
			{ID: ConfidentialClientID, Name: "pkcecheck confidential", SecretEnv: secretEnvVar, RedirectURIs: redirect},
			{ID: OtherClientID, Name: "pkcecheck other", Public: true, RedirectURIs: redirect},
		},
	}
}

// marshal renders the configuration file.
func (c config) marshal() ([]byte, error) {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render the dex config: %w", err)
	}
	return append(data, '\n'), nil
}
