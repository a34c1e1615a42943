package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/discovery"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
	"github.com/pkcecheck/pkcecheck/session"
)

// modeTrial is what init found of one response mode the metadata offers:
// "" when the public client got a code that way, else why not.
type modeTrial map[string]string

// tryModes asks, in the browser init logged in with, for one code per
// response mode the metadata offers besides query (form_post, fragment:
// the hybrid code id_token where the metadata lists it, as the run asks),
// so that the profile lists only the modes the public client may use: a
// server advertises modes its clients are not registered for. nil when
// there is nothing to try, or under required PAR (the modes are then
// taken from the metadata untried).
func tryModes(ctx context.Context, s *session.Session, meta *discovery.Metadata, stdout io.Writer) modeTrial {
	listed := metaStrings(meta, "response_modes_supported")
	if meta == nil || meta.RequirePushedAuthorizationRequests {
		return nil
	}
	c := s.Profile.Clients.Public
	trial := modeTrial{}
	for _, mode := range []string{profiles.ResponseModeFormPost, profiles.ResponseModeFragment} {
		if !slices.Contains(listed, mode) {
			continue
		}
		pair, err := pkce.NewPair(43)
		if err != nil {
			trial[mode] = err.Error()
			continue
		}
		req := authz.NewRequest(s.Endpoints.Authorization, c.ID, c.RedirectURI, c.Scopes, "pkcecheck-init-"+mode)
		req.AddExtra(s.Profile.AuthorizeParams)
		req.Params.Add("code_challenge", pair.Challenge)
		req.Params.Add("code_challenge_method", pkce.MethodS256)
		want := authz.ModeFormPost
		if mode == profiles.ResponseModeFragment {
			want = authz.ModeFragment
		}
		if want == authz.ModeFragment && slices.Contains(metaStrings(meta, "response_types_supported"), "code id_token") && slices.Contains(c.Scopes, "openid") {
			req.Params.Set("response_type", "code id_token")
		} else {
			req.Params.Add("response_mode", mode)
		}
		fmt.Fprintf(stdout, "trying response_mode %s for client %q\n", mode, c.ID)
		resp, err := s.Browser.Authorize(ctx, req.URL(), c.RedirectURI)
		switch {
		case err != nil:
			trial[mode] = s.Redactor.String(err.Error())
		case resp.Code != "" && resp.Mode == want:
			s.Redactor.Add(resp.Code)
			trial[mode] = ""
		case resp.Code != "":
			s.Redactor.Add(resp.Code)
			trial[mode] = fmt.Sprintf("the code came in the %s", resp.Mode)
		default:
			trial[mode] = session.DescribeRefusal(c.ID, resp, s.Redactor)
		}
		if why := trial[mode]; why != "" {
			fmt.Fprintf(stdout, "  left out: %s\n", why)
		}
	}
	return trial
}
