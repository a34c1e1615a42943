package fuzz

import (
	"fmt"

	"github.com/pkcecheck/pkcecheck/requirements"
)

// Sides of a case.
const (
	SideAuthorize = "authorize"
	SideToken     = "token"
)

// AuthOutcome is what /authorize did with a case's registration.
type AuthOutcome struct {
	Issued    bool   `json:"code_issued"`
	Error     string `json:"error,omitempty"`
	ErrorPage bool   `json:"error_page,omitempty"`
	Status    int    `json:"status,omitempty"` // of an error page
}

// String says what happened in a few words.
func (a AuthOutcome) String() string {
	switch {
	case a.Issued:
		return "code issued"
	case a.Error != "":
		return "error=" + a.Error
	case a.ErrorPage:
		return fmt.Sprintf("error page (HTTP %d)", a.Status)
	default:
		return "no code"
	}
}

// TokenOutcome is what /token answered.
type TokenOutcome struct {
	Issued bool   `json:"tokens_issued"`
	Status int    `json:"status"`
	Error  string `json:"error,omitempty"`
}

// Observation is what the target did with one case. Token is nil when no
// code was issued (no token request was sent).
type Observation struct {
	Authorize AuthOutcome   `json:"authorize"`
	Token     *TokenOutcome `json:"token,omitempty"`
}

// ServerError reports whether either endpoint answered the case with HTTP
// 5xx.
func (o Observation) ServerError() bool {
	return (o.Authorize.ErrorPage && o.Authorize.Status >= 500) || (o.Token != nil && o.Token.Status >= 500)
}

// Disagreement is one difference between the oracle and the target.
type Disagreement struct {
	Side     string   // SideAuthorize or SideToken
	Expected Decision // Accept or Refuse
	Observed Decision // the opposite
	Rule     Rule     // the rule the behaviour breaks
	Why      string   // the oracle's reason
}

// Requirement is the catalogue ID the behaviour violates.
func (d Disagreement) Requirement() requirements.ID { return d.Rule.Requirement }

// Level is the catalogue level of the violated requirement.
func (d Disagreement) Level() requirements.Level { return d.Rule.Level() }

// sameKind reports whether d is the same kind of disagreement as o: same
// side and direction. The shrinker keeps a candidate only if it disagrees
// the same way as the case it came from.
func (d Disagreement) sameKind(o Disagreement) bool {
	return d.Side == o.Side && d.Observed == o.Observed
}

// Judge compares the target's behaviour with the oracle's expectation. A
// case can disagree on both sides (a code issued for an unknown method, then
// a wrong verifier redeemed).
func Judge(e Expectation, o Observation) []Disagreement {
	var out []Disagreement
	switch {
	case o.Authorize.Issued && e.Authorize == Refuse:
		out = append(out, Disagreement{SideAuthorize, Refuse, Accept, e.AuthorizeRule, e.AuthorizeWhy})
	case !o.Authorize.Issued && e.Authorize == Accept:
		out = append(out, Disagreement{SideAuthorize, Accept, Refuse, e.AuthorizeRule, e.AuthorizeWhy})
	}
	if o.Token == nil {
		return out
	}
	switch {
	case o.Token.Issued && e.Token == Refuse:
		out = append(out, Disagreement{SideToken, Refuse, Accept, e.TokenRule, e.TokenWhy})
	case !o.Token.Issued && e.Token == Accept:
		out = append(out, Disagreement{SideToken, Accept, Refuse, e.TokenRule, e.TokenWhy})
	}
	return out
}
