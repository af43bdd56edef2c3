package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"steward/api"
)

// get fetches path from srv as an anonymous caller, without following redirects.
func get(t *testing.T, srv *httptest.Server, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

var (
	scriptTag     = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	scriptSrc     = regexp.MustCompile(`(?i)<script\b[^>]*\bsrc="([^"]+)"`)
	stylesheet    = regexp.MustCompile(`(?i)<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"`)
	eventHandler  = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	absoluteURL   = regexp.MustCompile(`(?i)\bhttps?://[^\s"'<>()]+`)
	protoRelative = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*["']?//`)
)

func TestDocs(t *testing.T) {
	t.Parallel()
	// A built web app answers every other path with its index.html: /docs must still be the reference.
	app := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>app</title>")}}
	srv := httptest.NewServer(api.New(api.Config{WebApp: app}))
	defer srv.Close()

	res, page := get(t, srv, "/docs")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /docs: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Request-Id") == "" {
		t.Fatalf("GET /docs lacks the server's headers: %v", res.Header)
	}
	if !strings.Contains(page, "/docs/docs.js") || !strings.Contains(page, "/docs/docs.css") {
		t.Fatalf("the page does not reference /docs/docs.js and /docs/docs.css:\n%s", page)
	}

	// Under the server's Content-Security-Policy (script-src 'self') inline script would not run.
	for _, m := range scriptTag.FindAllStringSubmatch(page, -1) {
		if !strings.Contains(m[1], "src=") || strings.TrimSpace(m[2]) != "" {
			t.Errorf("inline script in the page: %s", m[0])
		}
	}
	if m := eventHandler.FindString(page); m != "" {
		t.Errorf("inline event handler in the page: %s", m)
	}

	srcs := scriptSrc.FindAllStringSubmatch(page, -1)
	hrefs := stylesheet.FindAllStringSubmatch(page, -1)
	if len(srcs) != 1 || len(hrefs) != 1 {
		t.Fatalf("want one script and one style sheet, got %v and %v", srcs, hrefs)
	}
	files := map[string]string{"/docs": page}
	for _, asset := range []struct{ url, prefix, contentType string }{
		{srcs[0][1], "/docs/docs.js", "text/javascript"},
		{hrefs[0][1], "/docs/docs.css", "text/css"},
	} {
		if !strings.HasPrefix(asset.url, asset.prefix) {
			t.Fatalf("asset %s, want %s", asset.url, asset.prefix)
		}
		res, body := get(t, srv, asset.url)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), asset.contentType) {
			t.Fatalf("GET %s: %d %q, want %s", asset.url, res.StatusCode, res.Header.Get("Content-Type"), asset.contentType)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("GET %s: Cache-Control %q, want a long cache", asset.url, cc)
		}
		// Without the version the page asks for, a cache must check back.
		res, _ = get(t, srv, asset.prefix)
		if cc := res.Header.Get("Cache-Control"); res.StatusCode != 200 || cc != "no-cache" {
			t.Errorf("GET %s: %d, Cache-Control %q, want no-cache", asset.prefix, res.StatusCode, cc)
		}
		res, _ = get(t, srv, asset.prefix, "If-None-Match", res.Header.Get("ETag"))
		if res.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag: %d, want 304", asset.prefix, res.StatusCode)
		}
		files[asset.prefix] = body
	}

	// Nothing is loaded from another host (isolated government networks), and the script
	// needs no 'unsafe-eval'.
	for name, body := range files {
		for _, u := range absoluteURL.FindAllString(body, -1) {
			if p, err := url.Parse(u); err != nil || p.Host != mustURL(t, srv.URL).Host {
				t.Errorf("%s refers to another host: %s", name, u)
			}
		}
		if m := protoRelative.FindString(body); m != "" {
			t.Errorf("%s refers to another host: %s", name, m)
		}
	}
	for _, bad := range []string{"eval(", "new Function", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"} {
		if strings.Contains(files["/docs/docs.js"], bad) {
			t.Errorf("docs.js uses %s", bad)
		}
	}

	// The page renders /openapi.json, which needs no login either.
	if res, _ := get(t, srv, "/openapi.json"); res.StatusCode != 200 {
		t.Fatalf("GET /openapi.json anonymously: %d", res.StatusCode)
	}
	if res, _ := get(t, srv, "/docs/"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/docs" {
		t.Errorf("GET /docs/: %d to %q, want a redirect to /docs", res.StatusCode, res.Header.Get("Location"))
	}
	if _, metrics := get(t, srv, "/metrics"); !strings.Contains(metrics, `steward_http_requests_total{operation="web-app",status="200"}`) {
		t.Errorf("the reference page is not counted as the web app:\n%s", metrics)
	}
}
