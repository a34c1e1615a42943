package loginpage

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// SnapshotJS is a JavaScript expression that evaluates, in a browser page
// or frame, to the JSON text of the document's Page (FromJSON reads it),
// with the visibility layout gives: at least 10 px wide and high (or a
// checkbox/radio), not display:none, visibility:hidden or opacity < 0.1 on
// it or an ancestor; disabled and readonly as the DOM says; labels from
// control.labels and aria-labelledby; controls of open shadow roots marked
// Shadow. The element count is bounded by MaxControls.
//
//go:embed snapshot.js
var SnapshotJS string

// FromJSON reads the result of SnapshotJS.
func FromJSON(b []byte) (*Page, error) {
	var p Page
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("reading a page snapshot: %w", err)
	}
	return &p, nil
}
