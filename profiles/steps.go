package profiles

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// stepActions are the keys that name a step's action; a step has exactly
// one of them.
var stepActions = []string{KindFill, KindClick, KindWait, KindClickIfPresent, KindTOTP, KindSelect, KindClickText}

// stepKeys are all the keys a step may have, in the order error messages
// list them.
var stepKeys = []string{
	KindFill, "value", KindClick, KindWait, KindClickIfPresent, KindTOTP, "secret", "digits",
	KindSelect, KindClickText, "frame", "optional", "optional_timeout",
}

// maxOptionalTimeout bounds optional_timeout.
const maxOptionalTimeout = time.Minute

// actionList is "fill, click, ..., or click_text" for messages.
func actionList() string {
	return strings.Join(stepActions[:len(stepActions)-1], ", ") + " or " + stepActions[len(stepActions)-1]
}

// steps decodes a list of browser steps (login.steps or login.consent).
func (d *decoder) steps(o *object, key string) []Step {
	f, ok := o.fields[key]
	if !ok {
		return nil
	}
	n := resolve(f.val)
	if isNull(n) {
		return nil
	}
	name := o.name(key)
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list of steps, not %s", name, describe(n))
		return nil
	}
	var out []Step
	for i, item := range n.Content {
		if s, ok := d.step(fmt.Sprintf("%s[%d]", name, i), item, key == "consent"); ok {
			out = append(out, s)
		}
	}
	return out
}

// step decodes and checks one step; ok is false when it is unusable.
func (d *decoder) step(where string, item *yaml.Node, consent bool) (Step, bool) {
	so := d.mapping(where, item, item, stepKeys...)
	if so == nil {
		return Step{}, false
	}
	if isNull(resolve(item)) {
		d.errorf(item, "%s is empty; a step does one of %s", where, actionList())
		return Step{}, false
	}
	var kinds []string
	var action scalar
	for _, k := range stepActions {
		if f, ok := so.fields[k]; ok && !isNull(resolve(f.val)) {
			kinds = append(kinds, k)
			action = d.scalar(so, k)
		}
	}
	switch len(kinds) {
	case 0:
		d.errorf(so.pos, "%s needs one of %s", where, actionList())
		return Step{}, false
	case 1:
	default:
		d.errorf(so.pos, "%s has %s; a step does exactly one of %s", where, strings.Join(kinds, " and "), actionList())
		return Step{}, false
	}
	kind := kinds[0]
	if action.ok && action.value == "" {
		what := "selector"
		if kind == KindClickText {
			what = "text"
		}
		d.errorf(action.node, "%s %s must not be empty", so.name(kind), what)
	}
	s := Step{Line: item.Line}
	switch kind {
	case KindFill:
		s.Fill = action.value
	case KindClick:
		s.Click = action.value
	case KindWait:
		s.Wait = action.value
	case KindClickIfPresent:
		s.ClickIfPresent = action.value
	case KindTOTP:
		s.TOTP = action.value
	case KindSelect:
		s.Select = action.value
	case KindClickText:
		s.ClickText = action.value
	}
	s.Value = d.stepValue(so, kind)
	s.Frame = d.stepFrame(so)
	s.Optional, s.OptionalTimeout = d.stepOptional(so, kind, consent)
	s.Secret, s.Digits = d.stepTOTP(so, kind, s.Optional)
	return s, true
}

// stepValue reads value, which fill and select need and no other kind
// takes.
func (d *decoder) stepValue(so *object, kind string) string {
	value := d.scalar(so, "value")
	d.secret(value) // a password or user name from the environment
	has := !isNull(value.node)
	switch {
	case (kind == KindFill || kind == KindSelect) && !has:
		d.errorf(so.pos, "%s: %s needs a value", so.where, kind)
	case kind != KindFill && kind != KindSelect && has:
		d.errorf(so.fields["value"].key, "%s: value is only used with fill and select, not with %s", so.where, kind)
	}
	return value.value
}

