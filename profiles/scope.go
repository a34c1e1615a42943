package profiles

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Scope widens the set of hosts pkcecheck's protocol requests may go to.
// Without it, that set is the issuer's host and the hosts of the endpoints
// the profile names; endpoints that discovery finds elsewhere are refused
// (see ScopeHosts).
//
// In YAML:
//
//	scope:
//	  hosts: [oauth2.example-apis.com, "*.login.example.com"]
type Scope struct {
	// Hosts are host names (or IP addresses), in lower case, without scheme,
	// port or path. "*.example.com" stands for every host below
	// example.com (not example.com itself). Ports are not compared.
	Hosts []string
}

// ScopeHosts returns the hosts protocol requests may go to: the issuer's,
// those of the endpoints the profile names, and scope.hosts, in lower case,
// without ports or duplicates.
func (p *Profile) ScopeHosts() []string {
	var out []string
	add := func(h string) {
		if h = strings.ToLower(h); h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	for _, raw := range []string{p.Issuer, p.Endpoints.Authorization, p.Endpoints.Token, p.Endpoints.Userinfo, p.Endpoints.Introspection} {
		if u, err := url.Parse(raw); err == nil && raw != "" {
			add(u.Hostname())
		}
	}
	for _, h := range p.Scope.Hosts {
		add(h)
	}
	return out
}

// scope decodes the optional scope section.
func (d *decoder) scope(top *object) Scope {
	f, ok := top.fields["scope"]
	if !ok {
		return Scope{}
	}
	o := d.mapping("scope", f.key, f.val, "hosts")
	if o == nil {
		return Scope{}
	}
	hf, ok := o.fields["hosts"]
	if !ok {
		return Scope{}
	}
	n := resolve(hf.val)
	if isNull(n) {
		return Scope{}
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "scope.hosts must be a list of host names (e.g. [login.example.com]), not %s", describe(n))
		return Scope{}
	}
	var s Scope
	for i, item := range n.Content {
		name := fmt.Sprintf("scope.hosts[%d]", i)
		v := d.scalarNode(name, item)
		if !v.ok {
			if isNull(v.node) {
				d.errorf(resolve(item), "%s is empty", name)
			}
			continue
		}
		host := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(v.value, "["), "]"))
		if p := hostProblem(host); p != "" {
			d.errorf(v.node, "%s %s %s", name, v.show(), p)
			continue
		}
		if !slices.Contains(s.Hosts, host) {
			s.Hosts = append(s.Hosts, host)
		}
	}
	return s
}

// hostProblem says what is wrong with h as a scope host, or returns "".
func hostProblem(h string) string {
	if h == "" {
		return "is empty"
	}
	if net.ParseIP(h) != nil {
		return ""
	}
	if strings.Contains(h, "://") || strings.ContainsAny(h, "/?#@") {
		return "must be a host name only, without scheme, path or user (e.g. login.example.com)"
	}
	if strings.Contains(h, ":") {
		return "must be a host name without a port (ports are not compared)"
	}
	name := strings.TrimPrefix(h, "*.")
	if strings.Contains(name, "*") {
		return `may use a wildcard only as its first label ("*.example.com")`
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return "is not a valid host name"
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Sprintf("contains %q, which a host name cannot hold", c)
			}
		}
	}
	if name != h && !strings.Contains(name, ".") {
		return `wildcards need a domain with at least two labels ("*.example.com", not "*.com")`
	}
	return ""
}
