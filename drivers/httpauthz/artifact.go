package httpauthz

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pkcecheck/pkcecheck/profiles"
)

// maxArtifactIndex bounds the search for a free login-failure-<n> name.
const maxArtifactIndex = 10000

// savePage writes the page of a failed login into ArtifactDir as
// login-failure-<n>.html (the browser's names: n is the first free
// number), with the steps' fill values masked.
func (a *Authorizer) savePage(body []byte) (string, error) {
	dir := a.opts.ArtifactDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create artifact dir: %w", err)
	}
	s := string(body)
	for _, st := range append(append([]profiles.Step(nil), a.login.steps...), a.consent.steps...) {
		if st.Fill != "" && len(st.Value) >= 4 {
			s = strings.ReplaceAll(s, st.Value, "********")
		}
	}
	for n := 1; n <= maxArtifactIndex; n++ {
		path := filepath.Join(dir, fmt.Sprintf("login-failure-%d.html", n))
		if _, err := os.Stat(strings.TrimSuffix(path, ".html") + ".png"); err == nil {
			continue
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("save the page: %w", err)
		}
		_, werr := f.WriteString(s)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return "", fmt.Errorf("save the page: %w", werr)
		}
		return path, nil
	}
	return "", fmt.Errorf("no free login-failure-<n> name in %s", dir)
}