// stepFrame reads the frame modifier: the selector of an iframe.
func (d *decoder) stepFrame(so *object) string {
	frame := d.scalar(so, "frame")
	if frame.ok && frame.value == "" {
		d.errorf(frame.node, "%s selector must not be empty", so.name("frame"))
	}
	return frame.value
}

// stepOptional reads optional and optional_timeout.
func (d *decoder) stepOptional(so *object, kind string, consent bool) (bool, time.Duration) {
	opt, optNode := d.boolean(so, "optional")
	tf, hasTimeout := so.fields["optional_timeout"]
	switch {
	case consent && (kind == KindClickIfPresent || optNode != nil || hasTimeout):
		at := so.pos
		if kind != KindClickIfPresent {
			at = optNode
			if at == nil {
				at = tf.key
			}
		}
		d.errorf(at, "%s: consent steps run only when their element shows; use click (not click_if_present, optional or optional_timeout)", so.where)
		return false, 0
	case kind == KindClickIfPresent && optNode != nil:
		d.errorf(optNode, "%s: click_if_present is always optional; remove optional", so.where)
	case hasTimeout && kind != KindClickIfPresent && !opt:
		d.errorf(tf.key, "%s: optional_timeout needs optional: true (or click_if_present)", so.where)
	}
	var timeout time.Duration
	if s := d.scalar(so, "optional_timeout"); s.set() {
		name := so.name("optional_timeout")
		v, err := time.ParseDuration(s.value)
		switch {
		case err != nil:
			d.errorf(s.node, "%s must be a duration with a unit such as 2s or 500ms, not %s", name, s.show())
		case v <= 0 || v > maxOptionalTimeout:
			d.errorf(s.node, "%s must be more than 0 and at most 1m, got %s", name, s.show())
		default:
			timeout = v
		}
	}
	return opt, timeout
}

// stepTOTP reads secret and digits, which only totp takes (and needs). The
// secret is recorded as a secret even when written literally.
func (d *decoder) stepTOTP(so *object, kind string, optional bool) (string, int) {
	secret := d.scalar(so, "secret")
	digits := d.scalar(so, "digits")
	if kind != KindTOTP {
		for _, k := range []string{"secret", "digits"} {
			if f, ok := so.fields[k]; ok {
				d.errorf(f.key, "%s: %s is only used with totp, not with %s", so.where, k, kind)
			}
		}
		return "", 0
	}
	if isNull(secret.node) {
		d.errorf(so.pos, `%s: totp needs a secret (base32, e.g. secret: "${TOTP_SECRET}")`, so.where)
	} else if secret.ok {
		name := so.name("secret")
		switch {
		case secret.value == "" && !optional:
			d.errorf(secret.node, "%s %s is empty; a totp step needs the base32 secret (only an optional step may leave it empty)", name, secret.show())
		case secret.value != "":
			d.secrets = append(d.secrets, secret.value)
			if _, err := DecodeTOTPSecret(secret.value); err != nil {
				d.errorf(secret.node, "%s: %v", name, err)
			}
		}
	}
	n := 0
	if digits.set() {
		v, err := strconv.Atoi(digits.value)
		if err != nil || (v != 6 && v != 8) {
			d.errorf(digits.node, "%s must be 6 or 8, not %s", so.name("digits"), digits.show())
		} else {
			n = v
		}
	}
	return secret.value, n
}

// boolean reads key of o as true or false; node is nil when the key is
// absent or null.
func (d *decoder) boolean(o *object, key string) (v bool, node *yaml.Node) {
	s := d.scalar(o, key)
	if !s.ok {
		if s.node != nil && !isNull(s.node) {
			return false, s.node
		}
		return false, nil
	}
	switch strings.ToLower(s.value) {
	case "true":
		return true, s.node
	case "false":
		return false, s.node
	}
	d.errorf(s.node, "%s must be true or false, not %s", o.name(key), s.show())
	return false, s.node
}
