package auth0

import (
	"context"
	"testing"
	"time"
)

// StartForTest starts a tenant that is stopped when t ends (also on
// failure); it fails t when the start fails. The first start on a machine
// installs and bundles Lock from npm (seconds), hence the generous bound.
func StartForTest(t testing.TB, opts Options) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("start the auth0 emulator: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}
