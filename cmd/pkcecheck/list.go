package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/pkcecheck/pkcecheck/requirements"
)

// cmdList prints the requirement catalogue.
func cmdList(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usageErr("list takes no arguments")
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tLEVEL\tSOURCE\tREQUIREMENT")
	for _, r := range requirements.All() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.ID, r.Level, r.Source, r.Text)
	}
	return w.Flush()
}
