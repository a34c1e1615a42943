package reports

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/pkcecheck/pkcecheck/results"
)

// JSON renders results.json (docs/design.md; results.schema.json describes it).
// results and every evidence list are arrays, never null; <, > and & are
// written as themselves so that evidence stays readable. run is not changed.
func JSON(run *results.Run) ([]byte, error) {
	out := *run
	out.Results = make([]results.Result, len(run.Results))
	for i, r := range run.Results {
		if r.Evidence == nil {
			r.Evidence = []results.Evidence{}
		}
		out.Results[i] = r
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&out); err != nil {
		return nil, fmt.Errorf("encode results.json: %w", err)
	}
	return b.Bytes(), nil
}
