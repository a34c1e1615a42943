package okta

import (
	"context"
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
)

// StartForTest starts an emulator that is stopped when t ends (also on
// failure); it fails t when the start fails.
func StartForTest(t testing.TB, opts Options) *Server {
	t.Helper()
	return emulator.StartForTest(t, "okta emulator", func(ctx context.Context) (*Server, error) { return Start(ctx, opts) })
}
