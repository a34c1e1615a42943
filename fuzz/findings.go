package fuzz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/clientjwt"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
	"github.com/pkcecheck/pkcecheck/protocol/repro"
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// FileName is the name of the findings file in the output directory.
const FileName = "findings.json"

// File is findings.json: {"findings": [...]} with what the campaign was and
// did around it.
type File struct {
	Tool        results.Tool   `json:"tool"`
	Target      results.Target `json:"target"`
	Policy      results.Policy `json:"policy"`
	Seed        uint64         `json:"seed"`
	Budget      int            `json:"budget"`
	Stats       FileStats      `json:"stats"`
	Interrupted bool           `json:"interrupted,omitempty"`
	Findings    []FindingJSON  `json:"findings"`
}

// FileStats are the campaign's counters plus the session's.
type FileStats struct {
	Stats
	Cases        int `json:"cases"`
	Logins       int `json:"logins"`
	HTTPRequests int `json:"http_requests"`
}

// FindingJSON is one finding as written: the shrunk case as plain data
// (what was registered at /authorize, what was sent to /token), the first
// raw case, expected and observed outcomes, and a reproducer.
type FindingJSON struct {
	*Finding
	Case         CaseJSON    `json:"case"`
	OriginalCase CaseJSON    `json:"original_case"`
	Expected     Expectation `json:"expected"`
	Observed     Observation `json:"observed"`
	Reproducer   Reproducer  `json:"reproducer"`
}

// CaseJSON is a case as plain data. A null code_challenge_method or
// code_verifier means the parameter was not sent; two values mean it was
// sent twice.
type CaseJSON struct {
	Seq        int    `json:"seq"`
	Derivation string `json:"derivation"`
	// Verifier is V, the string the challenge was computed over.
	Verifier  string        `json:"verifier"`
	Authorize AuthorizeJSON `json:"authorize"`
	Token     TokenJSON     `json:"token"`
	// Spec is the case's structure, to replay or shrink it further.
	Spec Case `json:"spec"`
}

// AuthorizeJSON are the PKCE parameters sent to /authorize.
type AuthorizeJSON struct {
	CodeChallenge       string   `json:"code_challenge"`
	CodeChallengeMethod []string `json:"code_challenge_method"`
}

// TokenJSON are the PKCE parameters sent to /token.
type TokenJSON struct {
	CodeVerifier []string `json:"code_verifier"`
}

// Reproducer replays a finding by hand: open AuthorizeURL in a browser, log
// in, put the code= of the redirect in $CODE (and the client secret, if
// any, in $CLIENT_SECRET), then run Curl.
type Reproducer struct {
	AuthorizeURL string `json:"authorize_url"`
	Curl         string `json:"curl"`
	Steps        string `json:"steps"`
	// Script is the whole reproducer as pkcecheck run writes them: the
	// pkcecheck code line that mints the code, then the curl command.
	Script string `json:"script,omitempty"`
}

// reproSteps is Reproducer.Steps.
const reproSteps = "open authorize_url in a browser and log in; put the code parameter of the redirect in $CODE " +
	"(and the client secret, form-urlencoded, in $CLIENT_SECRET when the client has one); run curl within the code's lifetime"

// CaseData renders a case as plain data.
func CaseData(c Case) CaseJSON {
	reg := c.Registration()
	return CaseJSON{
		Seq: c.Seq, Derivation: Derivation(c), Verifier: c.Verifier,
		Authorize: AuthorizeJSON{CodeChallenge: reg.Challenge, CodeChallengeMethod: reg.Methods},
		Token:     TokenJSON{CodeVerifier: c.SentVerifiers()},
		Spec:      c,
	}
}

// Meta is what the CLI knows about the run beyond the campaign.
type Meta struct {
	Tool         results.Tool
	Target       results.Target
	Policy       results.Policy
	Logins       int
	HTTPRequests int
	Interrupted  bool
}

// NewFile assembles findings.json.
func NewFile(res *Result, ep Endpoint, m Meta) *File {
	f := &File{
		Tool: m.Tool, Target: m.Target, Policy: m.Policy, Seed: res.Seed, Budget: res.Budget,
		Stats:       FileStats{Stats: res.Stats, Cases: res.Stats.Cases(), Logins: m.Logins, HTTPRequests: m.HTTPRequests},
		Interrupted: m.Interrupted,
		Findings:    []FindingJSON{},
	}
	for _, fd := range res.Findings {
		f.Findings = append(f.Findings, FindingJSON{
			Finding: fd, Case: CaseData(fd.Case), OriginalCase: CaseData(fd.Original),
			Expected: fd.Expected, Observed: fd.Observed, Reproducer: ep.reproducerOf(fd),
		})
	}
	return f
}

// Write writes the file as dir/findings.json, creating dir.
func (f *File) Write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // URLs and curl lines stay readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return "", fmt.Errorf("encode findings: %w", err)
	}
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("write findings: %w", err)
	}
	return path, nil
}

// Reproducer renders the authorization URL and the token request of a
// case, the request as curl command of the reproducer writer
// (protocol/repro) that pkcecheck run uses too. Secrets are shell
// variables: $CODE (mint it with the URL) and $CLIENT_SECRET (or
// $CLIENT_ASSERTION); their values never appear.
func (e Endpoint) Reproducer(c Case) Reproducer {
	_, token := e.exchanges(c)
	return Reproducer{AuthorizeURL: e.authorizeRequest(c.Registration(), "pkcecheck-repro").URL(), Steps: reproSteps, Curl: repro.Curl(token)}
}

