package profiles

import (
	"strings"
)

// expansion is the result of substituting environment variables into one
// scalar value.
type expansion struct {
	value string
	// vars names the variables whose values were taken from the environment,
	// and fromEnv holds those values (secret where the field is: see
	// decoder.secret).
	vars    []string
	fromEnv []string
}

// expandError is a malformed or unresolved reference in a scalar value. ref
// is the text of the reference as written (e.g. "${KC_PASSWORD"), used to
// find its column in the file.
type expandError struct {
	ref string
	msg string
}

// expand replaces ${VAR} with the value of VAR, ${VAR:-default} with the
// value of VAR or, when VAR is unset or empty, with default (taken
// literally, up to the first "}"), and $$ with a single $. A $ followed by
// anything else is kept as it is, so CSS selectors such as [name$=user]
// need no escaping. An unset VAR without a default is an error.
func expand(s string, env func(string) (string, bool)) (expansion, *expandError) {
	if !strings.Contains(s, "$") {
		return expansion{value: s}, nil
	}
	var (
		out strings.Builder
		x   expansion
	)
	for i := 0; i < len(s); {
		c := s[i]
		if c != '$' || i+1 >= len(s) || (s[i+1] != '$' && s[i+1] != '{') {
			out.WriteByte(c)
			i++
			continue
		}
		if s[i+1] == '$' {
			out.WriteByte('$')
			i += 2
			continue
		}
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			return expansion{}, &expandError{ref: "${", msg: "unterminated ${ (write $$ for a literal $)"}
		}
		body := s[i+2 : i+2+end]
		name, def, hasDef := strings.Cut(body, ":-")
		if !validVarName(name) {
			return expansion{}, &expandError{ref: "${" + body,
				msg: "invalid variable reference ${" + body + "}; use ${NAME} or ${NAME:-default} (write $$ for a literal $)"}
		}
		v, ok := env(name)
		switch {
		case hasDef && v == "":
			out.WriteString(def)
		case !ok:
			return expansion{}, &expandError{ref: "${" + name, msg: "environment variable " + name + " is not set"}
		default:
			out.WriteString(v)
			x.vars = append(x.vars, name)
			if v != "" {
				x.fromEnv = append(x.fromEnv, v)
			}
		}
		i += 2 + end + 1
	}
	x.value = out.String()
	return x, nil
}

// validVarName reports whether name is a shell-style variable name.
func validVarName(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range name {
		switch {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
