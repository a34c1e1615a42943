package reports

import (
	"html"
	"strings"
	"testing"

	"github.com/pkcecheck/pkcecheck/results"
)

// TestReproducersInReports: a fail or warning with a reproducer shows it
// in report.md (a folded section with a fenced block) and report.html (a
// folded <details> with the script in a <pre>, escaped), and results.json
// carries it; a pass never shows one. The header names the policy profile
// and the clients.
func TestReproducersInReports(t *testing.T) {
	script := "#!/bin/sh\nset -eu\n: \"${CODE:?run pkcecheck code}\"\n# </pre><script>alert(1)</script> ```\ncurl -sS -i -X POST https://idp.example/token --data-urlencode \"code=$CODE\"\n"
	run := &results.Run{
		Target:  results.Target{Name: "idp", Issuer: "https://idp.example"},
		Policy:  results.Policy{PKCERequired: "public", Plain: "forbidden", ErrorCodes: "strict", Profile: "oauth2.1-draft16"},
		Clients: []results.Client{{Role: "confidential", ID: "srv", AuthMethods: []string{"client_secret_basic", "private_key_jwt"}}},
		Results: []results.Result{
			{ID: "rfc7636.verifier-mismatch", Level: "MUST", Status: results.Fail, Summary: "tokens issued", Reproducer: script},
			{ID: "rfc7636.s256-roundtrip", Level: "MUST", Status: results.Pass, Summary: "ok", Reproducer: "#!/bin/sh\n# pass-only\n"},
		},
	}
	md, err := Markdown(run)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"profile=oauth2.1-draft16", "Clients: confidential `srv` (client_secret_basic, private_key_jwt)",
		"### Reproducers", "<details><summary>rfc7636.verifier-mismatch (fail)</summary>", "````sh\n" + strings.TrimRight(script, "\n") + "\n````"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
	page, err := HTML(run)
	if err != nil {
		t.Fatal(err)
	}
	p := string(page)
	if strings.Contains(p, "<script>alert") || !strings.Contains(p, `<details class="repro">`) || !strings.Contains(html.UnescapeString(p), script) {
		t.Errorf("report.html does not show the reproducer escaped in a folded block:\n%s", p)
	}
	for _, s := range []string{string(md), p} {
		if strings.Contains(s, "pass-only") {
			t.Error("a passing requirement's reproducer is shown")
		}
	}
	for _, want := range []string{`<h3>Clients</h3>`, "confidential srv", "client_secret_basic, private_key_jwt", "oauth2.1-draft16"} {
		if !strings.Contains(p, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
