// Command pkcecheck checks an OAuth 2.0 authorization server's PKCE support
// (RFC 7636 and the code rules of RFC 6749, RFC 9700 and OAuth 2.1) by
// driving a real browser through its login page and probing its endpoints.
//
//	pkcecheck run   --profile FILE [--out DIR] [--label-filter EXPR]
//	pkcecheck demo  [--out DIR] [--flaws a,b]
//	pkcecheck login --profile FILE [--out DIR]
//	pkcecheck profile check FILE [--discover]
//	pkcecheck list [--where]
//
// Exit status: 0 nothing failed; 1 a requirement failed; 2 usage or profile
// error; 3 the target could not be exercised (discovery, login, network).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses (docs/design.md).
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitUnreachable = 3
	exitInterrupted = 130
)

// exitError carries an exit status with the message printed on stderr.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, args...)}
}

func targetErr(err error) error { return &exitError{exitUnreachable, err} }

const usage = `pkcecheck checks an OAuth 2.0 authorization server's PKCE support.

Usage:
  pkcecheck run   --profile FILE [--out DIR] [--label-filter EXPR] [--baseline FILE] [--fail-on must|should] [--quiet|--verbose]
  pkcecheck demo  [--out DIR] [--flaws a,b|list] [--label-filter EXPR] [--baseline FILE] [--fail-on must|should] [--quiet|--verbose]
  pkcecheck fuzz  --profile FILE | --demo [--flaws a,b]  [--out DIR] [--budget N] [--seed S]
  pkcecheck list  [--where]
  pkcecheck version

Exit status: 0 nothing failed, 1 a requirement failed, 2 usage or profile
error, 3 the target could not be exercised.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(ctx, args[1:], stdout, stderr)
	case "demo":
		err = cmdDemo(ctx, args[1:], stdout, stderr)
	case "fuzz":
		err = cmdFuzz(ctx, args[1:], stdout, stderr)
	case "login":
		err = cmdLogin(ctx, args[1:], stdout, stderr)
	case "profile":
		err = cmdProfile(ctx, args[1:], stdout, stderr)
	case "list":
		err = cmdList(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "pkcecheck", version())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageErr("unknown command %q (want run, demo, login, profile, list or version)", args[0])
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		ee = &exitError{exitUnreachable, err}
	}
	if ee.err != nil && ee.err.Error() != "" {
		fmt.Fprintln(stderr, "pkcecheck:", ee.err)
	}
	if ee.code == exitUsage && errors.Is(ee.err, errShowUsage) {
		fmt.Fprint(stderr, usage)
	}
	return ee.code
}

var errShowUsage = errors.New("see usage")
