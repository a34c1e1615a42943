package baseline

import (
	"reflect"
	"testing"

	"github.com/pkcecheck/pkcecheck/results"
)

func TestJudge(t *testing.T) {
	r := func(id, level string, s results.Status) results.Result {
		return results.Result{ID: id, Level: level, Status: s}
	}
	tests := []struct {
		name    string
		results []results.Result
		failOn  FailOn
		want    Verdict
		reason  string
	}{
		{"all pass", []results.Result{r("a", "MUST", results.Pass), r("b", "SHOULD", results.Pass)}, FailOnMust,
			Verdict{Code: ExitOK}, ""},
		{"no results", nil, FailOnShould, Verdict{Code: ExitOK}, ""},
		{"a fail", []results.Result{r("a", "MUST", results.Fail), r("b", "MUST", results.Pass)}, FailOnMust,
			Verdict{Code: ExitFailed, Failed: []string{"a"}}, "1 requirement(s) failed: a"},
		{"fail beats error", []results.Result{r("e", "MUST", results.Error), r("a", "MUST", results.Fail)}, FailOnMust,
			Verdict{Code: ExitFailed, Failed: []string{"a"}, Errored: []string{"e"}}, "1 requirement(s) failed: a"},
		{"error only", []results.Result{r("e", "MUST", results.Error), r("b", "MUST", results.Pass)}, FailOnMust,
			Verdict{Code: ExitError, Errored: []string{"e"}}, "1 requirement(s) could not be checked: e"},
		{"warn under must", []results.Result{r("w", "SHOULD", results.Warn)}, FailOnMust,
			Verdict{Code: ExitOK}, ""},
		{"warn under should", []results.Result{r("w", "SHOULD", results.Warn), r("m", "MUST", results.Warn)}, FailOnShould,
			Verdict{Code: ExitFailed, Failed: []string{"w", "m"}}, "2 requirement(s) failed: w, m"},
		{"warn under should beats error", []results.Result{r("e", "MUST", results.Error), r("w", "SHOULD", results.Warn)}, FailOnShould,
			Verdict{Code: ExitFailed, Failed: []string{"w"}, Errored: []string{"e"}}, "1 requirement(s) failed: w"},
		{"INFO warn never fails", []results.Result{r("info.error-iss", "INFO", results.Warn)}, FailOnShould,
			Verdict{Code: ExitOK}, ""},
		{"INFO by catalogue when level is missing", []results.Result{r("info.error-iss", "", results.Warn)}, FailOnShould,
			Verdict{Code: ExitOK}, ""},
		{"waived and skipped never count", []results.Result{r("a", "MUST", results.Waived), r("b", "MUST", results.Skip)}, FailOnShould,
			Verdict{Code: ExitOK}, ""},
		{"unknown threshold is must", []results.Result{r("w", "SHOULD", results.Warn)}, FailOn("may"),
			Verdict{Code: ExitOK}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := &results.Run{Results: tt.results}
			got := Judge(run, tt.failOn)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Judge = %+v, want %+v", got, tt.want)
			}
			if got.Reason() != tt.reason {
				t.Errorf("Reason = %q, want %q", got.Reason(), tt.reason)
			}
			if code := ExitStatus(run, tt.failOn); code != tt.want.Code {
				t.Errorf("ExitStatus = %d, want %d", code, tt.want.Code)
			}
		})
	}
}

func TestParseFailOn(t *testing.T) {
	tests := []struct {
		in      string
		want    FailOn
		wantErr bool
	}{
		{"", FailOnMust, false},
		{"must", FailOnMust, false},
		{"should", FailOnShould, false},
		{"MUST", "", true},
		{"warn", "", true},
	}
	for _, tt := range tests {
		got, err := ParseFailOn(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseFailOn(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
