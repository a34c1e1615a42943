// Package pkcetest runs pkcecheck's conformance suites from the Go tests of
// an OAuth 2.0 authorization server: start the server under test, describe
// it with a profiles.Profile, and call Check. Each requirement of the
// catalogue (`pkcecheck list`) is checked through a real headless Chromium
// that logs in on the server's login page, exactly as `pkcecheck run` does;
// a requirement that fails, warns or cannot be exercised fails the test.
//
//	func TestPKCE(t *testing.T) {
//		srv := startMyServer(t) // your server, on 127.0.0.1
//		p, err := profiles.Parse("pkce.yaml", profileYAML(srv.URL), nil)
//		if err != nil {
//			t.Fatal(err)
//		}
//		report := pkcetest.Check(t, p, pkcetest.Options{OutDir: "testdata/out"})
//		_ = report // *pkcetest.Report: every result with its evidence
//	}
//
// # One Check per test binary
//
// The suites are Ginkgo specs, and Ginkgo runs its specs once per process
// (one RunSpecs per test binary). So a test binary (a package's tests) calls
// Check once; a second call fails the test that makes it. To check several
// servers or configurations, put each in its own package, or re-execute the
// test binary (os.Args[0] with -test.run) for each one, as this package's
// own tests do for a flawed server.
//
// # Selecting requirements
//
// Options.LabelFilter is a Ginkgo label filter over requirement IDs:
// "rfc7636.verifier-mismatch || rfc6749.code-single-use" checks two
// requirements, "!rfc6749.code-race" all but one. The test binary's own
// -ginkgo.label-filter flag does the same when Options.LabelFilter is empty,
// and -ginkgo.v prints every spec as it runs.
//
// # Requirements
//
// Chromium must be installed (chromium on PATH, or $PKCECHECK_CHROMIUM, or
// Options.Chromium), and the server must be reachable at the profile's
// issuer. Evidence in the report is redacted as in the CLI's reports: no
// password, client secret, code or token is kept.
package pkcetest
