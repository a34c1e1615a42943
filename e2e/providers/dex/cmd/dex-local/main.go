// Command dex-local starts Dex for a manual try of profiles/dex.yaml: it builds
// Dex once (see package dex), serves it on 127.0.0.1 until interrupted, and
// prints where. Run it from the repository root:
//
//	go run ./e2e/providers/dex/cmd/dex-local [-port 5556] [-skip-approval]
//
// The confidential client's secret is $DEX_CONF_SECRET, or the profile's
// development-only default.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/pkcecheck/pkcecheck/e2e/providers/dex"
)

// defaultSecret matches the default of DEX_CONF_SECRET in profiles/dex.yaml.
const defaultSecret = "dev-only-dex-secret"

func main() {
	port := flag.Int("port", 5556, "loopback port to listen on (0 picks a free one)")
	skip := flag.Bool("skip-approval", false, "turn Dex's approval page off")
	verbose := flag.Bool("v", false, "print Dex's log")
	flag.Parse()
	if err := run(*port, *skip, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "dex-local:", err)
		os.Exit(1)
	}
}

func run(port int, skipApproval, verbose bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	secret := os.Getenv("DEX_CONF_SECRET")
	if secret == "" {
		secret = defaultSecret
	}
	opts := dex.Options{Port: port, ConfidentialSecret: secret, SkipApproval: skipApproval}
	if verbose {
		opts.Log = os.Stderr
	}
	fmt.Fprintf(os.Stderr, "building (first time only) and starting dex %s…\n", dex.Version)
	s, err := dex.Start(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Printf("dex ready at %s (user %s); Ctrl-C stops it\n", s.Issuer(), dex.Email)
	<-ctx.Done()
	return s.Stop()
}
