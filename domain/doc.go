// Package domain says what Steward's business is: the district's departments, enterprises and
// (as they arrive) projects, assignments, visits and tickets; their rules and state machines; the
// errors the rest of the program speaks in; and the service interfaces that storage implements.
//
// It imports nothing of this module and no third-party package, so the rules can be read and
// tested without a database or an HTTP server.
package domain
