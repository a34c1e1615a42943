package profiles

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// field is one entry of a YAML mapping.
type field struct{ key, val *yaml.Node }

// object is a YAML mapping whose keys were checked against the known ones.
type object struct {
	where  string     // dotted path of the mapping: "" at the top, "clients.public"
	pos    *yaml.Node // where problems about missing keys point
	fields map[string]field
}

// name is the dotted path of key inside o.
func (o *object) name(key string) string {
	if o.where == "" {
		return key
	}
	return o.where + "." + key
}

// has reports whether key is present with a non-null value.
func (o *object) has(key string) bool {
	f, ok := o.fields[key]
	return ok && !isNull(resolve(f.val))
}

// maxAliasDepth bounds alias chains and nested merge keys.
const maxAliasDepth = 32

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < maxAliasDepth; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is absent or an explicit null ("", ~, null).
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// describe names the kind of a node for "must be X, not Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		}
		return "a string"
	}
	return "an unsupported YAML node"
}

// label names a mapping in messages.
func label(where string) string {
	if where == "" {
		return "the profile"
	}
	return where
}

// mapping checks that n is a mapping with only known keys and returns its
// entries. A null n gives an empty object; a node of another kind is reported
// and gives nil. pos is where problems about missing keys point (the key
// naming the mapping, or n itself). Merge keys (<<) are honoured.
func (d *decoder) mapping(where string, pos, n *yaml.Node, known ...string) *object {
	n = resolve(n)
	if pos == nil {
		pos = n
	}
	o := &object{where: where, pos: pos, fields: map[string]field{}}
	if isNull(n) {
		return o
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a map, not %s", label(where), describe(n))
		return nil
	}
	d.collect(o, n, map[string]bool{}, known, 0)
	return o
}

// collect adds the entries of mapping n to o. Explicit keys win over merged
// ones; seen holds the keys written explicitly at this level.
func (d *decoder) collect(o *object, n *yaml.Node, seen map[string]bool, known []string, depth int) {
	var merges []*yaml.Node
	explicit := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "keys in %s must be plain strings, not %s", label(o.where), describe(k))
			continue
		}
		if first, dup := explicit[k.Value]; dup {
			d.errorf(k, "duplicate key %q in %s (first at line %d)", k.Value, label(o.where), first.Line)
			continue
		}
		explicit[k.Value] = k
		if !slices.Contains(known, k.Value) {
			d.unknownKey(o.where, k, known)
			continue
		}
		if depth > 0 && seen[k.Value] {
			continue // overridden by an explicit key or an earlier merge
		}
		seen[k.Value] = true
		o.fields[k.Value] = field{key: k, val: v}
	}
	if depth >= maxAliasDepth {
		return
	}
	for _, m := range merges {
		m = resolve(m)
		switch m.Kind {
		case yaml.MappingNode:
			d.collect(o, m, seen, known, depth+1)
		case yaml.SequenceNode:
			for _, item := range m.Content {
				if item = resolve(item); item.Kind == yaml.MappingNode {
					d.collect(o, item, seen, known, depth+1)
				} else {
					d.errorf(item, "a merge (<<) in %s takes maps, not %s", label(o.where), describe(item))
				}
			}
		default:
			d.errorf(m, "a merge (<<) in %s takes a map, not %s", label(o.where), describe(m))
		}
	}
}

// unknownKey reports key k, which is not one of known, suggesting a near miss.
func (d *decoder) unknownKey(where string, k *yaml.Node, known []string) {
	in := "in " + where
	if where == "" {
		in = "at the top level"
	}
	msg := fmt.Sprintf("unknown key %q %s; known keys: %s", k.Value, in, strings.Join(known, ", "))
	if s := nearest(k.Value, known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	d.errorf(k, "%s", msg)
}
