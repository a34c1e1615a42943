package reports

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pkcecheck/pkcecheck/results"
)

// compileSchema compiles results.schema.json with format assertions on.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("parse results.schema.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("results.schema.json", doc); err != nil {
		t.Fatalf("add schema: %v", err)
	}
	s, err := c.Compile("results.schema.json")
	if err != nil {
		t.Fatalf("compile results.schema.json: %v", err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse instance: %v", err)
	}
	return s.Validate(inst)
}

func TestJSONMatchesSchema(t *testing.T) {
	s := compileSchema(t)
	runs := map[string]*results.Run{
		"sample (every status, waiver, notes)": sampleRun(),
		"hostile text":                         hostileRun(),
		"empty run":                            {Tool: results.Tool{Name: "pkcecheck"}, Policy: results.Policy{PKCERequired: "none", Plain: "forbidden", ErrorCodes: "strict"}},
	}
	for name, run := range runs {
		t.Run(name, func(t *testing.T) {
			data, err := JSON(run)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, s, data); err != nil {
				t.Fatalf("results.json does not match the schema: %v\n%s", err, data)
			}
		})
	}
	// The sample really has every status.
	seen := map[results.Status]bool{}
	for _, r := range sampleRun().Results {
		seen[r.Status] = true
	}
	if len(seen) != 6 {
		t.Fatalf("sample run covers statuses %v, want all six", seen)
	}
}

func TestJSONRoundTripAndShape(t *testing.T) {
	run := sampleRun()
	run.Results[0].Evidence = nil // must still be written as []
	data, err := JSON(run)
	if err != nil {
		t.Fatal(err)
	}
	if run.Results[0].Evidence != nil {
		t.Error("JSON changed its input")
	}
	if !bytes.Contains(data, []byte("<script>alert(1)</script>")) || bytes.Contains(data, []byte(`\u003c`)) {
		t.Error("results.json escapes HTML characters; evidence should stay readable")
	}
	var back results.Run
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	for i := range run.Results {
		if run.Results[i].Evidence == nil {
			run.Results[i].Evidence = []results.Evidence{}
		}
	}
	if !reflect.DeepEqual(&back, run) {
		t.Errorf("results.json does not read back to the run")
	}
	var raw struct {
		Results []map[string]json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	if string(raw.Results[0]["evidence"]) != "[]" {
		t.Errorf("nil evidence written as %s, want []", raw.Results[0]["evidence"])
	}
	for _, r := range raw.Results {
		if _, ok := r["waiver"]; ok != (string(r["status"]) == `"waived"`) {
			t.Errorf("result %s: waiver present = %v with status %s", r["id"], ok, r["status"])
		}
	}
}

// TestSchemaRejects makes sure the schema is not vacuous: each mutation of
// a valid results.json breaks one rule of docs/design.md.
func TestSchemaRejects(t *testing.T) {
	s := compileSchema(t)
	tests := []struct {
		name   string
		mutate func(m map[string]any)
	}{
		{"unknown status", func(m map[string]any) { result(m, 0)["status"] = "ok" }},
		{"unknown level", func(m map[string]any) { result(m, 0)["level"] = "MAY" }},
		{"missing evidence", func(m map[string]any) { delete(result(m, 0), "evidence") }},
		{"null evidence", func(m map[string]any) { result(m, 0)["evidence"] = nil }},
		{"evidence without response", func(m map[string]any) {
			delete(result(m, 0)["evidence"].([]any)[0].(map[string]any), "response")
		}},
		{"missing summary", func(m map[string]any) { delete(result(m, 0), "summary") }},
		{"bad id", func(m map[string]any) { result(m, 0)["id"] = "RFC 7636 verifier" }},
		{"waived without waiver", func(m map[string]any) { delete(waived(m), "waiver") }},
		{"waiver on a fail", func(m map[string]any) { result(m, 1)["waiver"] = waived(m)["waiver"] }},
		{"waiver without reason", func(m map[string]any) { delete(waived(m)["waiver"].(map[string]any), "reason") }},
		{"waiver with a bad date", func(m map[string]any) { waived(m)["waiver"].(map[string]any)["expires"] = "2026-13-01" }},
		{"INFO that fails", func(m map[string]any) { result(m, 0)["level"] = "INFO"; result(m, 0)["status"] = "fail" }},
		{"unknown policy value", func(m map[string]any) { m["policy"].(map[string]any)["plain"] = "maybe" }},
		{"negative count", func(m map[string]any) { m["stats"].(map[string]any)["logins"] = -1 }},
		{"missing stats", func(m map[string]any) { delete(m, "stats") }},
		{"unknown top-level field", func(m map[string]any) { m["verdict"] = "ok" }},
		{"bad generated time", func(m map[string]any) { m["generated"] = "yesterday" }},
		{"unknown note kind", func(m map[string]any) { m["notes"].([]any)[0].(map[string]any)["kind"] = "other" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := JSON(sampleRun())
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			result(m, 0)["status"] = "fail" // results 0 and 1 fail: MUST entries of the catalogue
			result(m, 1)["status"] = "fail"
			if err := validate(t, s, mustJSON(t, m)); err != nil {
				t.Fatalf("the unmutated document is invalid: %v", err)
			}
			tt.mutate(m)
			if err := validate(t, s, mustJSON(t, m)); err == nil {
				t.Fatal("the schema accepted it")
			}
		})
	}
}

func result(m map[string]any, i int) map[string]any {
	return m["results"].([]any)[i].(map[string]any)
}

func waived(m map[string]any) map[string]any {
	for _, r := range m["results"].([]any) {
		if r := r.(map[string]any); r["status"] == "waived" {
			return r
		}
	}
	panic("no waived result")
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestSchemaIsValidJSON(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(Schema(), &m); err != nil {
		t.Fatal(err)
	}
	if m["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", m["$schema"])
	}
	if !strings.Contains(string(Schema()), `"enum": ["MUST", "SHOULD", "INFO"]`) {
		t.Error("level enum missing")
	}
}
