package main

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// The web app's typed client is generated from the committed copy of the OpenAPI document
// (frontend/src/api/openapi.json). When the server's document changes, the copy must follow, or
// the app is compiled against an API that no longer exists.
func TestWebClientSpecIsCurrent(t *testing.T) {
	t.Parallel()
	m, stdout, _ := run(t, map[string]string{}, "openapi")
	defer m.Close()
	committed, err := os.ReadFile("../../frontend/src/api/openapi.json")
	if err != nil {
		t.Fatalf("the web app's copy of the OpenAPI document is missing: %v\nregenerate it with `make client`", err)
	}
	var want, got any
	if err := json.Unmarshal([]byte(stdout.String()), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(committed, &got); err != nil {
		t.Fatalf("frontend/src/api/openapi.json is not JSON: %v\nregenerate it with `make client`", err)
	}
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if !bytes.Equal(w, g) {
		t.Fatal("frontend/src/api/openapi.json differs from what `steward openapi` prints: the API changed " +
			"and the web app's typed client is stale.\nRegenerate it with `make client` (or `cd frontend && npm run client`), " +
			"fix what the TypeScript compiler then reports (`cd frontend && npm run typecheck`), and commit both files.")
	}
}
