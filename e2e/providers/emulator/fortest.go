package emulator

import (
	"context"
	"testing"
	"time"
)

// StartForTest starts an emulator with start and stops it when t ends
// (also on failure); it fails t, naming what, when the start fails. The
// first start on a machine installs the vendor's front end from npm
// (seconds), hence the generous bound.
func StartForTest[S interface{ Stop() error }](t testing.TB, what string, start func(context.Context) (S, error)) S {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, err := start(ctx)
	if err != nil {
		t.Fatalf("start the %s: %v", what, err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}
