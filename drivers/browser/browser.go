package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"
)

// hostResolverRules stop Chromium's own background look-ups.
const hostResolverRules = "MAP *.google.com ~NOTFOUND, MAP *.googleapis.com ~NOTFOUND, MAP *.gvt1.com ~NOTFOUND"

// resolverRules is hostResolverRules plus extra rules (tests map a second
// host name to 127.0.0.1 to get an iframe of another site).
func resolverRules(extra string) string {
	if extra == "" {
		return hostResolverRules
	}
	return hostResolverRules + ", " + extra
}

// Bounds of the clean-up in Close.
const (
	closeWait     = 10 * time.Second
	leftoverLimit = 2 * time.Second
	cdpTimeout    = 5 * time.Second // for housekeeping commands (fetch, screenshots)
)

// Browser is a running headless Chromium with one tab, used to log in to a
// target and mint authorization codes. See the package doc for the
// concurrency rules.
type Browser struct {
	opts Options
	exe  string
	dir  string // temp --user-data-dir, removed by Close
	pid  int
	cmd  atomic.Pointer[exec.Cmd] // Chromium's command, set when chromedp builds it

	allocCancel context.CancelFunc
	tabCtx      context.Context // the tab; its first call started Chromium
	tabCancel   context.CancelFunc
	lost        <-chan struct{} // closed when the DevTools connection drops

	icpt *interceptor

	mu       sync.Mutex // serializes Authorize
	markPrev bool       // (under mu) the tab shows a page the next call must ignore
	logins   atomic.Int64
	failures atomic.Int64 // login failures whose artifacts were saved

	steps StepLog // the login and consent steps taken, for the report

	maskMu sync.Mutex
	masked []string // values typed that are not in the steps (TOTP codes): masked in saved pages

	closing   chan struct{} // closed when Close starts
	closeOnce sync.Once
	closeErr  error
}

// Start launches headless Chromium with a fresh temporary profile directory
// and opens its tab. ctx bounds the start only (with Options.StartTimeout);
// the browser runs until Close. If Start fails it leaves no process and no
// directory behind.
func Start(ctx context.Context, opts Options) (*Browser, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	exe, err := resolveExecPath(opts.ExecPath)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	dir, err := os.MkdirTemp(tempBase(), "pkcecheck-")
	if err != nil {
		return nil, fmt.Errorf("start chromium: create profile dir: %w", err)
	}
	b := &Browser{opts: opts, exe: exe, dir: dir, closing: make(chan struct{})}
	// Chromium keeps its profile, HOME and TMPDIR (where it puts its own
	// org.chromium.* scratch dirs) inside dir, so removing dir removes
	// everything it wrote, even after a SIGKILL.
	profileDir, tmpDir := filepath.Join(dir, "profile"), filepath.Join(dir, "t")
	for _, d := range []string{profileDir, tmpDir} {
		if err := os.Mkdir(d, 0o700); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("start chromium: create %s: %w", d, err)
		}
	}
	if len(opts.CACerts) > 0 {
		if err := installCAs(ctx, dir, opts.CACerts); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("start chromium: %w", err)
		}
	}
	began := time.Now()
	output := &tailBuffer{max: 2048}
	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profileDir),
		// The process environment may hold the profile's secrets (${VAR}):
		// Chromium gets only what it needs.
		chromedp.NoInheritEnv,
		chromedp.Env("PATH="+os.Getenv("PATH"), "HOME="+dir, "TMPDIR="+tmpDir),
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("host-resolver-rules", resolverRules(opts.extraResolverRules)),
		chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			setProcessGroup(cmd)
			b.cmd.Store(cmd)
		}),
		chromedp.CombinedOutput(output),
	)
	if opts.IgnoreCertErrors {
		allocOpts = append(allocOpts, chromedp.Flag("ignore-certificate-errors", true))
	}
	// The browser outlives Start's ctx: only Close stops it.
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx), allocOpts...)
	b.allocCancel = allocCancel
	quiet := func(string, ...any) {} // chromedp's messages may quote page data
	b.tabCtx, b.tabCancel = chromedp.NewContext(allocCtx, chromedp.WithLogf(quiet), chromedp.WithErrorf(quiet))

	if err := b.open(ctx); err != nil {
		b.Close()
		if tail := output.String(); tail != "" && !strings.Contains(err.Error(), tail) {
			err = fmt.Errorf("%w; chromium said: %s", err, tail)
		}
		return nil, fmt.Errorf("start chromium %s: %w", exe, err)
	}
	opts.Logf("browser: chromium started in %d ms (pid %d)", time.Since(began).Milliseconds(), b.pid)
	return b, nil
}

