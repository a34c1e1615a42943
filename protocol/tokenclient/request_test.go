package tokenclient

import (
	"reflect"
	"testing"

	"github.com/pkcecheck/pkcecheck/protocol/form"
)

func TestRequestEditing(t *testing.T) {
	base := func() *Request {
		return &Request{Params: form.Params{{"a", "1"}, {"b", "2"}, {"a", "3"}}}
	}
	tests := []struct {
		name string
		edit func(*Request)
		want form.Params
	}{
		{"set replaces first and drops others", func(r *Request) { r.Set("a", "x") }, form.Params{{"a", "x"}, {"b", "2"}}},
		{"set appends missing", func(r *Request) { r.Set("c", "") }, form.Params{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", ""}}},
		{"add duplicates", func(r *Request) { r.Add("b", "4") }, form.Params{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"b", "4"}}},
		{"del removes all", func(r *Request) { r.Del("a") }, form.Params{{"b", "2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.edit(r)
			if !reflect.DeepEqual(r.Params, tt.want) {
				t.Errorf("Params = %v, want %v", r.Params, tt.want)
			}
		})
	}
}

func TestCodeRequest(t *testing.T) {
	v, empty := "verifier-value", ""
	tests := []struct {
		name     string
		redirect string
		verifier *string
		want     form.Params
	}{
		{"full", "https://app/cb", &v, form.Params{{"grant_type", "authorization_code"}, {"code", "c"}, {"redirect_uri", "https://app/cb"}, {"code_verifier", v}}},
		{"no verifier", "https://app/cb", nil, form.Params{{"grant_type", "authorization_code"}, {"code", "c"}, {"redirect_uri", "https://app/cb"}}},
		{"empty verifier sent", "https://app/cb", &empty, form.Params{{"grant_type", "authorization_code"}, {"code", "c"}, {"redirect_uri", "https://app/cb"}, {"code_verifier", ""}}},
		{"no redirect_uri", "", &v, form.Params{{"grant_type", "authorization_code"}, {"code", "c"}, {"code_verifier", v}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CodeRequest(Auth{ClientID: "id"}, "c", tt.redirect, tt.verifier)
			if !reflect.DeepEqual(r.Params, tt.want) {
				t.Errorf("Params = %v, want %v", r.Params, tt.want)
			}
		})
	}
}

func TestRefreshRequest(t *testing.T) {
	r := RefreshRequest(Auth{ClientID: "id"}, "rt")
	want := form.Params{{"grant_type", "refresh_token"}, {"refresh_token", "rt"}}
	if !reflect.DeepEqual(r.Params, want) {
		t.Errorf("Params = %v, want %v", r.Params, want)
	}
	if _, ok := r.Get("code_verifier"); ok {
		t.Error("a refresh request carries no code_verifier")
	}
}
