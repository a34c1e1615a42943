//go:build unix && !linux

package hydra

import "syscall"

// procAttr puts the provider in its own process group, so Stop can signal the
// group by PID.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
