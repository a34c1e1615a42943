// Command hydra-local runs Ory Hydra and its login and consent app on
// 127.0.0.1 for a manual try of profiles/hydra.yaml, until interrupted:
//
//	go run ./e2e/providers/hydra/cmd/hydra-local -port 4444
//
// It builds Hydra first if the cache lacks it (a few minutes, once). The
// confidential client's secret and the login password come from
// HYDRA_CONF_SECRET and HYDRA_PASSWORD (development defaults otherwise, the
// same as the profile's), the login name from HYDRA_USER.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/pkcecheck/pkcecheck/e2e/providers/hydra"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "hydra-local:", err)
		os.Exit(1)
	}
}

func run() error {
	port := flag.Int("port", 4444, "loopback port of Hydra's public API (the issuer); 0 picks a free one")
	verbose := flag.Bool("v", false, "print Hydra's output (secrets blanked)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := hydra.Options{
		Port:               *port,
		ConfidentialSecret: envOr("HYDRA_CONF_SECRET", "dev-only-hydra-secret"),
		Username:           envOr("HYDRA_USER", hydra.DefaultUsername),
		Password:           envOr("HYDRA_PASSWORD", "dev-only-password"),
	}
	if *verbose {
		opts.Log = os.Stderr
	}
	fmt.Fprintf(os.Stderr, "starting hydra %s (building it first if needed)...\n", hydra.Version)
	srv, err := hydra.Start(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Printf("issuer %s\nadmin  %s\nlogin  %s\n", srv.Issuer(), srv.AdminURL(), srv.LoginURL())
	<-ctx.Done()
	return srv.Stop()
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
