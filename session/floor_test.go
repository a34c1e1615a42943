package session

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/profiles"
	"github.com/pkcecheck/pkcecheck/protocol/authz"
	"github.com/pkcecheck/pkcecheck/protocol/pkce"
)

// floorClient is the floor the benchmarks compare against: a plain net/http
// client with a cookie jar that logs in by posting the login form once (on
// an Okta org: by making the widget's IDX requests, idxSignIn) and then
// follows redirects (posting consent forms where the server shows them) to
// mint codes, and redeems them at the token endpoint. It is what minting a
// code costs without any browser.
type floorClient struct {
	http           *http.Client
	user, password string
	authEndpoint   string
	tokenEndpoint  string
	client         *profiles.Client
	logins         int
}

func newFloorClient(authEndpoint, tokenEndpoint string, c *profiles.Client, user, password string) *floorClient {
	jar, _ := cookiejar.New(nil)
	return &floorClient{
		http: &http.Client{Jar: jar, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		user: user, password: password, authEndpoint: authEndpoint, tokenEndpoint: tokenEndpoint, client: c,
	}
}

// mint runs one authorization with a fresh S256 pair and returns the code
// and its verifier.
func (f *floorClient) mint(ctx context.Context) (code, verifier string, err error) {
	pair, err := pkce.NewPair(43)
	if err != nil {
		return "", "", err
	}
	req := authz.NewRequest(f.authEndpoint, f.client.ID, f.client.RedirectURI, f.client.Scopes, "floor-state")
	req.Params.Add("code_challenge", pair.Challenge)
	req.Params.Add("code_challenge_method", pkce.MethodS256)
	method, target, body := http.MethodGet, req.URL(), url.Values(nil)
	for hops := 0; hops < 20; hops++ {
		r, err := http.NewRequestWithContext(ctx, method, target, strings.NewReader(body.Encode()))
		if err != nil {
			return "", "", err
		}
		if method == http.MethodPost {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := f.http.Do(r)
		if err != nil {
			return "", "", err
		}
		page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		base := resp.Request.URL
		if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode/100 == 3 {
			next, err := base.Parse(loc)
			if err != nil {
				return "", "", err
			}
			if authz.MatchesRedirect(next.String(), f.client.RedirectURI) {
				ar, err := authz.ParseRedirect(next.String())
				if err != nil || ar.Code == "" {
					return "", "", fmt.Errorf("redirect without code: error=%s", ar.Error)
				}
				return ar.Code, pair.Verifier, nil
			}
			method, target, body = http.MethodGet, next.String(), nil
			continue
		}
		if m := idxStateToken.FindSubmatch(page); m != nil && resp.StatusCode == http.StatusOK {
			href, err := f.idxSignIn(ctx, base, string(m[1]))
			if err != nil {
				return "", "", err
			}
			method, target, body = http.MethodGet, href, nil
			continue
		}
		if config, ok := lockPage(page); ok && resp.StatusCode == http.StatusOK {
			action, fields, err := f.lockSignIn(ctx, base, config)
			if err != nil {
				return "", "", err
			}
			next, err := base.Parse(action)
			if err != nil {
				return "", "", err
			}
			method, target, body = http.MethodPost, next.String(), fields
			continue
		}
		action, fields, ok := firstForm(string(page))
		if resp.StatusCode != http.StatusOK || !ok {
			return "", "", fmt.Errorf("HTTP %d at %s without a form", resp.StatusCode, base.Path)
		}
		for _, name := range []string{"username", "login"} {
			if _, ok := fields[name]; ok {
				fields.Set(name, f.user)
				fields.Set("password", f.password)
				f.logins++
			}
		}
		next, err := base.Parse(action)
		if err != nil {
			return "", "", err
		}
		method, target, body = http.MethodPost, next.String(), fields
	}
	return "", "", errors.New("too many redirects")
}

// redeem sends one token request.
func (f *floorClient) redeem(ctx context.Context, code, verifier string) error {
	_, err := redeemPlain(ctx, f.http, f.tokenEndpoint, f.client, code, verifier)
	return err
}

// redeemPlain sends one token request for a public client with net/http
// and returns the status.
func redeemPlain(ctx context.Context, hc *http.Client, endpoint string, c *profiles.Client, code, verifier string) (int, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {c.RedirectURI},
		"client_id": {c.ID}, "code_verifier": {verifier}}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(r)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Body.Close()
}

// run does the round trips of a catalogue run: authorizations codes minted
// and tokenRequests token requests (the first codes redeemed, the rest
// replays). It returns the time taken.
func (f *floorClient) run(ctx context.Context, authorizations, tokenRequests int) (time.Duration, error) {
	began := time.Now()
	var codes [][2]string
	for range authorizations {
		code, verifier, err := f.mint(ctx)
		if err != nil {
			return 0, fmt.Errorf("floor: mint: %w", err)
		}
		codes = append(codes, [2]string{code, verifier})
	}
	for i := range tokenRequests {
		c := codes[min(i, len(codes)-1)]
		if err := f.redeem(ctx, c[0], c[1]); err != nil {
			return 0, fmt.Errorf("floor: redeem: %w", err)
		}
	}
	return time.Since(began), nil
}

var (
	formRE   = regexp.MustCompile(`(?is)<form\b([^>]*)>(.*?)</form>`)
	actionRE = regexp.MustCompile(`(?i)\baction="([^"]*)"`)
	fieldRE  = regexp.MustCompile(`(?i)<(?:input|button)\b[^>]*>`)
	nameRE   = regexp.MustCompile(`(?i)\bname="([^"]*)"`)
	valueRE  = regexp.MustCompile(`(?i)\bvalue="([^"]*)"`)
)

// firstForm returns the action and the fields of a page's first form:
// every named input, and the first named button (the approve button of a
// consent form), or a later one whose value says accept (Auth0's consent
// form puts Decline first).
func firstForm(page string) (action string, fields url.Values, ok bool) {
	m := formRE.FindStringSubmatch(page)
	if m == nil {
		return "", nil, false
	}
	if a := actionRE.FindStringSubmatch(m[1]); a != nil {
		action = html.UnescapeString(a[1])
	}
	fields = url.Values{}
	button := false
	for _, tag := range fieldRE.FindAllString(m[2], -1) {
		n := nameRE.FindStringSubmatch(tag)
		if n == nil {
			continue
		}
		isButton := strings.HasPrefix(strings.ToLower(tag), "<button")
		if isButton && button && !strings.Contains(tag, `value="accept"`) {
			continue
		}
		button = button || isButton
		v := ""
		if m := valueRE.FindStringSubmatch(tag); m != nil {
			v = html.UnescapeString(m[1])
		}
		fields.Set(html.UnescapeString(n[1]), v)
	}
	return action, fields, true
}
