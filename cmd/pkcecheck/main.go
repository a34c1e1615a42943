// Command pkcecheck checks an OAuth 2.0 authorization server's PKCE support
// (RFC 7636 and the code rules of RFC 6749, RFC 9700 and OAuth 2.1) by
// driving a real browser through its login page and probing its endpoints.
//
//	pkcecheck run   --profile FILE [--out DIR] [--label-filter EXPR]
//	pkcecheck demo  [--out DIR] [--flaws a,b]
//	pkcecheck fuzz  --profile FILE | --demo [--out DIR] [--budget N]
//	pkcecheck login --profile FILE [--out DIR]
//	pkcecheck code  --profile FILE [--client C] [--method M] [--challenge V] [--count N]
//	pkcecheck repro --results DIR [--markdown] ID
//	pkcecheck profile check FILE [--discover]
//	pkcecheck list [--where]
//	pkcecheck version
//
// Each command is a thin layer over the packages below it: session (the
// login and the run), fuzz, reports and internal/baseline.
//
// Exit status: 0 nothing failed; 1 a requirement failed; 2 usage or profile
// error; 3 the target could not be exercised (discovery, login, network).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
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
  pkcecheck run     --profile FILE [--out DIR] [--label-filter EXPR] [--baseline FILE] [--fail-on must|should] [--quiet|--verbose]
  pkcecheck demo    [--out DIR] [--flaws a,b|list] [--label-filter EXPR] [--baseline FILE] [--fail-on must|should] [--quiet|--verbose] [--serve]
  pkcecheck fuzz    --profile FILE | --demo [--flaws a,b]  [--out DIR] [--budget N] [--seed S] [--fail-on must|should]
  pkcecheck login   --profile FILE [--out DIR]
  pkcecheck code    --profile FILE [--client public|confidential|ID] [--method S256|plain|none] [--challenge VALUE] [--response-mode query|form_post|fragment] [--count N]
  pkcecheck repro   --results DIR [--markdown] ID
  pkcecheck profile check FILE [--discover]
  pkcecheck list    [--where]
  pkcecheck version

A fail or warning carries a reproducer (a sh script with curl): print it
with 'pkcecheck repro --results DIR ID', get the codes it needs with the
'pkcecheck code' line at its top, then run it with sh.

Run 'pkcecheck COMMAND -h' for a command's flags.

Exit status: 0 nothing failed, 1 a requirement failed (fuzz: a MUST
finding), 2 usage or profile error, 3 the target could not be exercised.
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
	switch cmd, ok := commands[args[0]]; {
	case ok:
		err = cmd(ctx, args[1:], stdout, stderr)
	case args[0] == "--version":
		err = cmdVersion(ctx, args[1:], stdout, stderr)
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageErr("unknown command %q (want %s)", args[0], commandList())
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

// command runs one subcommand with its arguments.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// commands are the subcommands; usage lists each (TestUsageListsEveryCommand).
var commands = map[string]command{
	"run":     cmdRun,
	"demo":    cmdDemo,
	"fuzz":    cmdFuzz,
	"login":   cmdLogin,
	"code":    cmdCode,
	"repro":   cmdRepro,
	"profile": cmdProfile,
	"list": func(_ context.Context, args []string, stdout, stderr io.Writer) error {
		return cmdList(args, stdout, stderr)
	},
	"version": cmdVersion,
}

// commandList names the commands in the order usage lists them.
func commandList() string {
	names := slices.SortedFunc(maps.Keys(commands), func(a, b string) int {
		return usageLine(a) - usageLine(b)
	})
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// usageLine is where usage lists the command name (-1 if it does not).
func usageLine(name string) int {
	for _, end := range []string{" ", "\n"} {
		if i := strings.Index(usage, "\n  pkcecheck "+name+end); i >= 0 {
			return i
		}
	}
	return -1
}

func cmdVersion(_ context.Context, _ []string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "pkcecheck", version())
	return nil
}
