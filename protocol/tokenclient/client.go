package tokenclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/redact"
)

// Client sends token requests to one token endpoint.
type Client struct {
	// HTTP sends the requests (normally httpclient.Client.HTTP(); nil means
	// http.DefaultClient).
	HTTP     *http.Client
	Endpoint string
	// Redactor learns the codes and secrets sent and the tokens received,
	// and masks the evidence. May be nil: evidence is then masked with a
	// Redactor private to each exchange.
	Redactor *redact.Redactor
}

// Exchange sends req to the token endpoint and reads the answer. The error is
// non-nil only when no complete HTTP response was obtained (bad request
// settings, transport failure, ctx done); an OAuth error answer is a
// *Response with Err set.
func (c *Client) Exchange(ctx context.Context, req *Request) (*Response, error) {
	rd := c.Redactor
	if rd == nil {
		rd = redact.New()
	}
	// Teach the redactor what is secret in the request before anything is
	// rendered: codes (any number of them) and the client secret.
	for _, p := range req.Params {
		if p[0] == "code" || p[0] == "client_secret" {
			rd.Add(p[1])
		}
	}
	rd.Add(req.Auth.Secret)
	if req.Auth.Method == profiles.AuthClientSecretBasic {
		rd.Add(BasicCredentials(req.Auth.ClientID, req.Auth.Secret))
	}

	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("Accept", "application/json")
	params, err := applyAuth(req, h, c.Endpoint, rd)
	if err != nil {
		return nil, fmt.Errorf("exchange code at %s: %w", rd.URL(c.Endpoint), err)
	}

	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Endpoint, strings.NewReader(params.Encode()))
	if err != nil {
		return nil, fmt.Errorf("exchange code at %s: build request: %w", rd.URL(c.Endpoint), err)
	}
	hreq.Header = h
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	hresp, err := hc.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("exchange code at %s: %w", rd.URL(c.Endpoint), err)
	}
	defer hresp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hresp.Body, MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("exchange code at %s: read response: %w", rd.URL(c.Endpoint), err)
	}
	resp := &Response{Status: hresp.StatusCode, Header: hresp.Header, Body: body}
	if len(body) > MaxBody {
		resp.Body, resp.Truncated = body[:MaxBody], true
	}
	resp.parseBody(rd)
	resp.Evidence.Request = requestEvidence(c.Endpoint, h, params, rd)
	statusLine := hresp.Status
	if statusLine == "" {
		statusLine = strconv.Itoa(hresp.StatusCode)
	}
	resp.Evidence.Response = resp.responseEvidence(statusLine, rd)
	return resp, nil
}
