package session

// Benchmarks of minting codes, against servers configured the way their
// owners run them: the reference provider (refidp) remembering consent
// ("refidp"), asking for consent on every authorization ("refidp-consent")
// and keeping no session, with a two-step login on every authorization
// ("refidp-nosession"); node-oidc-provider with its default consent prompt
// (e2e/providers/nodeoidc: consent on every authorization of its native
// clients); Dex with its approval screen and no login session
// (e2e/providers/dex); Hydra with a login app on another port that never
// remembers (e2e/providers/hydra, Options.Forget); Keycloak with the
// shipped realm import (e2e/providers/keycloak: an SSO session, no consent);
// the Okta emulator behind the real Sign-In Widget 7.49.0, Gen3 identifier
// first with "Stay signed in" and consent (e2e/providers/okta: an SSO
// session, consent remembered per client); the Auth0 emulator behind the
// real Lock 14.3.0, Classic Universal Login with consent
// (e2e/providers/auth0: a session, consent remembered per client, HTTPS
// with its own CA).
//
// Each runs in mode "http" (the default: plain HTTP on the browser's
// session, the profile's login and consent steps replayed on server-rendered
// forms, the browser where a page needs JavaScript); refidp and nodeoidc
// also in mode "browser" (every code minted in Chromium, as before the fast
// path). Each one also measures the floor: the same round trips made by a
// plain net/http client with a cookie jar (floorClient), against the same
// server, in the same run.
//
//	go test -run '^$' -bench Catalogue -benchtime 1x ./session
//	go test -run '^$' -bench Mint ./session
//	go test -run '^$' -bench Fuzz -benchtime 1x ./session
//
// BenchmarkCatalogue runs the whole catalogue once per iteration, in a
// child process (Ginkgo runs its specs once per process), with the
// profile's own rate limit (none on 127.0.0.1 unless the profile sets
// one). It reports wall time (browser start included), logins, codes,
// codes/s, HTTP requests, floor_ratio (wall time / floor time) and
// rate_floor_ms, the least time the profile's requests_per_second allows
// for the run's HTTP requests.
//
// BenchmarkMint measures the marginal cost of one more code (authorize and
// redeem) on a logged-in session, with no rate limit, taking turns with
// the floor client, and reports ms/code and floor_ratio (ms/code / floor
// ms/code).
//
// BenchmarkFuzz runs `pkcecheck fuzz`'s campaign (fuzz.Run on a session)
// against refidp-consent and reports cases/s.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/e2e/providers/auth0"
	"github.com/pkcecheck/pkcecheck/e2e/providers/dex"
	"github.com/pkcecheck/pkcecheck/e2e/providers/hydra"
	"github.com/pkcecheck/pkcecheck/e2e/providers/keycloak"
	"github.com/pkcecheck/pkcecheck/e2e/providers/nodeoidc"
	"github.com/pkcecheck/pkcecheck/e2e/providers/okta"
	"github.com/pkcecheck/pkcecheck/fuzz"
	"github.com/pkcecheck/pkcecheck/internal/httpclient"
	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/refidp"
)

// Environment of the child process that runs one catalogue.
const (
	envChild     = "PKCECHECK_BENCH_CHILD" // a benchTarget's name
	envMode      = "PKCECHECK_BENCH_MODE"  // "browser", "http" or "detected"
	envIssuer    = "PKCECHECK_BENCH_ISSUER"
	envSecret    = "PKCECHECK_BENCH_SECRET"
	envPassword  = "PKCECHECK_BENCH_PASSWORD"
	envCAFile    = "PKCECHECK_BENCH_CA_FILE"
	resultMark   = "PKCECHECK-BENCH-RESULT "
	benchRedir   = "http://127.0.0.1:8765/callback"
	benchUser    = "bench-user"
	nodeProfile  = "../profiles/node-oidc-provider.yaml"
	dexProfile   = "../profiles/dex.yaml"
	hydraProfile = "../profiles/hydra.yaml"
	kcProfile    = "../profiles/keycloak.yaml"
	oktaProfile  = "../profiles/okta.yaml"
	auth0Profile = "../profiles/auth0.yaml"
	kcRealm      = "pkcecheck"
)

