//go:build unix && !linux

package process

import "syscall"

// Attr puts the child in its own process group (so StopGroup reaches its
// children too).
func Attr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