// reproducerOf is a finding's Reproducer with its whole script.
func (e Endpoint) reproducerOf(fd *Finding) Reproducer {
	r := e.Reproducer(fd.Case)
	authorize, token := e.exchanges(fd.Case)
	if o := fd.Observed.Token; o != nil {
		token.Response = fmt.Sprintf("HTTP %d\n\n", o.Status)
		if o.Error != "" {
			token.Response += `{"error":"` + o.Error + `"}`
		}
		if o.Issued {
			token.Response += `{"access_token":"` + redact.Mask + `"}`
		}
	} else {
		authorize.Response = "the authorization request got no code (error=" + fd.Observed.Authorize.Error + ")"
		authorize.Replay.Mints = 0
	}
	req, _ := requirements.Lookup(fd.Requirement)
	r.Script = repro.Script(repro.Finding{
		ID: string(fd.Requirement), Level: string(fd.Level), Source: req.Source, Status: verdictOf(fd.Level),
		Text: req.Text, Passes: req.Passes, Probe: fd.Title, Observed: fd.Title + " (oracle rule " + fd.Rule + ")",
		Exchanges:    []results.Evidence{authorize, token},
		RedirectURIs: map[string]string{e.Client.ID: e.Client.RedirectURI},
		Standard:     extraNames(e.Extra),
	})
	return r
}

func extraNames(extra [][2]string) []string {
	var out []string
	for _, kv := range extra {
		out = append(out, kv[0])
	}
	return out
}

// exchanges are a case's authorization and token requests as the suites
// record evidence: redacted, annotated with the code they mint and send.
func (e Endpoint) exchanges(c Case) (authorize, token results.Evidence) {
	authorize = results.Evidence{Probe: "authorization request of the case",
		Request:  "GET " + e.authorizeRequest(c.Registration(), "pkcecheck-repro").URL(),
		Response: "a code was issued (a redirect to " + e.Client.RedirectURI + ")",
		Replay:   &results.Replay{Mints: 1, ClientID: e.Client.ID}}
	params := e.tokenParams("code", c.SentVerifiers())
	headers := "Accept: application/json\nContent-Type: application/x-www-form-urlencoded"
	switch e.Client.AuthMethod {
	case profiles.AuthClientSecretBasic:
		headers = "Accept: application/json\nAuthorization: Basic " + redact.Mask + "\nContent-Type: application/x-www-form-urlencoded"
	case profiles.AuthClientSecretPost:
		params.Add("client_id", e.Client.ID)
		params.Add("client_secret", "secret")
	case profiles.AuthPrivateKeyJWT:
		params.Add("client_id", e.Client.ID)
		params.Add("client_assertion_type", clientjwt.ClientAssertionType)
		params.Add("client_assertion", "assertion")
	default:
		params.Add("client_id", e.Client.ID)
	}
	token = results.Evidence{Probe: "token request of the case",
		Request:  "POST " + e.Token + "\n" + headers + "\n\n" + redact.New().Params(params),
		Response: "(see observed)",
		Replay:   &results.Replay{Codes: []int{1}, ClientID: e.Client.ID}}
	return authorize, token
}

// WriteSummary prints the console summary of a campaign.
func WriteSummary(w io.Writer, f *File, path string) {
	fmt.Fprintf(w, "\npkcecheck fuzz: %s (%s) · seed %d · budget %d\n", f.Target.Name, f.Target.Issuer, f.Seed, f.Budget)
	for _, fd := range f.Findings {
		fmt.Fprintf(w, "  %s %-6s %-36s %s\n", fd.ID, fd.Level, fd.Group, fd.Title)
		fmt.Fprintf(w, "     %s (%s): %s\n", fd.Requirement, verdictOf(fd.Level), fd.Rule)
		fmt.Fprintf(w, "     %d raw case(s), first at case %d (%.1f s); shrunk with %d case(s); %s\n",
			fd.RawCases, fd.FirstSeen.Case, float64(fd.FirstSeen.ElapsedMS)/1000, fd.Shrink.Runs, shortCase(fd.Case))
	}
	s := f.Stats
	secs := float64(s.DurationMS) / 1000
	rate := func(n int) float64 {
		if secs <= 0 {
			return 0
		}
		return float64(n) / secs
	}
	fmt.Fprintf(w, "%d finding(s) · %d token cases, %d refused at /authorize, %d shrink cases · %.1f s · %d login(s), %d codes, %d HTTP requests · %.1f cases/s, %.1f codes/s\n",
		len(f.Findings), s.TokenCases, s.AuthorizeOnly, s.ShrinkRuns, secs, s.Logins, s.CodesMinted, s.HTTPRequests, rate(s.Cases), rate(s.CodesMinted))
	if s.ServerErrors > 0 {
		fmt.Fprintf(w, "%d case(s) answered with a server error (HTTP 5xx): a server error is never a pass; where a refusal was expected it is not a finding, but the server failed instead of refusing\n", s.ServerErrors)
	}
	if path != "" {
		fmt.Fprintf(w, "findings: %s\n", path)
	}
}

// verdictOf is what a finding of level l means, as in pkcecheck run: a MUST
// violation fails, a SHOULD violation warns.
func verdictOf(l requirements.Level) string {
	if l == requirements.MUST {
		return "fail"
	}
	return "warning"
}

// shortCase is a one-line rendering of a shrunk case's parameters.
func shortCase(c CaseJSON) string {
	vs := "code_verifier omitted"
	if c.Token.CodeVerifier != nil {
		q := make([]string, len(c.Token.CodeVerifier))
		for i, v := range c.Token.CodeVerifier {
			q[i] = clip(quote(v))
		}
		vs = "code_verifier=" + strings.Join(q, ",")
	}
	return fmt.Sprintf("code_challenge=%s %s %s", clip(quote(c.Authorize.CodeChallenge)), describeMethods(c.Authorize.CodeChallengeMethod), vs)
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:56] + "...\""
	}
	return s
}
