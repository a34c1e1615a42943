package authz

import (
	"net/url"
	"testing"
)

func TestNewRequestNonce(t *testing.T) {
	get := func(scopes []string) url.Values {
		u, err := url.Parse(NewRequest("https://idp.example/authorize", "c", "http://127.0.0.1/cb", scopes, "s").URL())
		if err != nil {
			t.Fatal(err)
		}
		return u.Query()
	}
	a, b := get([]string{"openid", "profile"}), get([]string{"openid"})
	if a.Get("nonce") == "" || len(a.Get("nonce")) < 22 || a.Get("nonce") == b.Get("nonce") {
		t.Errorf("nonces %q and %q; want a fresh random one with openid", a.Get("nonce"), b.Get("nonce"))
	}
	if q := get([]string{"read"}); q.Has("nonce") {
		t.Errorf("nonce %q sent without openid", q.Get("nonce"))
	}
	r := NewRequest("https://idp.example/authorize", "c", "http://127.0.0.1/cb", nil, "s")
	r.AddExtra([][2]string{{"audience", "https://api"}, {"prompt", "login"}})
	if got := r.Params.Encode(); got != "response_type=code&client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=s&audience=https%3A%2F%2Fapi&prompt=login" {
		t.Errorf("params %s", got)
	}
}
