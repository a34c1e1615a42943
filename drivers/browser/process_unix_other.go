//go:build unix && !linux

package browser

import "syscall"

// setParentDeathSignal does nothing where the kernel has no parent-death
// signal; Close is the only cleanup there.
func setParentDeathSignal(*syscall.SysProcAttr) {}
