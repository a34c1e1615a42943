package reports

import (
	"github.com/pkcecheck/pkcecheck/requirements"
	"github.com/pkcecheck/pkcecheck/results"
)

// areaOther holds results whose ID is not in this build's catalogue (a
// results.json from another version).
const areaOther = "Other"

// areaResults are the results of one area of the catalogue.
type areaResults struct {
	Area    string
	Results []results.Result
}

// byArea groups results by the area of their requirement, the areas in the
// catalogue's report order and the results of each in run order, so that a
// long catalogue stays readable. Areas without results are left out;
// results outside the catalogue come last, under "Other".
func byArea(rs []results.Result) []areaResults {
	groups := map[string][]results.Result{}
	for _, r := range rs {
		a := string(requirements.AreaOf(requirements.ID(r.ID)))
		if a == "" {
			a = areaOther
		}
		groups[a] = append(groups[a], r)
	}
	var out []areaResults
	for _, a := range requirements.Areas() {
		if g := groups[string(a)]; len(g) > 0 {
			out = append(out, areaResults{string(a), g})
		}
	}
	if g := groups[areaOther]; len(g) > 0 {
		out = append(out, areaResults{areaOther, g})
	}
	return out
}
