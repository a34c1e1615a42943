package process

import "syscall"

// Attr puts the child in its own process group (so StopGroup reaches its
// children too) and kills it if the test process dies first.
func Attr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
