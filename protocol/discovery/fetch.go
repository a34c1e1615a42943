// Package discovery reads an authorization server's metadata (OpenID Connect
// Discovery 1.0 §4, RFC 8414 §3) and combines it with a profile's endpoint
// overrides into the endpoints pkcecheck talks to.
package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// maxBody bounds the size of a metadata document.
const maxBody = 1 << 20

// Metadata is the part of an issuer's metadata document pkcecheck uses.
type Metadata struct {
	Issuer, AuthorizationEndpoint, TokenEndpoint, UserinfoEndpoint, IntrospectionEndpoint, RevocationEndpoint string

	CodeChallengeMethodsSupported []string
	// HasCodeChallengeMethods reports whether code_challenge_methods_supported
	// was present (possibly empty).
	HasCodeChallengeMethods bool

	AuthorizationResponseIssParameterSupported bool
	TokenEndpointAuthMethodsSupported          []string

	// PushedAuthorizationRequestEndpoint is RFC 9126's PAR endpoint ("" when
	// the server has none); RequirePushedAuthorizationRequests says every
	// authorization request must be pushed first.
	PushedAuthorizationRequestEndpoint string
	RequirePushedAuthorizationRequests bool

	// Source is the URL the document came from.
	Source string
	// Raw is the whole document.
	Raw map[string]any
}

// Fetch reads the metadata of issuer. It tries, in order and skipping
// duplicates, {issuer}/.well-known/openid-configuration, the RFC 8414 §3.1
// form {scheme}://{host}/.well-known/oauth-authorization-server{path}, and
// {issuer}/.well-known/oauth-authorization-server. It takes the first 200
// application/json document whose issuer equals the configured one exactly
// (RFC 8414 §3.3); the error names every URL tried and what went wrong with
// it. A nil client means http.DefaultClient.
func Fetch(ctx context.Context, client *http.Client, issuer string) (*Metadata, error) {
	if client == nil {
		client = http.DefaultClient
	}
	urls, err := candidates(issuer)
	if err != nil {
		return nil, fmt.Errorf("discover metadata for %s: %w", issuer, err)
	}
	var tried []string
	for _, u := range urls {
		m, err := fetchOne(ctx, client, u, issuer)
		if err == nil {
			return m, nil
		}
		if ctx.Err() != nil {
			tried = append(tried, "GET "+u)
			return nil, fmt.Errorf("discover metadata for %s: %s: %w", issuer, strings.Join(tried, "; "), ctx.Err())
		}
		tried = append(tried, fmt.Sprintf("GET %s: %v", u, err))
	}
	return nil, fmt.Errorf("discover metadata for %s: %s", issuer, strings.Join(tried, "; "))
}

// candidates lists the metadata URLs of issuer, without duplicates.
func candidates(issuer string) ([]string, error) {
	u, err := url.Parse(issuer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return nil, errors.New("issuer must be an absolute http or https URL")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(issuer, "#") {
		return nil, errors.New("issuer must not have a query or fragment")
	}
	base := strings.TrimSuffix(issuer, "/")
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	var out []string
	for _, c := range []string{
		base + "/.well-known/openid-configuration",
		u.Scheme + "://" + u.Host + "/.well-known/oauth-authorization-server" + path,
		base + "/.well-known/oauth-authorization-server",
	} {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// fetchOne reads and checks the metadata document at u.
func fetchOne(ctx context.Context, client *http.Client, u, issuer string) (*Metadata, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, ue.Err // the URL is already in the message
		}
		return nil, err
	}
	defer resp.Body.Close()
	// Read a little past the limit so that an oversized body is detected,
	// and so that the connection can be reused for small ones.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode))
	}
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("body is larger than %d bytes", maxBody)
	}
	ct := resp.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return nil, fmt.Errorf("content type %q, want application/json", ct)
	}
	m, err := parse(body)
	if err != nil {
		return nil, err
	}
	if m.Issuer != issuer {
		return nil, fmt.Errorf("metadata issuer %q does not match the configured issuer %q (RFC 8414 §3.3)", m.Issuer, issuer)
	}
	m.Source = resp.Request.URL.String()
	return m, nil
}

// parse decodes a metadata document, checking the types of the fields
// pkcecheck uses.
func parse(body []byte) (*Metadata, error) {
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if raw == nil {
		return nil, errors.New("metadata is not a JSON object")
	}
	r := reader{raw: raw}
	m := &Metadata{
		Issuer:                        r.str("issuer"),
		AuthorizationEndpoint:         r.str("authorization_endpoint"),
		TokenEndpoint:                 r.str("token_endpoint"),
		UserinfoEndpoint:              r.str("userinfo_endpoint"),
		IntrospectionEndpoint:         r.str("introspection_endpoint"),
		RevocationEndpoint:            r.str("revocation_endpoint"),
		CodeChallengeMethodsSupported: r.strs("code_challenge_methods_supported"),
		AuthorizationResponseIssParameterSupported: r.boolean("authorization_response_iss_parameter_supported"),
		TokenEndpointAuthMethodsSupported:          r.strs("token_endpoint_auth_methods_supported"),
		PushedAuthorizationRequestEndpoint:         r.str("pushed_authorization_request_endpoint"),
		RequirePushedAuthorizationRequests:         r.boolean("require_pushed_authorization_requests"),
		Raw:                                        raw,
	}
	m.HasCodeChallengeMethods = raw["code_challenge_methods_supported"] != nil
	if m.Issuer == "" && r.err == nil {
		r.err = errors.New("metadata has no issuer")
	}
	if r.err != nil {
		return nil, r.err
	}
	return m, nil
}

// reader reads typed fields from a JSON object, keeping the first type error.
type reader struct {
	raw map[string]any
	err error
}

func (r *reader) fail(key, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("metadata field %s must be %s", key, want)
	}
}

func (r *reader) str(key string) string {
	v, ok := r.raw[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.fail(key, "a string")
	}
	return s
}

func (r *reader) strs(key string) []string {
	v, ok := r.raw[key]
	if !ok || v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		r.fail(key, "an array of strings")
		return nil
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			r.fail(key, "an array of strings")
			return nil
		}
		out = append(out, s)
	}
	return out
}

func (r *reader) boolean(key string) bool {
	v, ok := r.raw[key]
	if !ok || v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		r.fail(key, "a boolean")
	}
	return b
}
