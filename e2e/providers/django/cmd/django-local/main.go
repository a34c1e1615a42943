// Command django-local runs django-oauth-toolkit on 127.0.0.1 for a manual
// try of profiles/django-oauth-toolkit.yaml, until interrupted:
//
//	go run ./e2e/providers/django/cmd/django-local -port 8000
//
// It installs the pinned packages from PyPI into the user cache first if
// needed (about 20 s, once). The confidential secret and the password come
// from DJANGO_CONF_SECRET and DJANGO_PASSWORD (development defaults
// otherwise, the same as the profile's).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/pkcecheck/pkcecheck/e2e/providers/django"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "django-local:", err)
		os.Exit(1)
	}
}

func run() error {
	port := flag.Int("port", 8000, "loopback port; 0 picks a free one")
	verbose := flag.Bool("v", false, "print Django's output (secrets blanked)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := django.Options{
		Port:               *port,
		ConfidentialSecret: envOr("DJANGO_CONF_SECRET", "dev-only-django-secret"),
		Password:           envOr("DJANGO_PASSWORD", "dev-only-django-password"),
	}
	if *verbose {
		opts.Log = os.Stderr
	}
	fmt.Fprintf(os.Stderr, "starting django-oauth-toolkit %s (installing it first if needed)...\n", django.Version)
	srv, err := django.Start(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Printf("django-oauth-toolkit ready at %s (user %s)\n", srv.Issuer(), django.Username)
	<-ctx.Done()
	return srv.Stop()
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
