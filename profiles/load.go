package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
)

// maxSize bounds the size of a profile file.
const maxSize = 1 << 20

// Error is one problem in a profile file, located at Path:Line:Column.
// Line and Column are 1-based; 0 means unknown (and is left out of Error()).
type Error struct {
	Path         string
	Line, Column int
	Msg          string

	err error // underlying cause (e.g. fs.ErrNotExist), for errors.Is
}

// Error formats the problem as "path:line:col: msg".
func (e *Error) Error() string {
	pos := e.Path
	if e.Line > 0 {
		pos += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			pos += ":" + strconv.Itoa(e.Column)
		}
	}
	if pos == "" {
		return e.Msg
	}
	return pos + ": " + e.Msg
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.err }

// ReadError is the *Error for a file that could not be read: "read what:
// cause", without repeating the path the position already gives; errors.Is
// still sees err (fs.ErrNotExist, ...).
func ReadError(path, what string, err error) *Error {
	cause := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		cause = pe.Err
	}
	return &Error{Path: path, Msg: "read " + what + ": " + cause.Error(), err: err}
}

// Load reads the profile at path and parses it, taking ${VAR} values from
// the process environment.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, ReadError(path, "profile", err)
	}
	return Parse(path, data, os.LookupEnv)
}

// Parse decodes and validates a profile. path is used in error messages and
// kept in Profile.Path; env looks up ${VAR} references (nil: no variable is
// set). The error is an *Error, or an errors.Join of several *Error sorted by
// position, one per problem found.
func Parse(path string, data []byte, env func(string) (string, bool)) (*Profile, error) {
	if env == nil {
		env = func(string) (string, bool) { return "", false }
	}
	if len(data) > maxSize {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("profile is larger than %d bytes", maxSize)}
	}
	root, yerr := parseYAML(path, data)
	if yerr != nil {
		return nil, yerr
	}
	d := &decoder{path: path, lines: splitLines(data), env: env}
	p := d.profile(root)
	if err := d.err(); err != nil {
		return nil, err
	}
	for _, s := range d.secrets {
		if !slices.Contains(p.secrets, s) {
			p.AddSecret(s)
		}
	}
	return p, nil
}

// parseYAML reads the single YAML document of a profile and returns its root
// node.
func parseYAML(path string, data []byte) (*yaml.Node, *Error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{Path: path, Line: 1, Column: 1, Msg: "profile is empty"}
		}
		return nil, YAMLError(path, data, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, YAMLError(path, data, err)
	default:
		return nil, &Error{Path: path, Line: extra.Line, Column: extra.Column,
			Msg: "a profile is a single YAML document; found a second one"}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{Path: path, Line: 1, Column: 1, Msg: "profile is empty"}
	}
	return doc.Content[0], nil
}

// splitLines splits data into lines without their terminators.
func splitLines(data []byte) []string {
	var lines []string
	for _, l := range bytes.Split(data, []byte("\n")) {
		lines = append(lines, string(bytes.TrimSuffix(l, []byte("\r"))))
	}
	return lines
}
