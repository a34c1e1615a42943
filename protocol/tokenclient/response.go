package tokenclient

import (
	"github.com/pkcecheck/pkcecheck/protocol/form"

	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/pkcecheck/pkcecheck/protocol/redact"
	"github.com/pkcecheck/pkcecheck/results"
)

// MaxBody is the most of a response body that is read.
const MaxBody = 1 << 20

// maxEvidenceBody is the most of a (redacted) body kept in evidence.
const maxEvidenceBody = 8 << 10

// evidenceHeaders are the response headers kept in evidence.
var evidenceHeaders = []string{"Content-Type", "Cache-Control", "Pragma", "WWW-Authenticate"}

// Response is what the token endpoint answered.
type Response struct {
	Status int
	Header http.Header
	Body   []byte         // capped at MaxBody
	JSON   map[string]any // nil if the body is not a JSON object
	Err    *Error         // set when the body has an "error" member (any status)
	// Evidence holds the redacted request and response; Probe is left
	// empty for the caller.
	Evidence results.Evidence
	// Truncated is set when the body was longer than MaxBody.
	Truncated bool
}

// AccessToken returns the access_token member ("" when absent or not a string).
func (r *Response) AccessToken() string { return r.str("access_token") }

// RefreshToken returns the refresh_token member ("" when absent or not a
// string).
func (r *Response) RefreshToken() string { return r.str("refresh_token") }

// Issued reports whether the server issued a token: a 2xx status with a
// non-empty access_token.
func (r *Response) Issued() bool {
	return r.Status >= 200 && r.Status < 300 && r.AccessToken() != ""
}

func (r *Response) str(name string) string {
	s, _ := r.JSON[name].(string)
	return s
}

// parseBody fills JSON and Err from Body, and teaches rd the tokens the body
// carries (whatever the status), so they never show anywhere later.
func (r *Response) parseBody(rd *redact.Redactor) {
	var obj map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(r.Body), &obj); err == nil && obj != nil {
		r.JSON = obj
	}
	for _, name := range []string{"access_token", "refresh_token", "id_token"} {
		if tok := r.str(name); tok != "" {
			rd.Add(tok)
		}
	}
	if e, ok := r.JSON["error"]; ok {
		r.Err = &Error{
			Status:      r.Status,
			Code:        asString(e),
			Description: asString(r.JSON["error_description"]),
			URI:         asString(r.JSON["error_uri"]),
			redactor:    rd,
		}
	}
}

// asString renders a JSON member as text ("" for absent or null).
func asString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// responseEvidence renders "HTTP <status>\n<selected headers>\n\n<body>",
// redacted, with the body cut at maxEvidenceBody.
func (r *Response) responseEvidence(statusLine string, rd *redact.Redactor) string {
	h := http.Header{}
	for _, name := range evidenceHeaders {
		if v := r.Header.Values(name); len(v) > 0 {
			h[name] = v
		}
	}
	body := rd.JSON(r.Body)
	if len(body) > maxEvidenceBody {
		body = strings.ToValidUTF8(body[:maxEvidenceBody], "") + fmt.Sprintf("\n[... %d more bytes]", len(body)-maxEvidenceBody)
	}
	if r.Truncated {
		body += fmt.Sprintf("\n[body cut at %d bytes]", MaxBody)
	}
	return "HTTP " + statusLine + "\n" + rd.Header(h) + "\n\n" + body
}

// requestEvidence renders "POST <endpoint>\n<headers>\n\n<form>", redacted.
func requestEvidence(endpoint string, h http.Header, params form.Params, rd *redact.Redactor) string {
	return "POST " + rd.URL(endpoint) + "\n" + rd.Header(h) + "\n\n" + rd.Params(params)
}
