package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pkcecheck/pkcecheck/internal/links"
	"github.com/pkcecheck/pkcecheck/requirements"
)

// cmdList prints the requirement catalogue grouped by area; with --where,
// also where each requirement lives: its spec files, the reference
// provider's flaws that trip it and the fuzz oracle's rules that judge it.
func cmdList(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pkcecheck list", flag.ContinueOnError)
	where := fs.Bool("where", false, "also print each requirement's spec files, reference provider flaws and fuzz oracle rules")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *where {
		return listWhere(stdout)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for i, g := range requirements.ByArea() {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\n", g.Area)
		fmt.Fprintln(w, "  ID\tLEVEL\tSOURCE\tREQUIREMENT")
		for _, r := range g.Requirements {
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", r.ID, r.Level, r.Source, r.Text)
		}
	}
	return w.Flush()
}

// listWhere prints, per area, each requirement with its places (and the
// sweep probes among its specs, where it has some).
func listWhere(stdout io.Writer) error {
	byID := map[requirements.ID]links.Link{}
	for _, l := range links.All() {
		byID[l.Requirement.ID] = l
	}
	var b strings.Builder
	for i, g := range requirements.ByArea() {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n", g.Area)
		for _, r := range g.Requirements {
			l := byID[r.ID]
			fmt.Fprintf(&b, "  %s  %s  %s\n", r.ID, r.Level, r.Text)
			specs := make([]string, len(l.Specs))
			for i, s := range l.Specs {
				specs[i] = s.String()
			}
			rules := make([]string, len(l.Rules))
			for i, ru := range l.Rules {
				rules[i] = ru.Name
			}
			fmt.Fprintf(&b, "    specs: %s\n", orNone(specs))
			if len(l.Sweeps) > 0 {
				fmt.Fprintf(&b, "    sweeps: %s\n", strings.Join(l.Sweeps, "; "))
			}
			fmt.Fprintf(&b, "    flaws: %s\n", orNone(l.Flaws))
			fuzzed := orNone(rules)
			if len(rules) == 0 && l.NotFuzzed != "" {
				fuzzed = "- (not fuzzed: " + l.NotFuzzed + ")"
			}
			fmt.Fprintf(&b, "    fuzz:  %s\n", fuzzed)
		}
	}
	_, err := io.WriteString(stdout, b.String())
	return err
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}
