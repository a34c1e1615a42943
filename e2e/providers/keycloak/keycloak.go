// Package keycloak starts Keycloak (keycloak/keycloak, the Quarkus
// distribution) on 127.0.0.1 as a real PKCE target for pkcecheck's tests.
//
// The distribution, org.keycloak:keycloak-quarkus-dist:Version:tar.gz, is
// fetched once from Maven Central with Maven's own client (mvn
// dependency:copy), unpacked into the user cache directory and built there
// once (`kc.sh build`: in-memory H2, no health or metrics endpoints, so no
// management port). Each Start makes a private home folder (bin and conf
// copied, lib, themes and providers linked to the cache), writes the realm
// files into its data/import and runs `kc.sh start --optimized
// --import-realm` in its own process group on a free loopback port, over
// plain HTTP, with a local cache (no cluster traffic); Stop ends the group
// by PID. One server holds several realms: its start takes tens of seconds
// to minutes on two cores (database schema, then each realm import), so
// tests start one and use a realm per configuration.
//
// The realms come from the shipped realm import, profiles/keycloak-realm.json
// (see ShippedRealm), changed per test only where a test needs it (consent,
// an OTP credential, no PKCE method attribute, the test's own password and
// client secret).
//
// It needs mvn (once) and a Java 17, 21 or 25 runtime (see JavaHome), and
// works on Linux and other Unix systems.
package keycloak

// Version is the Keycloak release this package fetches and runs.
const Version = "26.7.3"

// Artifact is the Maven coordinate of the distribution.
const Artifact = "org.keycloak:keycloak-quarkus-dist:" + Version + ":tar.gz"

// Client IDs and the user of the shipped realm import.
const (
	PublicClientID       = "pkce-public"
	ConfidentialClientID = "pkce-confidential"
	OtherClientID        = "pkce-other"
	Username             = "pkcecheck"
)

// RedirectURI is the one redirect URI every client registers.
const RedirectURI = "http://127.0.0.1:8765/callback"

// Selectors of Keycloak's login pages (themes keycloak.v2 and base).
const (
	OTPFormSelector = "kc-otp-login-form"
	// ConsentMarker is in the consent page (login-oauth-grant.ftl) only.
	ConsentMarker = `name="accept"`
)
