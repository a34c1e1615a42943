package hydra

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// config is what one Hydra process is started with.
type config struct {
	publicPort int
	adminPort  int
	loginURL   string
	consentURL string
	// systemSecret encrypts Hydra's data at rest and signs its cookies.
	systemSecret string
}

// issuer is the issuer Hydra announces. Hydra keeps the trailing slash of
// urls.self.issuer in its metadata and tokens, so pkcecheck's profile names
// it with the slash too.
func (c config) issuer() string {
	return "http://127.0.0.1:" + strconv.Itoa(c.publicPort) + "/"
}

func (c config) adminURL() string {
	return "http://127.0.0.1:" + strconv.Itoa(c.adminPort)
}

// document is Hydra's configuration file (hydra.yml). It is written as JSON,
// which YAML parsers read unchanged, so no value needs quoting by hand.
func (c config) document() map[string]any {
	return map[string]any{
		"dsn": "memory",
		"serve": map[string]any{
			"public": map[string]any{"host": "127.0.0.1", "port": c.publicPort},
			"admin":  map[string]any{"host": "127.0.0.1", "port": c.adminPort},
		},
		"urls": map[string]any{
			"self":    map[string]any{"issuer": c.issuer(), "public": c.issuer()},
			"login":   c.loginURL,
			"consent": c.consentURL,
		},
		"secrets": map[string]any{"system": []string{c.systemSecret}},
		"oauth2": map[string]any{
			"pkce": map[string]any{"enforced_for_public_clients": true},
		},
		"log": map[string]any{"level": "info", "format": "text", "leak_sensitive_values": false},
	}
}

// write stores the configuration as dir/hydra.yml, readable only by its
// owner (it holds the system secret), and returns the path.
func (c config) write(dir string) (string, error) {
	data, err := json.MarshalIndent(c.document(), "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode hydra configuration: %w", err)
	}
	path := filepath.Join(dir, "hydra.yml")
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return "", fmt.Errorf("write hydra configuration: %w", err)
	}
	return path, nil
}

// randomSecret returns 32 random bytes, hex encoded.
func randomSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate a secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}
