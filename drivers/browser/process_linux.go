package browser

import "syscall"

// setParentDeathSignal makes the kernel SIGKILL Chromium when this process
// dies, so even os.Exit or a crash does not leave a browser running.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
