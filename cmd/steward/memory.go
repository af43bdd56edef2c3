package main

import (
	"runtime/debug"
)

// defaultMemoryLimit is the Go heap's soft limit when GOMEMLIMIT does not set one. Under load
// the collector otherwise lets the heap double between collections (GOGC=100) and the server's
// resident set passed 150 MB in `steward bench` (DESIGN.md §7 asks for ≤ 150 MB); near the
// limit the collector runs sooner and returns memory to the system. It is soft: a heap that
// needs more gets it.
const defaultMemoryLimit = 100 << 20

// setMemoryLimit applies defaultMemoryLimit unless the operator chose a limit (GOMEMLIMIT, which
// the Go runtime reads itself).
func setMemoryLimit(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
