package suites

// registerMetadata registers the metadata checks.
func registerMetadata(t *Target) {}
