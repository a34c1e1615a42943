package suites

// registerDowngrade registers the downgrade checks.
func registerDowngrade(t *Target) {}
