//go:build !unix

package browser

import (
	"os/exec"
	"time"
)

// On systems without process groups Close relies on chromedp killing the
// main process.
func setProcessGroup(*exec.Cmd)           {}
func killGroup(int)                       {}
func processAlive(int) bool               { return false }
func processesUsing(string) []int         { return nil }
func killLeftovers(string, time.Duration) {}