func TestMain(m *testing.M) {
	if target := os.Getenv(envChild); target != "" {
		os.Exit(catalogueChild(target, os.Getenv(envMode)))
	}
	os.Exit(m.Run())
}

// catalogueResult is what a child reports of one catalogue run.
type catalogueResult struct {
	WallMS         float64 `json:"wall_ms"` // Execute, browser start included
	Logins         int     `json:"logins"`
	Codes          int     `json:"codes"`
	HTTPRequests   int     `json:"http_requests"`
	Authorizations int     `json:"authorizations"` // warm-up included
	TokenRequests  int     `json:"token_requests"`
	Capped         bool    `json:"capped"` // evidence was capped: the counts are lower bounds
	ViaHTTP        int     `json:"via_http"`
	ViaBrowser     int     `json:"via_browser"`
	// FirstBrowserReason is why the first authorization after the warm-up
	// went to the browser ("" if none did).
	FirstBrowserReason string   `json:"first_browser_reason,omitempty"`
	FloorMS            float64  `json:"floor_ms"`
	RateFloorMS        float64  `json:"rate_floor_ms"`  // the least time the profile's rate limit allows for HTTPRequests
	NotPassed          int      `json:"not_passed"`     // results that are neither pass, skip (a requirement the policy or the server's metadata leaves out) nor the expected warn
	NotPassedIDs       []string `json:"not_passed_ids"` // their requirement IDs and statuses
	// Statuses are every result's status by requirement ID.
	Statuses map[string]string `json:"statuses"`
	// LoginMode is results.json's login.mode (given, detected, mixed).
	LoginMode string `json:"login_mode"`
	Err       string `json:"err,omitempty"`
}

var (
	mintingLine = regexp.MustCompile(`authorizations: (\d+) over HTTP, (\d+) in the browser`)
	reasonLine  = regexp.MustCompile(`\(first because of: (.*)\)`)
)

// catalogueChild runs the catalogue once against target, measures the
// floor for the same round trips, and prints a catalogueResult.
func catalogueChild(target, mode string) int {
	res := runCatalogue(target, mode)
	out, _ := json.Marshal(res)
	fmt.Println(resultMark + string(out))
	if res.Err != "" {
		return 1
	}
	return 0
}

func runCatalogue(target, mode string) (res catalogueResult) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bs := benchServer{issuer: os.Getenv(envIssuer), secret: os.Getenv(envSecret), password: os.Getenv(envPassword), caFile: os.Getenv(envCAFile)}
	p, user, password, stop, err := benchProfile(ctx, target, bs)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	defer stop()
	if mode == modeDetected {
		// The same run from the user name and password alone.
		p.Login = profiles.Login{Credentials: &profiles.Credentials{Username: user, Password: password}}
	}
	dir, err := os.MkdirTemp("", "pkcecheck-bench-")
	if err != nil {
		res.Err = err.Error()
		return res
	}
	defer os.RemoveAll(dir)
	var log bytes.Buffer
	began := time.Now()
	run, err := Execute(ctx, p, Options{OutDir: dir, BrowserOnly: mode == "browser", Log: &log, GinkgoOutput: io.Discard})
	res.WallMS = float64(time.Since(began).Microseconds()) / 1000
	if err != nil {
		res.Err = fmt.Sprintf("execute: %v", err)
		return res
	}
	res.Logins, res.Codes, res.HTTPRequests = run.Stats.Logins, run.Stats.CodesMinted, run.Stats.HTTPRequests
	if run.Login != nil {
		res.LoginMode = run.Login.Mode
	}
	if rps := p.Limits.RequestsPerSecond; rps > 0 {
		res.RateFloorMS = float64(res.HTTPRequests-1) / rps * 1000
	}
	if m := mintingLine.FindStringSubmatch(log.String()); m != nil {
		res.ViaHTTP, _ = strconv.Atoi(m[1])
		res.ViaBrowser, _ = strconv.Atoi(m[2])
		if r := reasonLine.FindStringSubmatch(log.String()); r != nil {
			res.FirstBrowserReason = r[1]
		}
	} else if mode == "browser" {
		res.ViaBrowser = -1 // not counted: every authorization went to the browser
	}
	tlsConfig, err := httpclient.TLSConfig(p.TLS)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	meta, err := discovery.Fetch(ctx, &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConfig}}, p.Issuer)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	res.Authorizations = 1 // the warm-up
	res.Statuses = map[string]string{}
	for _, r := range run.Results {
		res.Statuses[r.ID] = string(r.Status)
		if st := string(r.Status); st != "pass" && st != "skip" && !(target != "refidp" && !strings.HasPrefix(target, "refidp-") && st == "warn") {
			res.NotPassed++
			res.NotPassedIDs = append(res.NotPassedIDs, string(r.ID)+"="+st)
		}
		if len(r.Evidence) >= 40 {
			res.Capped = true
		}
		for _, ev := range r.Evidence {
			switch {
			case ev.Probe == "authorize":
				res.Authorizations++
			case strings.HasPrefix(ev.Request, "POST "+meta.TokenEndpoint):
				res.TokenRequests++
			}
		}
	}
	fc := newFloorClient(meta.AuthorizationEndpoint, meta.TokenEndpoint, p.Clients.Public, user, password)
	fc.http.Transport = &http.Transport{TLSClientConfig: tlsConfig}
	floor, err := fc.run(ctx, res.Authorizations, res.TokenRequests)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	res.FloorMS = float64(floor.Microseconds()) / 1000
	return res
}

