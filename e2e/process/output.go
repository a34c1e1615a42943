// Package process runs a real identity provider as a child process for the
// tests: the one copy of the plumbing e2e/providers/nodeoidc, dex and hydra
// share. Run starts the process in its own process group with its output
// log (secrets blanked, a bounded tail for errors); a Child waits until the
// provider answers, reports a failed start with its last output and stops
// it by PID; OnFreePort picks free loopback ports; GoBuild builds a
// provider from a pinned scratch module; LockFile serializes installs and
// builds between test binaries.
package process

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// tailLines is how many lines of provider output an error quotes.
const tailLines = 20

// OutputLog receives the provider's stdout and stderr. It splits them into
// lines, blanks out secrets, forwards each line to an optional writer and
// keeps the last lines for error messages.
type OutputLog struct {
	mu      sync.Mutex
	to      io.Writer // may be nil
	secrets []string
	partial []byte
	tail    []string
}

func NewOutputLog(to io.Writer, secrets ...string) *OutputLog {
	o := &OutputLog{to: to}
	for _, s := range secrets {
		if s != "" {
			o.secrets = append(o.secrets, s)
		}
	}
	return o
}

// Write implements io.Writer; it never fails, so the process never blocks on
// its output.
func (o *OutputLog) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.partial = append(o.partial, p...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			break
		}
		o.addLine(string(o.partial[:i]))
		o.partial = o.partial[i+1:]
	}
	return len(p), nil
}

// Flush emits a last line that had no newline (call it once the process exited).
func (o *OutputLog) Flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.partial) > 0 {
		o.addLine(string(o.partial))
		o.partial = nil
	}
}

func (o *OutputLog) addLine(line string) {
	line = strings.TrimRight(line, "\r")
	for _, s := range o.secrets {
		line = strings.ReplaceAll(line, s, "[redacted]")
	}
	if o.to != nil {
		_, _ = io.WriteString(o.to, line+"\n")
	}
	o.tail = append(o.tail, line)
	if len(o.tail) > tailLines {
		o.tail = o.tail[len(o.tail)-tailLines:]
	}
}

// Tail returns the last lines seen, joined by newlines.
func (o *OutputLog) Tail() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.Join(o.tail, "\n")
}

// LastLines returns at most n trailing lines of s.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
