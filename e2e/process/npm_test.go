package process

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestInstallFresh(t *testing.T) {
	old := time.Now().Add(-time.Hour)
	now := time.Now()
	tests := []struct {
		name   string
		marker *time.Time // nil: node_modules missing
		lock   time.Time
		want   bool
	}{
		{"node_modules missing", nil, now, false},
		{"installed before the lock changed", &old, now, false},
		{"installed after the lock changed", &now, old, true},
		{"installed at the same time", &now, now, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			lock := filepath.Join(dir, "package-lock.json")
			writeFile(t, lock, tt.lock)
			if tt.marker != nil {
				if err := os.MkdirAll(filepath.Join(dir, "node_modules"), 0o755); err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(dir, npmInstallMarker), *tt.marker)
			}
			got, err := NPMInstallFresh(dir)
			if err != nil {
				t.Fatalf("NPMInstallFresh: %v", err)
			}
			if got != tt.want {
				t.Errorf("NPMInstallFresh = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInstallFreshNeedsLockFile(t *testing.T) {
	if _, err := NPMInstallFresh(t.TempDir()); err == nil {
		t.Fatal("NPMInstallFresh without package-lock.json succeeded")
	}
}

func writeFile(t *testing.T, path string, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}
