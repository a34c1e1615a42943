package reports

import (
	"encoding/json"

	"github.com/pkcecheck/pkcecheck/internal/results"
)

// JSON renders results.json.
func JSON(run *results.Run) ([]byte, error) {
	if run.Results == nil {
		run.Results = []results.Result{}
	}
	data, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
