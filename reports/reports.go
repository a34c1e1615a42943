// Package reports writes the outcome of a run for machines and people:
// results.json (the contract of DESIGN.md), junit.xml for CI, and report.md
// for job summaries. Every writer reads the same results.Run.
package reports

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pkcecheck/pkcecheck/internal/results"
)

// Files written by WriteAll, relative to the output directory.
const (
	JSONFile     = "results.json"
	JUnitFile    = "junit.xml"
	MarkdownFile = "report.md"
)

// WriteAll writes every report into dir, creating it if needed.
func WriteAll(dir string, run *results.Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	writers := []struct {
		name  string
		write func(*results.Run) ([]byte, error)
	}{
		{JSONFile, JSON}, {JUnitFile, JUnit}, {MarkdownFile, Markdown},
	}
	for _, w := range writers {
		data, err := w.write(run)
		if err != nil {
			return fmt.Errorf("render %s: %w", w.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, w.name), data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", w.name, err)
		}
	}
	return nil
}
