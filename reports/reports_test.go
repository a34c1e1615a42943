package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/results"
)

func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "nested")
	run := sampleRun()
	run.Generated = time.Time{}
	before := time.Now().UTC().Truncate(time.Second)
	if err := WriteAll(dir, run); err != nil {
		t.Fatal(err)
	}
	if run.Generated.Before(before) || run.Generated.After(time.Now().UTC()) {
		t.Errorf("Generated = %v, want the time of writing", run.Generated)
	}
	writers := map[string]func(*results.Run) ([]byte, error){
		JSONFile: JSON, JUnitFile: JUnit, HTMLFile: HTML, MarkdownFile: Markdown,
	}
	for name, render := range writers {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s not written: %v", name, err)
		}
		want, err := render(run)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what its writer renders", name)
		}
	}
	var back results.Run
	data, _ := os.ReadFile(filepath.Join(dir, JSONFile))
	if err := json.Unmarshal(data, &back); err != nil || !back.Generated.Equal(run.Generated) {
		t.Errorf("results.json generated = %v, %v", back.Generated, err)
	}
}

func TestWriteAllUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(filepath.Join(file, "out"), sampleRun()); err == nil {
		t.Fatal("WriteAll into a path below a file succeeded")
	}
}
