package authz

import "testing"

func TestMatchesRedirectCanonical(t *testing.T) {
	tests := []struct {
		location, redirectURI string
		want                  bool
	}{
		{"http://127.0.0.1:1/callback?code=x", "http://127.0.0.1:1/callback", true},
		{"http://127.0.0.1:1/callback", "http://127.0.0.1:1/callback?pre=1", true},
		{"http://127.0.0.1:1/?code=x", "http://127.0.0.1:1", true},
		{"http://app.example/cb?code=x", "HTTP://App.Example:80/cb", true},
		{"HTTP://LOCALHOST:80/?code=x", "http://localhost", true},
		{"https://app.example/cb?code=x", "https://app.example:443/cb", true},
		{"https://app.example/cb#frag", "https://app.example:443/cb", true},
		{"http://[::1]:8080/cb?code=x", "http://[::1]:8080/cb", true},
		{"http://127.0.0.1:1/callback2?code=x", "http://127.0.0.1:1/callback", false},
		{"http://127.0.0.1:2/callback?code=x", "http://127.0.0.1:1/callback", false},
		{"https://127.0.0.1:1/callback?code=x", "http://127.0.0.1:1/callback", false},
		{"http://127.0.0.1:1/login", "http://127.0.0.1:1/callback", false},
		{"http://127.0.0.1:1/callback", "http://[bad", false},
	}
	for _, tt := range tests {
		if got := MatchesRedirectCanonical(tt.location, tt.redirectURI); got != tt.want {
			t.Errorf("MatchesRedirectCanonical(%q, %q) = %v, want %v", tt.location, tt.redirectURI, got, tt.want)
		}
	}
}
