package browser

import (
	"context"
	"time"
)

// pageMessages reads the visible alert and error texts of the top document
// (loginpage's Page.Messages: role=alert, aria-live regions, the error
// containers of known login pages), with every typed value masked: when a
// login stops, the provider's own words ("Password is incorrect") say why.
func (r *run) pageMessages() []string {
	ctx, cancel := context.WithTimeout(r.opCtx, min(r.b.opts.StepTimeout, 2*time.Second))
	defer cancel()
	pg, err := r.snapshot(ctx, "")
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(pg.Messages))
	for _, m := range pg.Messages {
		out = append(out, r.b.maskFillValues(m))
	}
	return out
}
