package api

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"time"
)

// DocsPath is where the API reference page is served. It renders the server's /openapi.json with
// files bundled into the binary (api/docs), never from a CDN: government networks are often
// isolated.
const DocsPath = "/docs"

//go:embed docs
var docsFS embed.FS

// docsFile is one bundled file of the reference page.
type docsFile struct {
	body        []byte
	contentType string
	// version is a hash of the content: the ETag, and the ?v= the page asks for, so that an
	// asset can be cached for a year and a new binary still serves its own.
	version string
}

func loadDocsFile(name, contentType string) docsFile {
	b, err := docsFS.ReadFile("docs/" + name)
	if err != nil {
		panic("api: bundled docs file missing: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return docsFile{body: b, contentType: contentType, version: hex.EncodeToString(sum[:8])}
}

// mountDocs serves the API reference at DocsPath, its script and its style sheet. They need no
// login, and count as the web app in the metrics (they are not API operations).
func mountDocs(mux *http.ServeMux) {
	js := loadDocsFile("docs.js", "text/javascript; charset=utf-8")
	css := loadDocsFile("docs.css", "text/css; charset=utf-8")
	index := loadDocsFile("index.html", "text/html; charset=utf-8")
	// The page names its assets by content, so a browser never mixes an old script with a new page.
	for _, r := range []struct{ url, version string }{{DocsPath + "/docs.js", js.version}, {DocsPath + "/docs.css", css.version}} {
		quoted := []byte(`"` + r.url + `"`)
		if !bytes.Contains(index.body, quoted) {
			panic("api: docs/index.html does not reference " + r.url)
		}
		index.body = bytes.ReplaceAll(index.body, quoted, []byte(`"`+r.url+"?v="+r.version+`"`))
	}
	sum := sha256.Sum256(index.body)
	index.version = hex.EncodeToString(sum[:8])

	mux.Handle("GET "+DocsPath, serveDocsFile(index, false))
	mux.Handle("GET "+DocsPath+"/{$}", http.RedirectHandler(DocsPath, http.StatusMovedPermanently))
	mux.Handle("GET "+DocsPath+"/docs.js", serveDocsFile(js, true))
	mux.Handle("GET "+DocsPath+"/docs.css", serveDocsFile(css, true))
}

// serveDocsFile answers with f. An asset asked for by its current version is cached for a year;
// anything else is revalidated (the ETag makes that cheap).
func serveDocsFile(f docsFile, asset bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoFrom(r.Context()); info != nil {
			info.operation = "web-app"
		}
		h := w.Header()
		h.Set("Content-Type", f.contentType)
		h.Set("ETag", `"`+f.version+`"`)
		if asset && r.URL.Query().Get("v") == f.version {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
	})
}
