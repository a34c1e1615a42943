// Package reports writes the outcome of a run for machines and people:
// results.json (the contract of docs/design.md, described by results.schema.json),
// junit.xml for CI, report.html (one self-contained page for people and
// security reviews) and report.md for job summaries and pull-request
// comments. Every writer reads the same results.Run and none changes it.
package reports

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pkcecheck/pkcecheck/results"
)

// Files written by WriteAll, relative to the output directory.
const (
	JSONFile     = "results.json"
	JUnitFile    = "junit.xml"
	HTMLFile     = "report.html"
	MarkdownFile = "report.md"
)

//go:embed results.schema.json
var schema []byte

// Schema returns results.schema.json, the JSON Schema (draft 2020-12) of
// results.json.
func Schema() []byte { return append([]byte(nil), schema...) }

// maxEvidenceBytes bounds each request and response shown in junit.xml and
// report.html (results.json keeps them whole).
const maxEvidenceBytes = 64 << 10

// WriteAll writes every report into dir, creating it if needed. It stamps
// run.Generated with the current time when it is zero.
func WriteAll(dir string, run *results.Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	if run.Generated.IsZero() {
		run.Generated = time.Now().UTC().Truncate(time.Second)
	}
	writers := []struct {
		name  string
		write func(*results.Run) ([]byte, error)
	}{
		{JSONFile, JSON}, {JUnitFile, JUnit}, {HTMLFile, HTML}, {MarkdownFile, Markdown},
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
