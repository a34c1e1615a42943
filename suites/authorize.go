package suites

// registerAuthorize registers the authorize checks.
func registerAuthorize(t *Target) {}