// benchServer is a server started by the parent for the children: where
// it is and the secrets of its profile.
type benchServer struct {
	issuer, secret, password string
	caFile                   string // the CA of an HTTPS server; "" for none
}

func (bs benchServer) env() []string {
	return []string{envIssuer + "=" + bs.issuer, envSecret + "=" + bs.secret, envPassword + "=" + bs.password, envCAFile + "=" + bs.caFile}
}

// benchTarget is a server configuration the benchmarks run against.
type benchTarget struct {
	name  string
	modes []string
	// loginEvery: the server keeps no login session, so a run logs in on
	// every authorization that gets past the request checks.
	loginEvery bool
	// strict: a correct server; every result must pass (node-oidc-provider:
	// or warn). Dex and Hydra have known deviations (see their profiles).
	strict bool
	// start starts the server in the parent; nil for the refidp
	// configurations, which each child starts in its own process.
	start func(b *testing.B) benchServer
}

// modeDetected runs as "http" does, with the profile's login replaced by
// the account alone (login.username and login.password): every page is
// found by detection.
const modeDetected = "detected"

var (
	bothModes = []string{"browser", "http"}
	httpMode  = []string{"http"}
)

var benchTargets = []benchTarget{
	{name: "refidp", modes: bothModes, strict: true},
	{name: "refidp-consent", modes: httpMode, strict: true},
	{name: "refidp-nosession", modes: httpMode, strict: true, loginEvery: true},
	{name: "nodeoidc", modes: bothModes, strict: true, start: startNode},
	{name: "dex", modes: httpMode, loginEvery: true, start: startDex},
	{name: "hydra", modes: httpMode, loginEvery: true, start: startHydra},
	{name: "keycloak", modes: httpMode, start: startKeycloak},
	{name: "okta", modes: httpMode, strict: true, start: startOkta},
	{name: "auth0", modes: httpMode, start: startAuth0},
}

// refidpConfigs are the reference provider's configurations by target name.
var refidpConfigs = map[string]refidp.Config{
	"refidp":           {Consent: true},
	"refidp-consent":   {ConsentEveryTime: true},
	"refidp-nosession": {NoSession: true},
}

