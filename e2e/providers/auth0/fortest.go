package auth0

import (
	"context"
	"testing"

	"github.com/pkcecheck/pkcecheck/e2e/providers/emulator"
)

// StartForTest starts a tenant that is stopped when t ends (also on
// failure); it fails t when the start fails.
func StartForTest(t testing.TB, opts Options) *Server {
	t.Helper()
	return emulator.StartForTest(t, "auth0 emulator", func(ctx context.Context) (*Server, error) { return Start(ctx, opts) })
}
