package dex

import "syscall"

// procAttr puts Dex in its own process group (so Stop can signal the
// group by PID) and has the kernel kill it if the Go process dies first.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
