package profiles

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// decoder walks a profile's YAML nodes, collecting every problem with its
// position and every value taken from the environment.
type decoder struct {
	path    string
	lines   []string
	env     func(string) (string, bool)
	errs    []*Error
	secrets []string
}

// errorAt records a problem at line:col.
func (d *decoder) errorAt(line, col int, format string, args ...any) {
	d.errs = append(d.errs, &Error{Path: d.path, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// errorf records a problem at node n.
func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errorAt(n.Line, n.Column, format, args...)
}

// err returns the recorded problems (see JoinErrors).
func (d *decoder) err() error { return JoinErrors(d.errs) }

// JoinErrors sorts errs by position and returns nil, the one *Error, or an
// errors.Join of several; a problem found twice (the same node reached
// through an alias) is given once. The baseline file's problems are joined
// here too.
func JoinErrors(errs []*Error) error {
	errs = slices.Clone(errs)
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	var out []error
	for i, e := range errs {
		if i > 0 && *e == *errs[i-1] {
			continue // the same node reached twice through an alias
		}
		out = append(out, e)
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return errors.Join(out...)
}

// scalar is a string value read from the profile.
type scalar struct {
	node  *yaml.Node // the value node; nil when the key is absent
	ok    bool       // a usable value: present, not null, a scalar, substituted
	value string
	vars  []string // environment variables substituted into value
	// fromEnv holds the values substituted from the environment; they
	// become secrets when the field is one that carries secrets (see
	// decoder.secret).
	fromEnv []string
}

// set reports whether the value is present and not empty.
func (s scalar) set() bool { return s.ok && s.value != "" }

// show quotes the value for an error message, unless it came (partly) from
// the environment: such values are never shown.
func (s scalar) show() string {
	if len(s.vars) > 0 {
		return "(the value of ${" + strings.Join(s.vars, "}, ${") + "})"
	}
	return fmt.Sprintf("%q", s.value)
}

// scalar reads key of o as a string, substituting ${VAR} references.
func (d *decoder) scalar(o *object, key string) scalar {
	f, ok := o.fields[key]
	if !ok {
		return scalar{}
	}
	return d.scalarNode(o.name(key), f.val)
}

// scalarNode reads node n (named name) as a string.
func (d *decoder) scalarNode(name string, n *yaml.Node) scalar {
	n = resolve(n)
	if isNull(n) {
		return scalar{node: n}
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s must be a string, not %s", name, describe(n))
		return scalar{node: n}
	}
	x, xerr := expand(n.Value, d.env)
	if xerr != nil {
		line, col := d.locate(n, xerr.ref)
		d.errorAt(line, col, "%s", xerr.msg)
		return scalar{node: n}
	}
	return scalar{node: n, ok: true, value: x.value, vars: x.vars, fromEnv: x.fromEnv}
}

// secret marks what a secret-bearing field (a client secret, a login step's
// value, a TOTP secret) took from the environment, and the whole value it
// makes, as secrets to redact. Issuers, endpoints, client IDs and redirect
// URIs are not secret even when they come from ${VAR}: reports show them.
func (d *decoder) secret(s scalar) {
	if len(s.fromEnv) == 0 {
		return
	}
	d.secrets = append(d.secrets, s.fromEnv...)
	if s.value != "" {
		d.secrets = append(d.secrets, s.value)
	}
}

// required reads key of o and reports it when it is missing or empty.
func (d *decoder) required(o *object, key string) scalar {
	s := d.scalar(o, key)
	switch {
	case s.node == nil || isNull(s.node):
		d.errorf(o.pos, "%s is required", o.name(key))
	case s.ok && s.value == "":
		d.errorf(s.node, "%s must not be empty", o.name(key))
	}
	return s
}

// locate finds the column of ref (e.g. "${KC_PASSWORD") on the line where
// scalar n starts, falling back to the start of n.
func (d *decoder) locate(n *yaml.Node, ref string) (line, col int) {
	if n.Line < 1 || n.Line > len(d.lines) || n.Column < 1 {
		return n.Line, n.Column
	}
	text := d.lines[n.Line-1]
	start := 0
	for c := 1; c < n.Column && start < len(text); c++ {
		_, w := utf8.DecodeRuneInString(text[start:])
		start += w
	}
	i := strings.Index(text[start:], ref)
	if i < 0 {
		return n.Line, n.Column
	}
	return n.Line, n.Column + utf8.RuneCountInString(text[start:start+i])
}
