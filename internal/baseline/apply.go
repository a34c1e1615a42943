package baseline

import (
	"fmt"
	"time"

	"github.com/pkcecheck/pkcecheck/results"
)

// Note is a remark about a waiver: expired or stale. Notes never change the
// exit status.
type Note = results.Note

// Apply applies b's waivers to run as of today:
//
//   - a fail or warn result matched by a live waiver (expires >= today,
//     inclusive) becomes waived and keeps the waiver (Result.Waiver);
//   - an expired waiver waives nothing and yields a note "waiver for X
//     expired on D";
//   - a live waiver whose requirement did not fail or warn (or was not
//     checked in this run) is stale and yields a note.
//
// The notes are appended to run.Notes and returned, in the baseline's order.
// Apply is idempotent: a result it already waived stays waived, without a
// note. A nil baseline changes nothing.
func Apply(run *results.Run, b *Baseline, today time.Time) []Note {
	if run == nil || b == nil {
		return nil
	}
	var notes []Note
	for _, w := range b.Waivers {
		r := find(run, w.ID)
		if !w.Live(today) {
			notes = append(notes, Note{Kind: results.NoteWaiverExpired, ID: w.ID,
				Text: fmt.Sprintf("waiver for %s expired on %s", w.ID, w.ExpiresString())})
			continue
		}
		switch {
		case r == nil:
			notes = append(notes, stale(w, "the requirement was not checked in this run"))
		case r.Status == results.Fail || r.Status == results.Warn:
			r.Waiver = &results.Waiver{Reason: w.Reason, Expires: w.ExpiresString(), Status: r.Status}
			r.Status = results.Waived
		case r.Status == results.Waived && r.Waiver != nil:
			// applied before
		default:
			notes = append(notes, stale(w, fmt.Sprintf("the requirement's status is %s", r.Status)))
		}
	}
	run.Notes = append(run.Notes, notes...)
	return notes
}

func stale(w Waiver, why string) Note {
	return Note{Kind: results.NoteWaiverStale, ID: w.ID,
		Text: fmt.Sprintf("waiver for %s is stale: %s; remove it from the baseline", w.ID, why)}
}

// find returns the result for id, or nil.
func find(run *results.Run, id string) *results.Result {
	for i := range run.Results {
		if run.Results[i].ID == id {
			return &run.Results[i]
		}
	}
	return nil
}
