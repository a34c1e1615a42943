package httpauthz

import (
	"net/url"
	"testing"

	"github.com/andybalholm/cascadia"
)

func TestFormSubmission(t *testing.T) {
	for _, tt := range []struct {
		name, html, click string
		fill              map[string]string
		method, url, body string
	}{
		{
			name: "hidden fields, filled inputs, the clicked button's name and value",
			html: `<form method="POST" action="/consent"><input type="hidden" name="csrf" value="c&amp;1"><input id="u" name="user">
				<input type="checkbox" name="remember" checked><input type="checkbox" name="no"><input name="off" disabled>
				<button id="ok" name="action" value="approve">Allow</button><button name="action" value="deny">Deny</button></form>`,
			click: "#ok", fill: map[string]string{"#u": "al ice"},
			method: "POST", url: "https://idp.example/consent", body: "csrf=c%261&user=al+ice&remember=on&action=approve",
		},
		{
			name:   "a GET form without action goes to the page, with the select's default option",
			html:   `<form><select name="tenant"><option value="a">A</option><option value="b">B</option></select><input type="submit" id="go" name="go" value="Go"></form>`,
			click:  "#go",
			method: "GET", url: "https://idp.example/login?go=Go&tenant=a", body: "",
		},
		{
			name:   "formaction and a control outside the form with form=",
			html:   `<form id="f" method="post" action="/a"><button id="b" formaction="/b"><span id="in">Go</span></button></form><input name="x" value="1" form="f">`,
			click:  "#in",
			method: "POST", url: "https://idp.example/b", body: "x=1",
		},
		{
			name:   "a link",
			html:   `<base href="/sub/"><a id="l" href="next?a=1">Next</a>`,
			click:  "#l",
			method: "GET", url: "https://idp.example/sub/next?a=1",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse("https://idp.example/login")
			p, err := parsePage(u, []byte(tt.html))
			if err != nil {
				t.Fatal(err)
			}
			for sel, v := range tt.fill {
				if err := fill(p.find(cascadia.MustCompile(sel)), v); err != nil {
					t.Fatal(err)
				}
			}
			sub, err := p.click(p.find(cascadia.MustCompile(tt.click)))
			if err != nil {
				t.Fatal(err)
			}
			got := sub.url.String()
			if sub.method == "GET" {
				// Query order is the form's; compare decoded for the GET case.
				q, _ := url.ParseQuery(sub.url.RawQuery)
				sub.url.RawQuery = q.Encode()
				got = sub.url.String()
			}
			if sub.method != tt.method || got != tt.url || string(sub.body) != tt.body {
				t.Errorf("got %s %s %q; want %s %s %q", sub.method, got, sub.body, tt.method, tt.url, tt.body)
			}
		})
	}
}

func TestChooseAndFill(t *testing.T) {
	u, _ := url.Parse("https://idp.example/login")
	p, err := parsePage(u, []byte(`<form method="post"><select id="t" name="tenant"><option value="a" selected>Acme</option><option value="b">  Beta
	Corp </option></select><textarea id="n" name="note">old</textarea><input type="checkbox" id="c" name="c"><button id="go">Go</button></form>`))
	if err != nil {
		t.Fatal(err)
	}
	if err := choose(p.find(cascadia.MustCompile("#t")), "Beta Corp"); err != nil {
		t.Fatal(err)
	}
	if err := fill(p.find(cascadia.MustCompile("#n")), "new"); err != nil {
		t.Fatal(err)
	}
	if err := choose(p.find(cascadia.MustCompile("#t")), "nope"); err == nil {
		t.Error("choose of a missing option: no error")
	}
	if err := fill(p.find(cascadia.MustCompile("#c")), "x"); err == nil {
		t.Error("fill of a checkbox: no error")
	}
	sub, err := p.click(p.find(cascadia.MustCompile("#go")))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(sub.body), "tenant=b&note=new"; got != want {
		t.Errorf("body %q; want %q", got, want)
	}
}
