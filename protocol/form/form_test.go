package form

import "testing"

func TestParams(t *testing.T) {
	var p Params
	p.Add("code_challenge", "a")
	p.Add("code_challenge", "b")
	p.Add("code_verifier", "")
	p.Add("scope", "openid email")
	if got, want := p.Encode(), "code_challenge=a&code_challenge=b&code_verifier=&scope=openid+email"; got != want {
		t.Errorf("Encode = %q, want %q", got, want)
	}
	p.Set("code_challenge", "c")
	if got, want := p.Encode(), "code_challenge=c&code_verifier=&scope=openid+email"; got != want {
		t.Errorf("after Set: %q, want %q", got, want)
	}
	p.Set("state", "s/1")
	if v, ok := p.Get("state"); !ok || v != "s/1" {
		t.Errorf("Get(state) = %q, %v", v, ok)
	}
	if v, ok := p.Get("code_verifier"); !ok || v != "" {
		t.Errorf("Get of an empty value = %q, %v; want present and empty", v, ok)
	}
	p.Del("code_verifier")
	if _, ok := p.Get("code_verifier"); ok {
		t.Error("Del left the parameter")
	}
	if _, ok := p.Get("missing"); ok {
		t.Error("Get found a missing parameter")
	}
	masked := p.EncodeWith(func(name, value string) string {
		if name == "state" {
			return "MASK"
		}
		return value
	})
	if want := "code_challenge=c&scope=openid email&state=MASK"; masked != want {
		t.Errorf("EncodeWith = %q, want %q", masked, want)
	}
}
