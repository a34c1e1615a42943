// Command spring-local runs Spring Authorization Server on 127.0.0.1 for a manual
// try of profiles/spring-authorization-server.yaml, until interrupted:
//
//	go run ./e2e/providers/springauthz/cmd/spring-local -port 9000
//
// It builds the app with Maven into the user cache first if needed
// (seconds to minutes, once). The confidential secret and the password come
// from SPRING_CONF_SECRET and SPRING_PASSWORD (development defaults
// otherwise, the same as the profile's).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/pkcecheck/pkcecheck/e2e/providers/springauthz"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "spring-local:", err)
		os.Exit(1)
	}
}

func run() error {
	port := flag.Int("port", 9000, "loopback port; 0 picks a free one")
	verbose := flag.Bool("v", false, "print the server's output (secrets blanked)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := springauthz.Options{
		Port:               *port,
		ConfidentialSecret: envOr("SPRING_CONF_SECRET", "dev-only-spring-secret"),
		Password:           envOr("SPRING_PASSWORD", "dev-only-spring-password"),
	}
	if *verbose {
		opts.Log = os.Stderr
	}
	fmt.Fprintf(os.Stderr, "starting spring authorization server %s (building it first if needed)...\n", springauthz.Version)
	srv, err := springauthz.Start(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Printf("spring authorization server ready at %s (user %s)\n", srv.Issuer(), springauthz.Username)
	<-ctx.Done()
	return srv.Stop()
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
