package discovery

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// Endpoints are the URLs pkcecheck talks to. Userinfo and Introspection may
// be empty; the others are always set.
type Endpoints struct {
	Authorization, Token, Userinfo, Introspection string
}

// Resolve combines the profile's endpoint overrides with the metadata m: an
// override wins, otherwise the metadata's endpoint is used. m may be nil when
// the profile gives both the authorization and the token endpoint. The error
// names every required endpoint that is missing and every metadata endpoint
// that is not an absolute http or https URL.
func Resolve(p *profiles.Profile, m *Metadata) (Endpoints, error) {
	if p == nil {
		return Endpoints{}, errors.New("resolve endpoints: no profile")
	}
	if m == nil {
		m = &Metadata{}
	}
	var problems []string
	pick := func(override, discovered, metaField, profileKey string, required bool) string {
		if override != "" {
			return override
		}
		if discovered == "" {
			if required {
				problems = append(problems, fmt.Sprintf("no %s endpoint: set %s in the profile%s", strings.TrimSuffix(metaField, "_endpoint"), profileKey, where(m, metaField)))
			}
			return ""
		}
		if !absoluteHTTP(discovered) {
			problems = append(problems, fmt.Sprintf("metadata %s %q is not an absolute http or https URL (override it with %s in the profile)", metaField, discovered, profileKey))
			return ""
		}
		return discovered
	}
	e := Endpoints{
		Authorization: pick(p.Endpoints.Authorization, m.AuthorizationEndpoint, "authorization_endpoint", "endpoints.authorization", true),
		Token:         pick(p.Endpoints.Token, m.TokenEndpoint, "token_endpoint", "endpoints.token", true),
		Userinfo:      pick(p.Endpoints.Userinfo, m.UserinfoEndpoint, "userinfo_endpoint", "endpoints.userinfo", false),
		Introspection: pick(p.Endpoints.Introspection, m.IntrospectionEndpoint, "introspection_endpoint", "endpoints.introspection", false),
	}
	if len(problems) > 0 {
		return Endpoints{}, fmt.Errorf("resolve endpoints for %s: %s", name(p), strings.Join(problems, "; "))
	}
	return e, nil
}

// where says where the metadata field was looked for.
func where(m *Metadata, field string) string {
	if m.Source == "" {
		return " (no metadata was read)"
	}
	return fmt.Sprintf(" (the metadata at %s has no %s)", m.Source, field)
}

// name names the profile in messages.
func name(p *profiles.Profile) string {
	switch {
	case p.Path != "":
		return p.Path
	case p.Name != "":
		return p.Name
	}
	return "the profile"
}

// absoluteHTTP reports whether s is an absolute http or https URL with a host.
func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Opaque == ""
}
