package baseline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// maxSize bounds the size of a baseline file.
const maxSize = 1 << 20

// Load reads and checks the baseline file at path. The error is an *Error,
// or an errors.Join of several *Error sorted by position, one per problem.
func Load(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, profiles.ReadError(path, "baseline", err)
	}
	return Parse(path, data)
}

// Parse decodes and checks a baseline; path is used in error messages. An
// empty document is a baseline without waivers.
func Parse(path string, data []byte) (*Baseline, error) {
	if len(data) > maxSize {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("baseline is larger than %d bytes", maxSize)}
	}
	b := &Baseline{Path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		return nil, profiles.YAMLError(path, data, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, profiles.YAMLError(path, data, err)
	default:
		return nil, &Error{Path: path, Line: extra.Line, Column: extra.Column,
			Msg: "a baseline is a single YAML document; found a second one"}
	}
	d := &decoder{path: path, seen: map[string]int{}}
	if len(doc.Content) > 0 {
		b.Waivers = d.root(doc.Content[0])
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return b, nil
}

// decoder walks the YAML nodes of a baseline, collecting every problem.
type decoder struct {
	path string
	errs []*Error
	seen map[string]int // waiver ID -> line of its first waiver
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, &Error{Path: d.path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// err returns the problems sorted by position (profiles.JoinErrors).
func (d *decoder) err() error { return profiles.JoinErrors(d.errs) }

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// entries returns a mapping's key/value pairs, reporting keys not in known
// and keys given twice.
func (d *decoder) entries(n *yaml.Node, what string, known ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		switch {
		case k.Kind != yaml.ScalarNode:
			d.errorf(k, "%s keys are plain names", what)
		case !contains(known, k.Value):
			d.errorf(k, "unknown key %q in %s (want %s)", k.Value, what, strings.Join(known, ", "))
		case out[k.Value] != nil:
			d.errorf(k, "%s sets %q twice", what, k.Value)
		default:
			out[k.Value] = v
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// root decodes the top-level mapping.
func (d *decoder) root(n *yaml.Node) []Waiver {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "a baseline is a mapping with the key waivers")
		return nil
	}
	list := d.entries(n, "the baseline", "waivers")["waivers"]
	if list == nil || isNull(list) {
		return nil
	}
	if list.Kind != yaml.SequenceNode {
		d.errorf(list, "waivers is a list of {id, reason, expires}")
		return nil
	}
	var out []Waiver
	for _, item := range list.Content {
		if w, ok := d.waiver(deref(item)); ok {
			out = append(out, w)
		}
	}
	return out
}

// waiver decodes one list item; ok is false when it has problems.
func (d *decoder) waiver(n *yaml.Node) (Waiver, bool) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "a waiver is a mapping {id, reason, expires}")
		return Waiver{}, false
	}
	before := len(d.errs)
	f := d.entries(n, "a waiver", "id", "reason", "expires")
	w := Waiver{Line: n.Line}
	w.ID = d.text(f["id"], "id")
	w.Reason = strings.TrimSpace(d.text(f["reason"], "reason"))
	switch idn := f["id"]; {
	case idn == nil || isNull(idn):
		d.errorf(n, "waiver has no id")
	case idn.Kind != yaml.ScalarNode: // reported by text
	case strings.TrimSpace(w.ID) == "":
		d.errorf(idn, "waiver has an empty id")
	default:
		if _, ok := requirements.Lookup(requirements.ID(w.ID)); !ok {
			d.errorf(idn, "unknown requirement %q (pkcecheck list shows the IDs)", w.ID)
		} else if first, dup := d.seen[w.ID]; dup {
			d.errorf(idn, "a second waiver for %s (the first is at line %d)", w.ID, first)
		} else {
			d.seen[w.ID] = n.Line
		}
	}
	switch rn := f["reason"]; {
	case rn == nil || isNull(rn):
		d.errorf(n, "waiver for %s has no reason", orUnnamed(w.ID))
	case rn.Kind != yaml.ScalarNode: // reported by text
	case strings.TrimSpace(w.Reason) == "":
		d.errorf(rn, "waiver for %s has an empty reason", orUnnamed(w.ID))
	}
	if v := f["expires"]; v != nil {
		s := d.text(v, "expires")
		t, err := time.Parse(dateLayout, s)
		switch {
		case v.Kind != yaml.ScalarNode: // reported by text
		case err != nil:
			d.errorf(v, "expires %q is not a date (YYYY-MM-DD; leave the key out for a waiver that never expires)", v.Value)
		default:
			w.Expires = t
		}
	}
	return w, len(d.errs) == before
}

// text returns a scalar's value; other node kinds are reported.
func (d *decoder) text(n *yaml.Node, key string) string {
	if n == nil || isNull(n) {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s is a single value", key)
		return ""
	}
	return n.Value
}

func orUnnamed(id string) string {
	if id == "" {
		return "(no id)"
	}
	return id
}
