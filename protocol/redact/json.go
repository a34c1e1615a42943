package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
)

// jsonSecrets are the members masked by name in JSON bodies.
var jsonSecrets = map[string]bool{
	"access_token":  true,
	"refresh_token": true,
	"id_token":      true,
	"code":          true,
	"client_secret": true,
}

// JSON returns body with the values of the access_token, refresh_token,
// id_token, code and client_secret members of its objects (at any depth)
// replaced by "[REDACTED]", everything else (member order, whitespace) as it
// was, and every known secret masked. A body that is not JSON but parses as a
// form carrying such parameters (some servers answer form-encoded) is masked
// as Params does; any other body only has its known secrets masked.
func (r *Redactor) JSON(body []byte) string {
	if out, err := maskJSON(body); err == nil {
		return r.String(string(out))
	}
	if q, err := url.ParseQuery(string(body)); err == nil && hasAny(q, formSecrets) {
		return r.String(maskQuery(string(body), formSecrets))
	}
	return r.String(string(body))
}

func hasAny(q url.Values, names map[string]bool) bool {
	for k := range q {
		if names[k] {
			return true
		}
	}
	return false
}

// span is a byte range of the input.
type span struct{ start, end int }

// maskJSON walks one JSON value with a token decoder, noting where the
// values of secret members lie, and splices the mask in there.
func maskJSON(body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var spans []span
	if err := walkJSON(dec, body, &spans, 0); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after JSON value")
	}
	out := append([]byte(nil), body...)
	for i := len(spans) - 1; i >= 0; i-- {
		s := spans[i]
		out = append(out[:s.start], append([]byte(`"`+Mask+`"`), out[s.end:]...)...)
	}
	return out, nil
}

// maxDepth bounds the nesting walkJSON follows.
const maxDepth = 200

// walkJSON reads one value and records the spans of secret member values.
func walkJSON(dec *json.Decoder, body []byte, spans *[]span, depth int) error {
	if depth > maxDepth {
		return errors.New("JSON nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch d {
	case '{':
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			name, _ := key.(string)
			if !jsonSecrets[name] {
				if err := walkJSON(dec, body, spans, depth+1); err != nil {
					return err
				}
				continue
			}
			start := int(dec.InputOffset())
			for start < len(body) && bytes.IndexByte([]byte(" \t\r\n:"), body[start]) >= 0 {
				start++
			}
			if err := walkJSON(dec, body, &[]span{}, depth+1); err != nil {
				return err
			}
			*spans = append(*spans, span{start, int(dec.InputOffset())})
		}
	case '[':
		for dec.More() {
			if err := walkJSON(dec, body, spans, depth+1); err != nil {
				return err
			}
		}
	default:
		return errors.New("unexpected JSON delimiter")
	}
	_, err = dec.Token() // the closing delimiter
	return err
}
