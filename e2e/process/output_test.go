package process

import (
	"strconv"
	"strings"
	"testing"
)

func TestOutputLogRedactsAndKeepsTail(t *testing.T) {
	tests := []struct {
		name     string
		writes   []string
		wantLog  string
		wantTail string
	}{
		{
			name:     "secret split across writes",
			writes:   []string{"conf s3cr", "et-value here\nnext"},
			wantLog:  "conf [redacted] here\nnext\n",
			wantTail: "conf [redacted] here\nnext",
		},
		{
			name:     "crlf lines",
			writes:   []string{"a\r\nb\r\n"},
			wantLog:  "a\nb\n",
			wantTail: "a\nb",
		},
		{
			name:     "no output",
			wantLog:  "",
			wantTail: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log strings.Builder
			o := NewOutputLog(&log, "s3cret-value", "")
			for _, w := range tt.writes {
				if n, err := o.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", w, n, err)
				}
			}
			o.Flush()
			if log.String() != tt.wantLog {
				t.Errorf("log = %q, want %q", log.String(), tt.wantLog)
			}
			if o.Tail() != tt.wantTail {
				t.Errorf("Tail() = %q, want %q", o.Tail(), tt.wantTail)
			}
		})
	}
}

func TestOutputLogTailIsBounded(t *testing.T) {
	o := NewOutputLog(nil)
	for i := range tailLines + 5 {
		_, _ = o.Write([]byte("line " + strconv.Itoa(i) + "\n"))
	}
	lines := strings.Split(o.Tail(), "\n")
	if len(lines) != tailLines {
		t.Fatalf("Tail has %d lines, want %d", len(lines), tailLines)
	}
	if want := "line " + strconv.Itoa(tailLines+4); lines[len(lines)-1] != want {
		t.Errorf("last line = %q, want %q", lines[len(lines)-1], want)
	}
}
