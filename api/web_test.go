package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"steward/api"
)

func TestWebAppServesTheBuiltAppWithClientRoutes(t *testing.T) {
	t.Parallel()
	app := fstest.MapFS{
		"index.html":           {Data: []byte("<!doctype html><title>app</title>")},
		"sw.js":                {Data: []byte("self.x=1")},
		"assets/index-abc.js":  {Data: []byte("console.log(1)")},
		"manifest.webmanifest": {Data: []byte("{}")},
	}
	srv := httptest.NewServer(api.New(api.Config{WebApp: app}))
	defer srv.Close()

	for _, path := range []string{"/", "/visits/new", "/enterprises/0193f0c2-7a4e-7000-8000-000000000001"} {
		res, body := get(t, srv, path)
		if res.StatusCode != 200 || !strings.Contains(body, "<title>app</title>") {
			t.Errorf("GET %s: %d %q, want the app's index.html (a client-side route)", path, res.StatusCode, body)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache so that a new build is picked up", path, cc)
		}
	}
	res, body := get(t, srv, "/assets/index-abc.js")
	if res.StatusCode != 200 || body != "console.log(1)" || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET an asset: %d %q cache %q, want it with a long immutable cache", res.StatusCode, body, res.Header.Get("Cache-Control"))
	}
	res, _ = get(t, srv, "/sw.js")
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("GET /sw.js: %d cache %q, want no-cache (a stale service worker would keep an old app)", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if res, body := get(t, srv, "/assets/gone-123.js"); res.StatusCode != 404 || strings.Contains(body, "<title>app</title>") {
		t.Errorf("GET a missing asset: %d %q, want 404 and not the app page", res.StatusCode, body)
	}
	if res, body := get(t, srv, "/api/v1/nothing-here"); res.StatusCode != 404 || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("GET an unknown API path: %d %q %q, want a problem+json 404", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if res, body := get(t, srv, "/docs"); res.StatusCode != 200 || strings.Contains(body, "<title>app</title>") {
		t.Errorf("GET /docs: %d, want the API reference, not the app", res.StatusCode)
	}
}
