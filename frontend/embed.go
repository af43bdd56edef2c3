// Package frontend hands the built web app (dist/, made by Vite from this folder's sources) to
// the server. The committed dist/.keep keeps `go build` working without Node; the server then
// shows a page saying how to build the app.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built web app.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded at build time; it is always there
	}
	return sub
}
