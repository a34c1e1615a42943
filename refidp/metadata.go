package refidp

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// supportedScopes are the scopes the server grants; others are dropped.
var supportedScopes = []string{"openid", "profile", "email"}

// metadata is the RFC 8414 / OIDC discovery document.
type metadata struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	IntrospectionEndpoint             string   `json:"introspection_endpoint"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgs      []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	IntrospectionEndpointAuthMethods  []string `json:"introspection_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	AuthorizationResponseIssSupported bool     `json:"authorization_response_iss_parameter_supported,omitempty"`
	PAREndpoint                       string   `json:"pushed_authorization_request_endpoint"`
	RequirePAR                        bool     `json:"require_pushed_authorization_requests,omitempty"`
	ScopesSupported                   []string `json:"scopes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
}

func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	s.logf("refidp: GET %s", r.URL.Path)
	m := metadata{
		Issuer:                            s.issuer,
		AuthorizationEndpoint:             s.issuer + "/authorize",
		TokenEndpoint:                     s.issuer + "/token",
		UserinfoEndpoint:                  s.issuer + "/userinfo",
		IntrospectionEndpoint:             s.issuer + "/introspect",
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query", "fragment", "form_post"},
		GrantTypesSupported:               []string{"authorization_code", "refresh_token"},
		TokenEndpointAuthMethodsSupported: []string{"none", "client_secret_basic", "client_secret_post", "private_key_jwt"},
		TokenEndpointAuthSigningAlgs:      []string{profiles.DefaultAlg(s.clientKey)},
		IntrospectionEndpointAuthMethods:  []string{"client_secret_basic", "client_secret_post"},
		CodeChallengeMethodsSupported:     s.advertisedMethods(),
		AuthorizationResponseIssSupported: !s.has(flawIssUnadvertised),
		PAREndpoint:                       s.issuer + "/par",
		RequirePAR:                        s.cfg.RequirePAR,
		ScopesSupported:                   supportedScopes,
		SubjectTypesSupported:             []string{"public"},
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(m)
}

// plainSupported reports whether /authorize accepts the plain method.
func (s *Server) plainSupported() bool {
	return s.cfg.PlainSupported || s.has(flawPlainAccepted) || s.has(flawPlainUnadvertised)
}

// advertisedMethods is code_challenge_methods_supported.
func (s *Server) advertisedMethods() []string {
	methods := []string{pkce.MethodS256}
	if s.cfg.PlainSupported || s.has(flawPlainAccepted) {
		methods = append(methods, pkce.MethodPlain)
	}
	if s.has(flawMethodsLowercase) {
		for i, m := range methods {
			methods[i] = strings.ToLower(m)
		}
	}
	return methods
}