// benchProfile starts the reference provider (in this process) or
// describes the provider the parent started (bs), and returns the profile
// with the login's user and password.
func benchProfile(ctx context.Context, target string, bs benchServer) (p *profiles.Profile, user, password string, stop func(), err error) {
	if cfg, ok := refidpConfigs[target]; ok {
		password = randomString()
		cfg.Username, cfg.Password, cfg.RedirectURI, cfg.ConfidentialSecret = benchUser, password, benchRedir, randomString()
		srv, err := refidp.StartDemo(ctx, cfg)
		if err != nil {
			return nil, "", "", nil, err
		}
		return srv.Profile(), benchUser, password, func() { srv.Close() }, nil
	}
	var path string
	var env map[string]string
	switch target {
	case "nodeoidc":
		user, password = benchUser, randomString() // any login works
		path = nodeProfile
		env = map[string]string{"NODE_OIDC_ISSUER": bs.issuer, "NODE_OIDC_CONF_SECRET": bs.secret,
			"NODE_OIDC_USER": user, "NODE_OIDC_PASSWORD": password}
	case "dex":
		user, password = dex.Email, dex.Password
		path = dexProfile
		env = map[string]string{"DEX_ISSUER": bs.issuer, "DEX_CONF_SECRET": bs.secret, "DEX_USER": user, "DEX_PASSWORD": password}
	case "hydra":
		user, password = hydra.DefaultUsername, bs.password
		path = hydraProfile
		env = map[string]string{"HYDRA_ISSUER": bs.issuer, "HYDRA_CONF_SECRET": bs.secret, "HYDRA_USER": user, "HYDRA_PASSWORD": password}
	case "keycloak":
		user, password = keycloak.Username, bs.password
		path = kcProfile
		env = map[string]string{"KC_ISSUER": bs.issuer, "KC_CONF_SECRET": bs.secret, "KC_USER": user, "KC_PASSWORD": password}
	case "okta":
		user, password = okta.Username, bs.password
		path = oktaProfile
		env = map[string]string{"OKTA_ISSUER": bs.issuer, "OKTA_USER": user, "OKTA_PASSWORD": password,
			"OKTA_PUBLIC_CLIENT_ID": okta.PublicClientID, "OKTA_CONF_CLIENT_ID": okta.ConfidentialClientID,
			"OKTA_OTHER_CLIENT_ID": okta.OtherClientID, "OKTA_CONF_SECRET": bs.secret}
	case "auth0":
		user, password = auth0.Username, bs.password
		path = auth0Profile
		env = map[string]string{"AUTH0_ISSUER": bs.issuer, "AUTH0_USER": user, "AUTH0_PASSWORD": password,
			"AUTH0_PUBLIC_CLIENT_ID": auth0.PublicClientID, "AUTH0_CONF_CLIENT_ID": auth0.ConfidentialClientID,
			"AUTH0_OTHER_CLIENT_ID": auth0.OtherClientID, "AUTH0_CONF_SECRET": bs.secret, "AUTH0_CA_FILE": bs.caFile}
	default:
		return nil, "", "", nil, fmt.Errorf("unknown bench target %q", target)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", "", nil, err
	}
	p, err = profiles.Parse(path, data, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		return nil, "", "", nil, err
	}
	if target == "keycloak" || target == "okta" || target == "auth0" {
		// Their shipped profiles pace a real org (10, 5 and 5 requests/s); on
		// 127.0.0.1 they are measured as the other local servers are, with
		// the loopback default (no limit).
		p.Limits.RateSource = ""
		p.ApplyRateDefault()
	}
	return p, user, password, func() {}, nil
}

