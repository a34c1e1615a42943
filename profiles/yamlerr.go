package profiles

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// yaml.v3 (v3.0.1) reports syntax errors as "yaml: line N: problem" with
// quirks: parser errors give a 0-based line, any error on the first line
// gives no line, and errors in the byte stream (invalid UTF-8, control
// characters) and unknown aliases give no position at all. YAMLError undoes
// these quirks so that the position points at the offending line.

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the messages of yaml.v3's parser (as opposed to its
// scanner), whose line numbers are 0-based.
var parserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected key",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found duplicate %TAG directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// streamProblems are yaml.v3's messages about the byte stream itself.
var streamProblems = []string{
	"control characters are not allowed",
	"invalid leading UTF-8 octet",
	"invalid trailing UTF-8 octet",
	"incomplete UTF-8 octet sequence",
	"invalid length of a UTF-8 sequence",
	"invalid Unicode character",
}

var aliasProblem = regexp.MustCompile(`^(?:unknown anchor '(.*)' referenced|anchor '(.*)' value contains itself)$`)

// YAMLError turns a yaml.v3 syntax error in the file at path, whose bytes
// are data, into an *Error at the line of the problem (yaml.v3 reports no
// column; one is given where it can be found). The baseline file's errors
// come from here too.
func YAMLError(path string, data []byte, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := &Error{Path: path, Line: 1, err: err}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if slices.Contains(parserProblems, msg) {
			e.Line++
		}
	} else if slices.Contains(streamProblems, msg) {
		e.Line, e.Column = badByte(data)
	} else if m := aliasProblem.FindStringSubmatch(msg); m != nil {
		e.Line, e.Column = find(data, "*"+m[1]+m[2])
	}
	e.Msg = "invalid YAML: " + msg
	return e
}

// badByte locates the first byte sequence YAML does not accept: invalid
// UTF-8 or a character outside YAML's printable set (YAML 1.2 §5.1).
func badByte(data []byte) (line, col int) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		ok := r == '\t' || r == '\n' || r == '\r' || r == 0x85 ||
			(r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xd7ff) ||
			(r >= 0xe000 && r <= 0xfffd && !(r == utf8.RuneError && size == 1)) || r >= 0x10000
		if !ok {
			return position(data, i)
		}
		i += size
	}
	return 1, 0
}

// find locates the first occurrence of s in data.
func find(data []byte, s string) (line, col int) {
	if i := bytes.Index(data, []byte(s)); i >= 0 {
		return position(data, i)
	}
	return 1, 0
}

// position converts a byte offset into a 1-based line and column (in
// characters, as yaml.v3 counts them).
func position(data []byte, off int) (line, col int) {
	before := data[:off]
	start := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte("\n")) + 1, utf8.RuneCount(before[start:]) + 1
}
