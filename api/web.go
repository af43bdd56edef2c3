package api

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

const notBuiltPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Steward 项目管家</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>Steward 项目管家</h1>
<p>The web app is not built into this binary. Run <code>make run</code> from the source tree
(it builds the web app and starts the server), or use the API at <a href="/api/v1">/api/v1</a>
(<a href="/openapi.json">OpenAPI document</a>).</p>
<p>前端尚未构建。请在源码目录运行 <code>make run</code>。</p>
</body></html>
`

// webApp serves the built single-page app: files as they are, any other path outside the API as
// index.html so that client-side routes load. Without a built app it serves a page that says so.
func webApp(dist fs.FS) http.Handler {
	if dist == nil {
		return notBuilt()
	}
	if _, err := fs.Stat(dist, "index.html"); err != nil {
		return notBuilt()
	}
	files := http.FileServerFS(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPIPath(r.URL.Path) {
			apiNotFound(w, r)
			return
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		st, err := fs.Stat(dist, name)
		found := name != "" && err == nil && !st.IsDir()
		switch {
		case found && strings.HasPrefix(name, "assets/"): // content-hashed names: a change is a new name
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		case !found && (strings.HasPrefix(name, "assets/") || path.Ext(name) != ""):
			// A missing file (an old build's chunk) is a 404, not the app's page under a script's name.
			http.NotFound(w, r)
			return
		default: // index.html, sw.js, the manifest: asked again each time, so a new build is seen
			w.Header().Set("Cache-Control", "no-cache")
		}
		if !found { // a client-side route: the app's page, which routes in the browser
			r = r.Clone(r.Context())
			r.URL.Path = "/"
		}
		files.ServeHTTP(w, r)
	})
}

func notBuilt() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPIPath(r.URL.Path) {
			apiNotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(notBuiltPage))
	})
}

func isAPIPath(p string) bool { return p == Prefix || strings.HasPrefix(p, Prefix+"/") }

// apiNotFound answers an unknown API path as the API answers everything: problem+json.
func apiNotFound(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, r, &Problem{Title: "Not Found", Status: http.StatusNotFound, Code: "not_found",
		Detail: "no such API operation: " + r.Method + " " + r.URL.Path})
}