func randomString() string {
	b := make([]byte, 12)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// startNode starts node-oidc-provider (its default consent prompt) for a
// benchmark; it stops at the end. With PKCECHECK_BENCH_ISSUER and
// PKCECHECK_BENCH_SECRET set, the provider running there is used instead
// (to compare configurations).
func startNode(b *testing.B) benchServer {
	b.Helper()
	if issuer, secret := os.Getenv(envIssuer), os.Getenv(envSecret); issuer != "" {
		return benchServer{issuer: issuer, secret: secret}
	}
	secret := randomString()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := nodeoidc.Start(ctx, nodeoidc.Options{ConfidentialSecret: secret})
	if err != nil {
		b.Fatalf("start node-oidc-provider: %v", err)
	}
	b.Cleanup(func() { srv.Stop() })
	return benchServer{issuer: srv.Issuer(), secret: secret}
}

// startDex starts Dex with its approval screen (its default) for a
// benchmark; it stops at the end.
func startDex(b *testing.B) benchServer {
	b.Helper()
	secret := randomString()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv, err := dex.Start(ctx, dex.Options{ConfidentialSecret: secret})
	if err != nil {
		b.Fatalf("start dex: %v", err)
	}
	b.Cleanup(func() { srv.Stop() })
	return benchServer{issuer: srv.Issuer(), secret: secret, password: dex.Password}
}

// startHydra starts Hydra with a login app (on another port) that never
// remembers a login or a consent; it stops at the end.
func startHydra(b *testing.B) benchServer {
	b.Helper()
	secret, password := randomString(), randomString()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv, err := hydra.Start(ctx, hydra.Options{ConfidentialSecret: secret, Password: password, Forget: true})
	if err != nil {
		b.Fatalf("start hydra: %v", err)
	}
	b.Cleanup(func() { srv.Stop() })
	return benchServer{issuer: srv.Issuer(), secret: secret, password: password}
}

// startKeycloak starts Keycloak with the shipped realm import (an SSO
// session, no consent) for a benchmark; it stops at the end. Its start
// takes tens of seconds to minutes on two cores.
func startKeycloak(b *testing.B) benchServer {
	b.Helper()
	secret, password := randomString(), randomString()
	shipped, err := keycloak.ShippedRealm()
	if err != nil {
		b.Fatal(err)
	}
	realm, err := shipped.Variant(kcRealm, password, secret)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	srv, err := keycloak.Start(ctx, keycloak.Options{Realms: []keycloak.Realm{realm}, Secrets: []string{secret, password}})
	if err != nil {
		b.Fatalf("start keycloak: %v", err)
	}
	b.Cleanup(func() { srv.Stop() })
	return benchServer{issuer: srv.Issuer(kcRealm), secret: secret, password: password}
}

// startOkta starts the Okta emulator behind the real Sign-In Widget (Gen3,
// identifier first, "Stay signed in", consent; an SSO session) for a
// benchmark; it stops at the end.
func startOkta(b *testing.B) benchServer {
	b.Helper()
	secret, password := randomString(), randomString()
	srv := okta.StartForTest(b, okta.Options{Gen: okta.Gen3, Password: password, ConfidentialSecret: secret, KeepMeSignedIn: true, Consent: true})
	return benchServer{issuer: srv.Issuer(), secret: secret, password: password}
}

// startAuth0 starts the Auth0 emulator behind the real Lock (Classic
// Universal Login, consent; a session) for a benchmark; it stops at the
// end.
func startAuth0(b *testing.B) benchServer {
	b.Helper()
	secret, password := randomString(), randomString()
	srv := auth0.StartForTest(b, auth0.Options{Password: password, ConfidentialSecret: secret, Consent: true})
	return benchServer{issuer: srv.Issuer(), secret: secret, password: password, caFile: srv.CAFile()}
}

func BenchmarkCatalogue(b *testing.B) {
	for _, target := range benchTargets {
		b.Run(target.name, func(b *testing.B) {
			env := []string{envChild + "=" + target.name}
			if target.start != nil {
				env = append(env, target.start(b).env()...)
			}
			for _, mode := range target.modes {
				b.Run(mode, func(b *testing.B) {
					var sum catalogueResult
					for range b.N {
						r := catalogueInChild(b, append(env, envMode+"="+mode))
						if target.strict && r.NotPassed > 0 {
							b.Errorf("%d results not as expected: %v", r.NotPassed, r.NotPassedIDs)
						}
						if !target.loginEvery && r.Logins != 1 {
							b.Errorf("%d logins, want 1", r.Logins)
						}
						sum.add(r)
					}
					n := float64(b.N)
					b.ReportMetric(sum.WallMS/n, "wall_ms")
					b.ReportMetric(float64(sum.Logins)/n, "logins")
					b.ReportMetric(float64(sum.Codes)/n, "codes")
					b.ReportMetric(float64(sum.Authorizations)/n, "authz")
					b.ReportMetric(float64(sum.ViaBrowser)/n, "authz_in_browser")
					b.ReportMetric(float64(sum.Codes)/(sum.WallMS/1000), "codes/s")
					b.ReportMetric(float64(sum.HTTPRequests)/n, "http_requests")
					b.ReportMetric(sum.FloorMS/n, "floor_ms")
					b.ReportMetric(sum.RateFloorMS/n, "rate_floor_ms")
					b.ReportMetric(sum.WallMS/sum.FloorMS, "floor_ratio")
					if sum.Capped {
						b.Log("evidence was capped: authz and floor are lower bounds")
					}
					if sum.FirstBrowserReason != "" {
						b.Logf("first authorization in the browser because of: %s", sum.FirstBrowserReason)
					}
				})
			}
		})
	}
}

func (s *catalogueResult) add(r catalogueResult) {
	s.WallMS += r.WallMS
	s.Logins += r.Logins
	s.Codes += r.Codes
	s.HTTPRequests += r.HTTPRequests
	s.Authorizations += r.Authorizations
	s.TokenRequests += r.TokenRequests
	s.ViaHTTP += r.ViaHTTP
	s.ViaBrowser += r.ViaBrowser
	s.FloorMS += r.FloorMS
	s.RateFloorMS += r.RateFloorMS
	s.Capped = s.Capped || r.Capped
	if s.FirstBrowserReason == "" {
		s.FirstBrowserReason = r.FirstBrowserReason
	}
}

// catalogueInChild runs this test binary as a child that runs the
// catalogue once (see TestMain).
func catalogueInChild(b testing.TB, env []string) catalogueResult {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	for _, line := range strings.Split(stdout.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, resultMark); ok {
			var r catalogueResult
			if err := json.Unmarshal([]byte(rest), &r); err != nil {
				b.Fatalf("child result: %v", err)
			}
			if r.Err != "" {
				b.Fatalf("child: %s\nstderr:\n%s", r.Err, stderr.String())
			}
			return r
		}
	}
	b.Fatalf("child reported nothing (%v)\nstdout:\n%s\nstderr:\n%s", runErr, stdout.String(), stderr.String())
	return catalogueResult{}
}

