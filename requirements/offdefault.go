package requirements

import "slices"

// offByDefault are the requirements whose specs run only when a label
// filter names them: they wait (rfc6749.code-lifetime waits for a code to
// grow older than the profile's max_code_age).
var offByDefault = []ID{CodeLifetime}

// OffByDefault reports whether id is checked only when asked for by name.
func OffByDefault(id ID) bool { return slices.Contains(offByDefault, id) }

// OffByDefaultIDs returns the requirements checked only when asked for.
func OffByDefaultIDs() []ID { return slices.Clone(offByDefault) }
