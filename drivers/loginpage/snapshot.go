package loginpage

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// SnapshotJS is a JavaScript expression that evaluates, in a browser page
// or frame, to the JSON text of the document's Page (FromJSON reads it),
// with the visibility layout gives: at least 10 px wide and high (or a
// checkbox/radio), not display:none, visibility:hidden or opacity < 0.1 on
// it or an ancestor; disabled and readonly as the DOM says; labels from
// control.labels and aria-labelledby; controls of open shadow roots marked
// Shadow. The element count is bounded by MaxControls.
//
// Evaluate it with chromedp.Evaluate into a string and pass that to
// FromJSON. It reads the document it runs in only; a driver feeds each frame
// of Page.Frames separately (and sets Page.Frame).
var SnapshotJS = strings.Replace(snapshotSource, "/*CONFIG*/null", snapshotConfig(), 1)

//go:embed snapshot.js
var snapshotSource string

// snapshotConfig is the JSON of the lists FromHTML uses too, for the script.
func snapshotConfig() string {
	var attrs []string
	for k := range testAttrNames {
		attrs = append(attrs, k)
	}
	sort.Strings(attrs)
	b, err := json.Marshal(map[string]any{
		"testAttrs": attrs, "messageClasses": messageClasses, "roles": controlRoles,
		"maxControls": MaxControls, "maxLinks": MaxLinks, "maxText": MaxText,
	})
	if err != nil {
		panic(err) // static data
	}
	return string(b)
}

// FromJSON reads the result of SnapshotJS.
func FromJSON(b []byte) (*Page, error) {
	var p Page
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("reading a page snapshot: %w", err)
	}
	// empty lists and maps read as absent, as FromHTML leaves them
	for i := range p.Controls {
		c := &p.Controls[i]
		if len(c.Attrs) == 0 {
			c.Attrs = nil
		}
		if c.Form < -1 || c.Form >= len(p.Forms) {
			return nil, fmt.Errorf("reading a page snapshot: control %d (%s) names form %d of %d", i, c.Path, c.Form, len(p.Forms))
		}
		if c.Path == "" {
			return nil, fmt.Errorf("reading a page snapshot: control %d has no path", i)
		}
	}
	for i := range p.Forms {
		if len(p.Forms[i].Attrs) == 0 {
			p.Forms[i].Attrs = nil
		}
	}
	if len(p.Messages) == 0 {
		p.Messages = nil
	}
	if len(p.Frames) == 0 {
		p.Frames = nil
	}
	return &p, nil
}
