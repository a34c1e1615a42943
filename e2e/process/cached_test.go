package process

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCachedInstallsOnceAndRetriesAfterFailure(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	c := Cached{Name: "prov", Version: "1.0", Inputs: [][]byte{[]byte("pin a")}, Timeout: time.Minute}
	calls := 0
	fail := errors.New("registry refused")
	install := func(ctx context.Context, dir string) error {
		calls++
		if err := os.WriteFile(filepath.Join(dir, "half"), nil, 0o644); err != nil {
			return err
		}
		if calls == 1 {
			return fail
		}
		if _, err := os.Stat(filepath.Join(dir, "half")); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "done"), nil, 0o644)
	}
	if _, err := c.Ensure(context.Background(), install); !errors.Is(err, fail) || !strings.Contains(err.Error(), "install prov 1.0") {
		t.Fatalf("first Ensure = %v, want the install's error, wrapped", err)
	}
	dir, err := c.Ensure(context.Background(), install)
	if err != nil {
		t.Fatalf("second Ensure: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "done")); err != nil {
		t.Errorf("install did not run into %s: %v", dir, err)
	}
	if again, err := c.Ensure(context.Background(), install); err != nil || again != dir || calls != 2 {
		t.Errorf("third Ensure = %s, %v after %d installs; want %s from the cache", again, err, calls, dir)
	}
	other := c
	other.Inputs = [][]byte{[]byte("pin b")}
	if d, _ := other.Dir(); d == filepath.Dir(dir) {
		t.Errorf("a changed input keeps the folder %s", d)
	}
	if !strings.HasPrefix(filepath.Base(filepath.Dir(dir)), "prov-1.0-") {
		t.Errorf("folder %s is not named after the provider and version", dir)
	}
}
