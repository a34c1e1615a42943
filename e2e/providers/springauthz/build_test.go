package springauthz

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAppIsPinnedAndKeysTheCache: the pom's parent pins Spring Boot at
// BootVersion (and with it every dependency and plugin), the app's files
// are what the cache key covers, and no secret is written into them.
func TestAppIsPinnedAndKeysTheCache(t *testing.T) {
	dir, err := AppDir()
	if err != nil {
		t.Fatal(err)
	}
	pom, err := os.ReadFile(filepath.Join(dir, "pom.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<artifactId>spring-boot-starter-parent</artifactId>", "<version>" + BootVersion + "</version>",
		"spring-boot-starter-security-oauth2-authorization-server", "<finalName>spring-authz</finalName>"} {
		if !strings.Contains(string(pom), want) {
			t.Errorf("pom.xml lacks %q", want)
		}
	}
	files, inputs, err := appFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pom.xml", filepath.Join("src", "main", "resources", "application.yml"),
		filepath.Join("src", "main", "java", "dev", "pkcecheck", "authz", "Application.java")} {
		if !slices.Contains(files, want) {
			t.Errorf("the cache key does not cover %s (files %v)", want, files)
		}
	}
	if len(inputs) != 2*len(files) {
		t.Errorf("%d inputs for %d files, want a name and a content each", len(inputs), len(files))
	}
	yml, err := os.ReadFile(filepath.Join(dir, "src", "main", "resources", "application.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{noop}${PKCECHECK_SPRING_CONFIDENTIAL_SECRET}",
		"client-id: " + PublicClientID, "client-id: " + ConfidentialClientID, "client-id: " + OtherClientID, RedirectURI} {
		if !strings.Contains(string(yml), want) {
			t.Errorf("application.yml lacks %q", want)
		}
	}
}

func TestKeepEnvDropsProviderSettings(t *testing.T) {
	in := []string{"HOME=/root", "SPRING_PROFILES_ACTIVE=x", "SERVER_PORT=1", "JAVA_TOOL_OPTIONS=-X", "JAVA_OPTS=-X",
		"PKCECHECK_SPRING_PASSWORD=leak", "PATH=/bin", "SPRING_ISSUER=http://x", "LOGGING_LEVEL_ROOT=debug"}
	var kept []string
	for _, kv := range in {
		if name, _, _ := strings.Cut(kv, "="); keepEnv(name) {
			kept = append(kept, kv)
		}
	}
	if got := strings.Join(kept, " "); got != "HOME=/root PATH=/bin" {
		t.Errorf("kept %q, want HOME and PATH only", got)
	}
}
