package tokenclient

import (
	"fmt"

	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// Error is an RFC 6749 §5.2 error response.
type Error struct {
	Status      int
	Code        string // the "error" member
	Description string // error_description
	URI         string // error_uri

	redactor *redact.Redactor
}

// Error renders "invalid_grant: <description> (HTTP 400)", with the
// description passed through the redactor (servers sometimes echo the code).
func (e *Error) Error() string {
	if e.Description == "" {
		return e.redactor.String(fmt.Sprintf("%s (HTTP %d)", e.Code, e.Status))
	}
	return e.redactor.String(fmt.Sprintf("%s: %s (HTTP %d)", e.Code, e.Description, e.Status))
}

// registered are the error codes RFC 6749 §5.2 defines for token requests.
var registered = map[string]bool{
	"invalid_request":        true,
	"invalid_client":         true,
	"invalid_grant":          true,
	"unauthorized_client":    true,
	"unsupported_grant_type": true,
	"invalid_scope":          true,
}

// Registered reports whether Code is one of the RFC 6749 §5.2 codes.
func (e *Error) Registered() bool { return registered[e.Code] }
