package profiles

import (
	"fmt"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// profile decodes the root node of a profile file, recording every problem.
func (d *decoder) profile(root *yaml.Node) *Profile {
	p := &Profile{
		Path:   d.path,
		Policy: Policy{PKCERequired: PKCERequiredPublic, Plain: PlainForbidden, ErrorCodes: ErrorCodesStrict},
		Limits: Limits{RequestsPerSecond: DefaultRequestsPerSecond, Timeout: DefaultTimeout},
	}
	top := d.mapping("", root, root, "name", "issuer", "endpoints", "clients", "login", "policy", "limits", "tls", "scope", "authorize_params", "flows")
	if top == nil {
		return p
	}
	p.Name = d.required(top, "name").value
	p.Endpoints = d.endpoints(top)
	issuer := d.scalar(top, "issuer")
	d.checkURL("issuer", issuer, true)
	p.Issuer = issuer.value
	if !issuer.set() && (issuer.ok || isNull(issuer.node)) && (p.Endpoints.Authorization == "" || p.Endpoints.Token == "") {
		at := top.pos
		if issuer.ok {
			at = issuer.node
		}
		d.errorf(at, "issuer is required unless endpoints.authorization and endpoints.token are both set")
	}
	p.Clients = d.clients(top)
	p.Login = d.login(top)
	p.AuthorizeParams = d.authorizeParams(top)
	if f, ok := top.fields["policy"]; ok {
		if o := d.mapping("policy", f.key, f.val, "pkce_required", "plain", "error_codes", "profile"); o != nil {
			p.Policy = Policy{
				PKCERequired: d.oneOf(o, "pkce_required", PKCERequiredPublic, PKCERequiredNone, PKCERequiredPublic, PKCERequiredAll),
				Plain:        d.oneOf(o, "plain", PlainForbidden, PlainForbidden, PlainAllowed),
				ErrorCodes:   d.oneOf(o, "error_codes", ErrorCodesStrict, ErrorCodesStrict, ErrorCodesLenient),
				Profile:      d.oneOf(o, "profile", "", ProfileBase, ProfileOAuth21Draft16),
			}
			if p.Policy.Profile == ProfileBase {
				p.Policy.Profile = "" // the zero value means base
			}
			if p.Policy.OAuth21() && p.Policy.Plain == PlainAllowed {
				d.errorf(d.scalar(o, "plain").node, "policy.plain: allowed contradicts policy.profile: %s, which prohibits plain (leave plain out or set it to forbidden)", ProfileOAuth21Draft16)
			}
		}
	}
	if f, ok := top.fields["limits"]; ok {
		if o := d.mapping("limits", f.key, f.val, "requests_per_second", "timeout", "max_requests"); o != nil {
			p.Limits = d.limits(o)
		}
	}
	p.TLS = d.tls(top)
	p.Scope = d.scope(top)
	p.ApplyRateDefault()
	p.Flows = d.flows(top)
	return p
}

// endpoints decodes the optional endpoint overrides.
func (d *decoder) endpoints(top *object) Endpoints {
	f, ok := top.fields["endpoints"]
	if !ok {
		return Endpoints{}
	}
	o := d.mapping("endpoints", f.key, f.val, "authorization", "token", "userinfo", "introspection")
	if o == nil {
		return Endpoints{}
	}
	url := func(key string) string {
		s := d.scalar(o, key)
		d.checkURL(o.name(key), s, false)
		return s.value
	}
	return Endpoints{
		Authorization: url("authorization"),
		Token:         url("token"),
		Userinfo:      url("userinfo"),
		Introspection: url("introspection"),
	}
}

// clients decodes the clients; public is required.
func (d *decoder) clients(top *object) Clients {
	f, ok := top.fields["clients"]
	if !ok {
		d.errorf(top.pos, "clients.public is required")
		return Clients{}
	}
	o := d.mapping("clients", f.key, f.val, "public", "confidential", "other", "extra")
	if o == nil {
		return Clients{}
	}
	if !o.has("public") {
		if pf, ok := o.fields["public"]; ok {
			d.errorf(pf.key, "clients.public must not be empty")
		} else {
			d.errorf(o.pos, "clients.public is required")
		}
	}
	c := Clients{
		Public:       d.client(o, "public", false),
		Confidential: d.client(o, "confidential", true),
		Other:        d.client(o, "other", false),
		Extra:        d.extraClients(o),
	}
	if c.Public != nil && c.Other != nil && c.Public.ID != "" && c.Public.ID == c.Other.ID {
		d.errorf(o.fields["other"].key, "clients.other.id must differ from clients.public.id: cross-client checks need two clients")
	}
	return c
}

// client decodes one client; nil when it is absent.
func (d *decoder) client(clients *object, key string, confidential bool) *Client {
	f, ok := clients.fields[key]
	if !ok || isNull(resolve(f.val)) {
		return nil
	}
	return d.clientNode(clients.name(key), f.key, f.val, confidential)
}

// extraClients decodes clients.extra: a list of confidential clients.
func (d *decoder) extraClients(clients *object) []*Client {
	f, ok := clients.fields["extra"]
	if !ok {
		return nil
	}
	n := resolve(f.val)
	if isNull(n) {
		return nil
	}
	name := clients.name("extra")
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list of clients, not %s", name, describe(n))
		return nil
	}
	var out []*Client
	for i, item := range n.Content {
		if isNull(resolve(item)) {
			d.errorf(resolve(item), "%s[%d] is empty", name, i)
			continue
		}
		if c := d.clientNode(fmt.Sprintf("%s[%d]", name, i), item, item, true); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// clientNode decodes the client mapping n, named name.
func (d *decoder) clientNode(name string, key, n *yaml.Node, confidential bool) *Client {
	o := d.mapping(name, key, n, "id", "secret", "auth_method", "auth_methods", "private_key_jwt", "redirect_uri", "scopes", "redirect_uri_with_query")
	if o == nil {
		return nil
	}
	c := &Client{ID: d.required(o, "id").value}
	secret := d.scalar(o, "secret")
	d.secret(secret)
	c.Secret = secret.value
	c.PrivateKeyJWT = d.privateKeyJWT(o)
	c.AuthMethod, c.AuthMethods = d.checkClientAuth(o, confidential, secret, d.scalar(o, "auth_method"), d.authMethods(o), c.PrivateKeyJWT)
	redirect := d.required(o, "redirect_uri")
	d.checkURL(o.name("redirect_uri"), redirect, false)
	c.RedirectURI = redirect.value
	if q := d.scalar(o, "redirect_uri_with_query"); q.set() {
		name := o.name("redirect_uri_with_query")
		d.checkURL(name, q, false)
		if p := queryRedirectProblem(q.value, c.RedirectURI); p != "" && urlProblem(q.value, false) == "" {
			d.errorf(q.node, "%s %s %s", name, q.show(), p)
		}
		c.RedirectURIWithQuery = q.value
	}
	c.Scopes = d.scopes(o)
	return c
}

// scopes decodes a client's list of scopes (default: none).
func (d *decoder) scopes(o *object) []string {
	f, ok := o.fields["scopes"]
	if !ok {
		return nil
	}
	n := resolve(f.val)
	if isNull(n) {
		return nil
	}
	name := o.name("scopes")
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list (e.g. [openid, profile]), not %s", name, describe(n))
		return nil
	}
	var out []string
	for i, item := range n.Content {
		s := d.scalarNode(fmt.Sprintf("%s[%d]", name, i), item)
		if !s.ok {
			if isNull(s.node) {
				d.errorf(resolve(item), "%s[%d] is empty", name, i)
			}
			continue
		}
		if p := scopeProblem(s.value); p != "" {
			d.errorf(s.node, "%s[%d] %s", name, i, p)
			continue
		}
		out = append(out, s.value)
	}
	return out
}

// login decodes the login and consent steps and the test account: either
// login.steps or login.username and login.password (or both: the steps win
// where their element shows, detection does the rest).
func (d *decoder) login(top *object) Login {
	f, ok := top.fields["login"]
	if !ok {
		d.errorf(top.pos, "login is required: login.steps, or login.username and login.password")
		return Login{}
	}
	o := d.mapping("login", f.key, f.val, append([]string{"steps", "consent"}, credentialKeys...)...)
	if o == nil {
		return Login{}
	}
	l := Login{Steps: d.steps(o, "steps"), Consent: d.steps(o, "consent"), Credentials: d.credentials(o)}
	if len(l.Steps) == 0 {
		sf, has := o.fields["steps"]
		switch {
		case has && emptyList(resolve(sf.val)):
			d.errorf(sf.key, "login.steps must list at least one step (or leave it out and give login.username and login.password)")
		case !has && l.Credentials == nil:
			d.errorf(o.pos, "login needs login.steps, or login.username and login.password")
		}
	}
	return l
}

// limits decodes the load limits, with their defaults.
func (d *decoder) limits(o *object) Limits {
	l := Limits{RequestsPerSecond: DefaultRequestsPerSecond, Timeout: DefaultTimeout}
	if s := d.scalar(o, "requests_per_second"); s.set() {
		name := o.name("requests_per_second")
		v, err := strconv.ParseFloat(s.value, 64)
		if err != nil {
			d.errorf(s.node, "%s must be a number, not %s", name, s.show())
		} else {
			d.checkRate(name, s, v)
			l.RequestsPerSecond, l.RateSource = v, RateFromProfile
		}
	}
	if s := d.scalar(o, "timeout"); s.set() {
		name := o.name("timeout")
		v, err := time.ParseDuration(s.value)
		if err != nil {
			d.errorf(s.node, "%s must be a duration with a unit such as 10s or 1m30s, not %s", name, s.show())
		} else {
			d.checkTimeout(name, s, v)
			l.Timeout = v
		}
	}
	if s := d.scalar(o, "max_requests"); s.set() {
		name := o.name("max_requests")
		v, err := strconv.Atoi(s.value)
		switch {
		case err != nil:
			d.errorf(s.node, "%s must be a whole number, not %s", name, s.show())
		case v < 1 || v > maxMaxRequests:
			d.errorf(s.node, "%s must be at least 1 and at most %d (leave it out for no budget), got %s", name, maxMaxRequests, s.show())
		default:
			l.MaxRequests = v
		}
	}
	return l
}
