//go:build unix && !linux

package dex

import "syscall"

// procAttr puts Dex in its own process group, so Stop can signal the
// group by PID.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