// BenchmarkMint measures one more code (a valid S256 authorization and its
// redemption) on a logged-in session, without a rate limit, against the
// floor client doing the same in the same benchmark.
func BenchmarkMint(b *testing.B) {
	for _, target := range benchTargets {
		b.Run(target.name, func(b *testing.B) {
			var bs benchServer
			if target.start != nil {
				bs = target.start(b)
			}
			for _, mode := range target.modes {
				b.Run(mode, func(b *testing.B) {
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
					defer cancel()
					p, user, password, stop, err := benchProfile(ctx, target.name, bs)
					if err != nil {
						b.Fatal(err)
					}
					defer stop()
					p.Limits.RequestsPerSecond = 0 // the mechanism's cost, not the profile's pacing
					s, err := Open(ctx, p, Options{OutDir: b.TempDir(), BrowserOnly: mode == "browser"})
					if err != nil {
						b.Fatal(err)
					}
					defer s.Close()
					c := p.Clients.Public
					fc := newFloorClient(s.Endpoints.Authorization, s.Endpoints.Token, c, user, password)
					tlsConfig, err := httpclient.TLSConfig(p.TLS) // the emulated Auth0 tenant is HTTPS with its own CA
					if err != nil {
						b.Fatal(err)
					}
					fc.http.Transport = &http.Transport{TLSClientConfig: tlsConfig}
					if _, _, err := fc.mint(ctx); err != nil { // logs in
						b.Fatal(err)
					}
					// The session and the floor take turns, so both meet the
					// server in the same state (a server slows down as it
					// keeps more codes). ns/op covers both; ms/code is ours.
					var ours, floor time.Duration
					b.ResetTimer()
					for range b.N {
						began := time.Now()
						if err := mintAndRedeem(ctx, s, c); err != nil {
							b.Fatal(err)
						}
						mid := time.Now()
						ours += mid.Sub(began)
						if _, err := fc.run(ctx, 1, 1); err != nil {
							b.Fatal(err)
						}
						floor += time.Since(mid)
					}
					b.StopTimer()
					perCode := float64(ours.Microseconds()) / 1000 / float64(b.N)
					floorPerCode := float64(floor.Microseconds()) / 1000 / float64(b.N)
					b.ReportMetric(perCode, "ms/code")
					b.ReportMetric(1000/perCode, "codes/s")
					b.ReportMetric(floorPerCode, "floor_ms/code")
					b.ReportMetric(perCode/floorPerCode, "floor_ratio")
					if s.fast != nil {
						b.ReportMetric(float64(s.fast.Stats().Browser)/float64(b.N), "in_browser/code")
					}
					if s.Browser.Logins() != 1 {
						b.Errorf("%d logins in the browser, want 1 (the warm-up)", s.Browser.Logins())
					}
					if s.fast != nil {
						if st := s.fast.Stats(); st.FirstBrowserReason != "" {
							b.Logf("first authorization in the browser because of: %s", st.FirstBrowserReason)
						}
					}
				})
			}
		})
	}
}