// open starts Chromium through the tab's first call (which ties the
// browser's life to tabCtx, not to ctx), then turns on the interception of
// redirects.
func (b *Browser) open(ctx context.Context) error {
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(b.tabCtx) }()
	timer := time.NewTimer(b.opts.StartTimeout)
	defer timer.Stop()
	var err error
	returned := false
	select {
	case err = <-started:
		returned = true
	case <-timer.C:
		err = fmt.Errorf("no DevTools connection after %v", b.opts.StartTimeout)
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		// Kill a browser still starting, with what it started (its output
		// pipe stays open while a child lives), then let Do return.
		for _, pid := range processesUsing(b.dir) {
			killGroup(pid)
		}
		b.allocCancel()
		if !returned {
			select {
			case <-started:
				returned = true
			case <-time.After(closeWait):
			}
		}
		// Once Do has returned chromedp is done with the command: its
		// Process can be read, to kill what the browser started.
		if cmd := b.cmd.Load(); returned && cmd != nil && cmd.Process != nil {
			b.pid = cmd.Process.Pid
		}
		return err
	}
	b.notePID()
	c := chromedp.FromContext(b.tabCtx)
	b.lost = c.Browser.LostConnection
	b.icpt = newInterceptor()
	if err := b.icpt.start(b.tabCtx); err != nil {
		return fmt.Errorf("enable redirect interception: %w", err)
	}
	return nil
}

// notePID records Chromium's PID once chromedp knows it.
func (b *Browser) notePID() {
	if c := chromedp.FromContext(b.tabCtx); c != nil && c.Browser != nil {
		if p := c.Browser.Process(); p != nil {
			b.pid = p.Pid
		}
	}
}

// Logins returns the number of times the login steps were performed (all
// steps done and the form submitted), over the life of the Browser.
func (b *Browser) Logins() int { return int(b.logins.Load()) }

// PID returns Chromium's process ID (for tests).
func (b *Browser) PID() int { return b.pid }

// UserDataDir returns the temporary profile directory (for tests).
func (b *Browser) UserDataDir() string { return b.dir }

// Close kills Chromium (SIGKILL to its process group, then any helper that
// still uses the profile directory) and removes the temporary profile
// directory, even if Chromium already died. It is idempotent and safe to call
// from another goroutine (a signal handler) while Authorize runs: that call
// returns an error. It does not wait for a running Authorize to return.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() { b.closeErr = b.shutdown() })
	return b.closeErr
}

// shutdown does the work of Close once.
func (b *Browser) shutdown() error {
	close(b.closing)
	killGroup(b.pid)
	if b.tabCancel != nil {
		b.tabCancel()
	}
	var errs []error
	if b.allocCancel != nil {
		alloc := chromedp.FromContext(b.tabCtx).Allocator
		b.allocCancel()
		// Wait until chromedp has reaped the process (no zombie stays).
		done := make(chan struct{})
		go func() { alloc.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(closeWait):
			errs = append(errs, fmt.Errorf("chromium (pid %d) did not exit within %v", b.pid, closeWait))
		}
	}
	killLeftovers(b.dir, leftoverLimit)
	if err := removeAllRetry(b.dir); err != nil {
		errs = append(errs, fmt.Errorf("remove chromium profile dir: %w", err))
	}
	if len(errs) == 0 {
		b.opts.Logf("browser: closed")
	}
	return errors.Join(errs...)
}

// removeAllRetry removes dir, retrying while late writes of exiting
// Chromium helpers make RemoveAll fail.
func removeAllRetry(dir string) error {
	if dir == "" {
		return nil
	}
	var err error
	for i := 0; i < 20; i++ {
		if err = os.RemoveAll(dir); err == nil {
			if _, statErr := os.Stat(dir); errors.Is(statErr, os.ErrNotExist) {
				return nil
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	if err == nil {
		err = fmt.Errorf("%s still exists", dir)
	}
	return err
}

// isClosing reports whether Close has started.
func (b *Browser) isClosing() bool {
	select {
	case <-b.closing:
		return true
	default:
		return false
	}
}

// tailBuffer keeps the last max bytes written to it (Chromium's output, for
// start errors).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}

// maxTempBase bounds the temp directory Chromium's scratch dirs go under:
// Chromium puts a Unix socket at <tmp>/org.chromium.Chromium.XXXXXX/SingletonSocket,
// and a socket path has at most 107 bytes.
const maxTempBase = 36

// tempBase is os.TempDir, or /tmp when that is too long for Chromium.
func tempBase() string {
	if d := os.TempDir(); len(d) <= maxTempBase {
		return d
	}
	return "/tmp"
}
