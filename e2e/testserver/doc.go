// Package testserver provides misbehaving targets for tests, all on
// 127.0.0.1: a private certificate authority for TLS servers, a port
// nobody listens on, a listener that accepts and never answers, a provider
// that answers discovery but hangs at /authorize, a login page whose
// logins always fail (and counts them), and a proxy that answers 429. Every
// server stops at the end of the test that started it.
package testserver
