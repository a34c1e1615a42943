package fuzz

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pkcecheck/pkcecheck/requirements"
)

// Target is the server under test, one request at a time.
type Target interface {
	// Authorize sends an authorization request with the registration's PKCE
	// parameters and returns what came back, with the code if one was
	// issued. An error means the target could not be exercised.
	Authorize(ctx context.Context, r Registration) (AuthOutcome, string, error)
	// Token redeems code with the given code_verifier values (nil: the
	// parameter is omitted). An error means no answer was obtained.
	Token(ctx context.Context, code string, verifiers []string) (TokenOutcome, error)
}

// Defaults of Config.
const (
	DefaultBudget        = 150
	DefaultMaxShrink     = 30
	DefaultProgressEvery = 25
)

// Config configures a campaign.
type Config struct {
	Seed uint64
	// Budget is the number of token-endpoint cases (DefaultBudget if ≤ 0).
	// Cases refused at /authorize do not count; at most Budget of them are
	// run as such, after which only cases the oracle says /authorize must
	// accept are generated (and the campaign ends if the server refuses
	// another Budget of those).
	Budget int
	// MaxShrink bounds the extra runs spent shrinking one finding
	// (DefaultMaxShrink if ≤ 0).
	MaxShrink int
	Policy    Policy
	// Progress receives one line every ProgressEvery token cases (nil:
	// none).
	Progress      io.Writer
	ProgressEvery int
	// Deadline, when set, ends the campaign at the first case that would
	// start after it (whichever of Budget and Deadline comes first; a
	// finding being shrunk is finished, within MaxShrink runs).
	Deadline time.Time
}

// Stats count a campaign's work.
type Stats struct {
	TokenCases    int   `json:"token_cases"`
	AuthorizeOnly int   `json:"authorize_only_cases"`
	ShrinkRuns    int   `json:"shrink_cases"`
	CodesMinted   int   `json:"codes_minted"`
	DurationMS    int64 `json:"duration_ms"`
	// ServerErrors counts the generated cases answered with HTTP 5xx, at
	// /authorize or /token. A server error is never a pass: where the
	// oracle expects a refusal it is not a finding, but the summary says so.
	ServerErrors int `json:"server_errors,omitempty"`
}

// Cases is the number of cases run, shrink candidates included.
func (s Stats) Cases() int { return s.TokenCases + s.AuthorizeOnly + s.ShrinkRuns }

// Result is what a campaign found.
type Result struct {
	Seed     uint64     `json:"seed"`
	Budget   int        `json:"budget"`
	Stats    Stats      `json:"stats"`
	Findings []*Finding `json:"findings"`
	// Stopped says why the campaign ended before its budget was spent
	// ("" when it was spent): the deadline (--duration) came first.
	Stopped string `json:"stopped,omitempty"`
}

// Finding is one root cause, shown by one or more raw cases and shrunk.
type Finding struct {
	ID    string `json:"id"`
	Group string `json:"group"`
	Title string `json:"title"`
	// Rule is the oracle rule the shrunk case breaks; Requirement and
	// Level are its catalogue entry's, the level `pkcecheck run` gives it.
	Rule        string             `json:"rule"`
	Requirement requirements.ID    `json:"requirement"`
	Level       requirements.Level `json:"level"`
	// Severity is Level in lower case ("must", "should"), as findings.json
	// has always carried it.
	Severity string `json:"severity"`
	Side     string `json:"side"`
	// RawCases is how many generated cases fell into the group.
	RawCases  int       `json:"raw_cases"`
	FirstSeen FirstSeen `json:"first_seen"`
	// Case is the shrunk case, Original the first raw case of the group.
	Case     Case        `json:"-"`
	Original Case        `json:"-"`
	Expected Expectation `json:"-"`
	Observed Observation `json:"-"`
	Shrink   ShrinkStats `json:"shrink"`
	// Interrupted is set when shrinking was cut short by the end of the
	// campaign (SIGINT); Case is then the smallest found so far.
	Interrupted bool `json:"interrupted,omitempty"`
	// Client names the client the finding was found with (role, id and
	// authentication method) in a campaign over several clients
	// (RunClients); its reproducer authenticates as that client.
	Client   string    `json:"client,omitempty"`
	endpoint *Endpoint // the client's endpoint, for the reproducer
}

// FirstSeen says when a group's first raw case ran.
type FirstSeen struct {
	Case       int   `json:"case"`        // its sequence number
	TokenCases int   `json:"token_cases"` // token cases run by then
	ElapsedMS  int64 `json:"elapsed_ms"`  // since the campaign began
}

// ShrinkStats say how a finding was shrunk. A group reached from raw cases
// of different shapes is shrunk once per shape (each time with at most
// Config.MaxShrink runs), and keeps the smallest result.
type ShrinkStats struct {
	Runs    int `json:"cases"`   // candidates run, over all shrinks
	Shrinks int `json:"shrinks"` // raw cases shrunk
	Kept    int `json:"kept"`    // candidates kept by the shrink whose result is shown
	// Boundary is, for a prefix comparison, the first position at which
	// differences are ignored.
	Boundary int `json:"boundary,omitempty"`
}

// Run runs a campaign against t: cases from the seeded generator, each with
// its own fresh code, judged by the oracle; every disagreement whose group
// is new is shrunk against t. It returns what was found also when ctx ends
// (SIGINT) or t fails, together with that error.
func Run(ctx context.Context, t Target, cfg Config) (*Result, error) {
	if cfg.Budget <= 0 {
		cfg.Budget = DefaultBudget
	}
	if cfg.MaxShrink <= 0 {
		cfg.MaxShrink = DefaultMaxShrink
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = DefaultProgressEvery
	}
	c := &campaign{
		t: t, cfg: cfg, start: time.Now(),
		res:   &Result{Seed: cfg.Seed, Budget: cfg.Budget, Findings: []*Finding{}},
		byRaw: map[string]*Finding{}, byGroup: map[string]*Finding{},
	}
	err := c.loop(ctx)
	c.res.Stats.DurationMS = time.Since(c.start).Milliseconds()
	return c.res, err
}

