package dex

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestNewConfig(t *testing.T) {
	for _, skip := range []bool{false, true} {
		cfg := newConfig(43117, skip)
		data, err := cfg.marshal()
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		// Read it back the way Dex does (as generic JSON, its field names).
		var got struct {
			Issuer  string `json:"issuer"`
			Storage struct {
				Type string `json:"type"`
			} `json:"storage"`
			Web struct {
				HTTP string `json:"http"`
			} `json:"web"`
			OAuth2 struct {
				ResponseTypes      []string `json:"responseTypes"`
				SkipApprovalScreen bool     `json:"skipApprovalScreen"`
			} `json:"oauth2"`
			EnablePasswordDB bool `json:"enablePasswordDB"`
			StaticPasswords  []struct {
				Email, Hash, Username, UserID string
			} `json:"staticPasswords"`
			StaticClients []map[string]any `json:"staticClients"`
			Connectors    []any            `json:"connectors"`
		}
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatalf("config is not JSON (so not YAML either): %v", err)
		}
		if got.Issuer != "http://127.0.0.1:43117/dex" || got.Web.HTTP != "127.0.0.1:43117" {
			t.Errorf("issuer %q, web.http %q", got.Issuer, got.Web.HTTP)
		}
		if got.Storage.Type != "memory" || !got.EnablePasswordDB || len(got.Connectors) != 0 {
			t.Errorf("storage %q, password db %v, connectors %v", got.Storage.Type, got.EnablePasswordDB, got.Connectors)
		}
		if got.OAuth2.SkipApprovalScreen != skip || strings.Join(got.OAuth2.ResponseTypes, " ") != "code" {
			t.Errorf("oauth2 = %+v (skip approval %v)", got.OAuth2, skip)
		}
		if len(got.StaticPasswords) != 1 || got.StaticPasswords[0].Email != Email || got.StaticPasswords[0].Username != Username {
			t.Fatalf("static passwords = %+v", got.StaticPasswords)
		}
		// A bcrypt hash ($2a$, cost 10, 53 characters of salt and digest);
		// TestPasswordLoginFlow proves it is the hash of Password.
		if !regexp.MustCompile(`^\$2[aby]\$10\$[./A-Za-z0-9]{53}$`).MatchString(got.StaticPasswords[0].Hash) {
			t.Errorf("password hash %q is not a bcrypt hash", got.StaticPasswords[0].Hash)
		}

		want := map[string]map[string]any{
			PublicClientID:       {"public": true},
			ConfidentialClientID: {"secretEnv": secretEnvVar},
			OtherClientID:        {"public": true},
		}
		if len(got.StaticClients) != len(want) {
			t.Fatalf("%d static clients, want %d", len(got.StaticClients), len(want))
		}
		for _, c := range got.StaticClients {
			id, _ := c["id"].(string)
			fields, ok := want[id]
			if !ok {
				t.Errorf("unexpected client %q", id)
				continue
			}
			for k, v := range fields {
				if c[k] != v {
					t.Errorf("client %s: %s = %v, want %v", id, k, c[k], v)
				}
			}
			if _, ok := c["secret"]; ok {
				t.Errorf("client %s has a secret in the config file", id)
			}
			uris, _ := c["redirectURIs"].([]any)
			if len(uris) != 1 || uris[0] != RedirectURI {
				t.Errorf("client %s: redirectURIs = %v", id, uris)
			}
		}
	}
}

func TestProviderEnv(t *testing.T) {
	in := []string{"HOME=/root", "DEX_EXPAND_ENV=false", "DEX_ISSUER=x", secretEnvVar + "=leak", "PATH=/bin", "DEXTER=1"}
	got := strings.Join(providerEnv(in), " ")
	if want := "HOME=/root PATH=/bin DEXTER=1"; got != want {
		t.Errorf("providerEnv = %q, want %q", got, want)
	}
}
