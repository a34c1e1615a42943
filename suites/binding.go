package suites

// registerBinding registers the binding checks.
func registerBinding(t *Target) {}