type campaign struct {
	t       Target
	cfg     Config
	start   time.Time
	res     *Result
	byRaw   map[string]*Finding // tentative group of a raw case → finding
	byGroup map[string]*Finding
}

func (c *campaign) loop(ctx context.Context) error {
	gen := NewGenerator(c.cfg.Seed)
	st := &c.res.Stats
	skipped := 0
	for st.TokenCases < c.cfg.Budget {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !c.cfg.Deadline.IsZero() && time.Now().After(c.cfg.Deadline) {
			c.res.Stopped = fmt.Sprintf("the time limit came first, after %d of %d token cases", st.TokenCases, c.cfg.Budget)
			return nil
		}
		cs := gen.Next()
		exp := Expect(cs, c.cfg.Policy)
		if st.AuthorizeOnly >= c.cfg.Budget {
			if st.AuthorizeOnly >= 2*c.cfg.Budget {
				return nil // the server refuses even valid registrations: findings say so
			}
			if exp.Authorize == Refuse {
				if skipped++; skipped > 100*c.cfg.Budget {
					return nil
				}
				continue
			}
		}
		obs, err := c.exec(ctx, cs)
		if err != nil {
			return err
		}
		if obs.ServerError() {
			st.ServerErrors++
		}
		if obs.Token == nil {
			st.AuthorizeOnly++
		} else {
			st.TokenCases++
			if st.TokenCases%c.cfg.ProgressEvery == 0 {
				c.progress()
			}
		}
		for _, d := range Judge(exp, obs) {
			if err := c.record(ctx, cs, exp, obs, d); err != nil {
				return err
			}
		}
	}
	return nil
}

// exec runs one case: the authorization request, then (if a code came
// back) the token request.
func (c *campaign) exec(ctx context.Context, cs Case) (Observation, error) {
	ao, code, err := c.t.Authorize(ctx, cs.Registration())
	if err != nil {
		return Observation{}, fmt.Errorf("case %d: authorize: %w", cs.Seq, err)
	}
	obs := Observation{Authorize: ao}
	if code == "" {
		return obs, nil
	}
	c.res.Stats.CodesMinted++
	to, err := c.t.Token(ctx, code, cs.SentVerifiers())
	if err != nil {
		return obs, fmt.Errorf("case %d: token request: %w", cs.Seq, err)
	}
	obs.Token = &to
	return obs, nil
}

func (c *campaign) progress() {
	if c.cfg.Progress == nil {
		return
	}
	st := c.res.Stats
	fmt.Fprintf(c.cfg.Progress, "fuzz: %d/%d token cases, %d refused at /authorize, %d shrink cases, %d finding(s), %.1f s\n",
		st.TokenCases, c.cfg.Budget, st.AuthorizeOnly, st.ShrinkRuns, len(c.res.Findings), time.Since(c.start).Seconds())
}

// record files a disagreement under its group, shrinking it first when its
// tentative group is new.
func (c *campaign) record(ctx context.Context, cs Case, exp Expectation, obs Observation, d Disagreement) error {
	tentative, _ := Classify(cs, d, -1)
	rawKey := d.Side + "/" + string(d.Observed) + "/" + tentative
	if f := c.byRaw[rawKey]; f != nil {
		f.RawCases++
		return nil
	}
	seen := FirstSeen{Case: cs.Seq, TokenCases: c.res.Stats.TokenCases, ElapsedMS: time.Since(c.start).Milliseconds()}
	last := struct {
		exp Expectation
		obs Observation
		d   Disagreement
	}{exp, obs, d}
	holds := func(ctx context.Context, cand Case) (bool, error) {
		c.res.Stats.ShrinkRuns++
		o, err := c.exec(ctx, cand)
		if err != nil {
			return false, err
		}
		e := Expect(cand, c.cfg.Policy)
		for _, d2 := range Judge(e, o) {
			if d2.sameKind(d) {
				last.exp, last.obs, last.d = e, o, d2
				return true, nil
			}
		}
		return false, nil
	}
	sr, err := Shrink(ctx, cs, holds, c.cfg.MaxShrink)
	group, title := Classify(sr.Case, last.d, sr.Boundary)
	f := c.byGroup[group]
	if f == nil {
		f = &Finding{
			ID: fmt.Sprintf("F%d", len(c.res.Findings)+1), Group: group, Side: d.Side, FirstSeen: seen, Original: cs,
		}
		c.byGroup[group] = f
		c.res.Findings = append(c.res.Findings, f)
	}
	f.RawCases++
	c.byRaw[rawKey] = f
	if f.Case.Seq == 0 || SizeOf(sr.Case).Less(SizeOf(f.Case)) {
		f.Title, f.Case, f.Expected, f.Observed = title, sr.Case, last.exp, last.obs
		f.Rule, f.Requirement, f.Level = last.d.Rule.Name, last.d.Requirement(), last.d.Level()
		f.Severity = strings.ToLower(string(f.Level))
		f.Shrink = ShrinkStats{Runs: f.Shrink.Runs + sr.Runs, Shrinks: f.Shrink.Shrinks + 1, Kept: sr.Kept}
		if group == GroupPrefixCompare {
			f.Shrink.Boundary = sr.Boundary
		}
		f.Interrupted = err != nil
	} else {
		f.Shrink.Runs += sr.Runs
		f.Shrink.Shrinks++
	}
	return err
}