// mintAndRedeem mints one code through the session and redeems it.
func mintAndRedeem(ctx context.Context, s *Session, c *profiles.Client) error {
	pair, err := pkce.NewPair(43)
	if err != nil {
		return err
	}
	req := authz.NewRequest(s.Endpoints.Authorization, c.ID, c.RedirectURI, c.Scopes, "bench-state")
	req.Params.Add("code_challenge", pair.Challenge)
	req.Params.Add("code_challenge_method", pkce.MethodS256)
	resp, err := s.Authorizer.Authorize(ctx, req.URL(), c.RedirectURI)
	if err != nil {
		return err
	}
	if resp.Code == "" {
		return fmt.Errorf("no code: error=%s page=%v", resp.Error, resp.ErrorPage)
	}
	// Redeemed as the floor client does (the same plain request), through
	// the session's counted client.
	status, err := redeemPlain(ctx, s.HTTP(), s.Endpoints.Token, c, resp.Code, pair.Verifier)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("redemption refused: HTTP %d", status)
	}
	return nil
}

// BenchmarkFuzz runs a fuzz campaign (what `pkcecheck fuzz` runs) on a
// logged-in session against the reference provider that asks for consent
// on every authorization, with its profile's rate limit, and reports
// cases/s (the session's start not included) and where the
// authorizations were answered.
func BenchmarkFuzz(b *testing.B) {
	const target, budget = "refidp-consent", 200
	for range b.N {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		p, _, _, stop, err := benchProfile(ctx, target, benchServer{})
		if err != nil {
			cancel()
			b.Fatal(err)
		}
		s, err := Open(ctx, p, Options{OutDir: b.TempDir()})
		if err != nil {
			stop()
			cancel()
			b.Fatal(err)
		}
		live := &fuzz.Live{
			Endpoint:   fuzz.Endpoint{Authorization: s.Endpoints.Authorization, Token: s.Endpoints.Token, Client: *p.Clients.Public},
			Authorizer: s.Authorizer, HTTP: s.HTTP(), Redactor: s.Redactor, Timeout: p.Limits.Timeout,
		}
		began := time.Now()
		res, err := fuzz.Run(ctx, live, fuzz.Config{Seed: 1, Budget: budget})
		elapsed := time.Since(began)
		st := s.fast.Stats()
		s.Close()
		stop()
		cancel()
		if err != nil {
			b.Fatalf("fuzz: %v", err)
		}
		cases := res.Stats.Cases()
		b.ReportMetric(float64(cases)/elapsed.Seconds(), "cases/s")
		b.ReportMetric(float64(cases), "cases")
		b.ReportMetric(float64(st.Browser), "authz_in_browser")
		if st.FirstBrowserReason != "" {
			b.Logf("first authorization in the browser because of: %s", st.FirstBrowserReason)
		}
	}
}
