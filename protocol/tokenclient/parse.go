package tokenclient

import (
	"net/http"

	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// ParseError reads a token endpoint answer the way Exchange does and
// returns its RFC 6749 §5.2 error: set when the body is a JSON object with
// an "error" member (whatever the status), nil otherwise. It is the parser
// the fuzz target FuzzTokenErrorParse exercises.
func ParseError(status int, header http.Header, body []byte) *Error {
	if len(body) > MaxBody {
		body = body[:MaxBody]
	}
	r := &Response{Status: status, Header: header, Body: body}
	r.parseBody(redact.New())
	return r.Err
}
