package baseline

import (
	"reflect"
	"testing"
	"time"

	"github.com/pkcecheck/pkcecheck/results"
)

func day(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestApply(t *testing.T) {
	today := time.Date(2027, 3, 31, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     results.Status // of rfc6749.no-store in the run; "" = not in the run
		waiver     Waiver
		wantStatus results.Status
		wantWaiver *results.Waiver
		wantNotes  []Note
	}{
		{"live waiver waives a fail", results.Fail,
			Waiver{ID: "rfc6749.no-store", Reason: "ticket 9", Expires: day("2027-04-30")},
			results.Waived, &results.Waiver{Reason: "ticket 9", Expires: "2027-04-30", Status: results.Fail}, nil},
		{"expiry day is inclusive", results.Fail,
			Waiver{ID: "rfc6749.no-store", Reason: "ticket 9", Expires: day("2027-03-31")},
			results.Waived, &results.Waiver{Reason: "ticket 9", Expires: "2027-03-31", Status: results.Fail}, nil},
		{"live waiver waives a warn", results.Warn,
			Waiver{ID: "rfc6749.no-store", Reason: "r"},
			results.Waived, &results.Waiver{Reason: "r", Status: results.Warn}, nil},
		{"expired waiver waives nothing", results.Fail,
			Waiver{ID: "rfc6749.no-store", Reason: "r", Expires: day("2027-03-30")},
			results.Fail, nil,
			[]Note{{Kind: results.NoteWaiverExpired, ID: "rfc6749.no-store", Text: "waiver for rfc6749.no-store expired on 2027-03-30"}}},
		{"expired waiver of a passing requirement", results.Pass,
			Waiver{ID: "rfc6749.no-store", Reason: "r", Expires: day("2026-01-01")},
			results.Pass, nil,
			[]Note{{Kind: results.NoteWaiverExpired, ID: "rfc6749.no-store", Text: "waiver for rfc6749.no-store expired on 2026-01-01"}}},
		{"stale: passed", results.Pass,
			Waiver{ID: "rfc6749.no-store", Reason: "r"},
			results.Pass, nil,
			[]Note{{Kind: results.NoteWaiverStale, ID: "rfc6749.no-store", Text: "waiver for rfc6749.no-store is stale: the requirement's status is pass; remove it from the baseline"}}},
		{"stale: error is not waived", results.Error,
			Waiver{ID: "rfc6749.no-store", Reason: "r"},
			results.Error, nil,
			[]Note{{Kind: results.NoteWaiverStale, ID: "rfc6749.no-store", Text: "waiver for rfc6749.no-store is stale: the requirement's status is error; remove it from the baseline"}}},
		{"stale: skipped", results.Skip,
			Waiver{ID: "rfc6749.no-store", Reason: "r"},
			results.Skip, nil,
			[]Note{{Kind: results.NoteWaiverStale, ID: "rfc6749.no-store", Text: "waiver for rfc6749.no-store is stale: the requirement's status is skip; remove it from the baseline"}}},
		{"stale: not checked", "",
			Waiver{ID: "rfc6749.no-store", Reason: "r"},
			"", nil,
			[]Note{{Kind: results.NoteWaiverStale, ID: "rfc6749.no-store", Text: "waiver for rfc6749.no-store is stale: the requirement was not checked in this run; remove it from the baseline"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := &results.Run{Results: []results.Result{{ID: "rfc7636.verifier-missing", Level: "MUST", Status: results.Fail}}}
			if tt.status != "" {
				run.Results = append(run.Results, results.Result{ID: "rfc6749.no-store", Level: "MUST", Status: tt.status, Summary: "s"})
			}
			notes := Apply(run, &Baseline{Waivers: []Waiver{tt.waiver}}, today)
			if !reflect.DeepEqual(notes, tt.wantNotes) {
				t.Errorf("notes = %+v, want %+v", notes, tt.wantNotes)
			}
			if !reflect.DeepEqual(run.Notes, tt.wantNotes) {
				t.Errorf("run.Notes = %+v, want %+v", run.Notes, tt.wantNotes)
			}
			if run.Results[0].Status != results.Fail || run.Results[0].Waiver != nil {
				t.Errorf("an unwaived requirement changed: %+v", run.Results[0])
			}
			if tt.status == "" {
				return
			}
			r := run.Results[1]
			if r.Status != tt.wantStatus || !reflect.DeepEqual(r.Waiver, tt.wantWaiver) || r.Summary != "s" {
				t.Errorf("result = %+v (waiver %+v), want status %s, waiver %+v", r, r.Waiver, tt.wantStatus, tt.wantWaiver)
			}
		})
	}
}

func TestApplyIdempotentAndNil(t *testing.T) {
	run := &results.Run{Results: []results.Result{{ID: "rfc6749.no-store", Status: results.Fail}}}
	b := &Baseline{Waivers: []Waiver{{ID: "rfc6749.no-store", Reason: "r"}}}
	today := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if notes := Apply(run, b, today); len(notes) != 0 {
		t.Fatalf("first Apply: notes %+v", notes)
	}
	if notes := Apply(run, b, today); len(notes) != 0 || run.Results[0].Status != results.Waived || run.Results[0].Waiver.Status != results.Fail {
		t.Fatalf("second Apply: notes %+v, result %+v", notes, run.Results[0])
	}
	if notes := Apply(run, nil, today); notes != nil {
		t.Fatalf("Apply with no baseline: %+v", notes)
	}
	if notes := Apply(nil, b, today); notes != nil {
		t.Fatalf("Apply to no run: %+v", notes)
	}
}
