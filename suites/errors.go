package suites

// registerErrors registers the errors checks.
func registerErrors(t *Target) {}
