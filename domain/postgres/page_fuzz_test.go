package postgres

import (
	"slices"
	"testing"

	"github.com/google/uuid"

	"steward/domain"
)

// FuzzDecodeCursor: whatever a client sends as a cursor, decoding it either fails with the one
// validation error (422 on cursor) or gives a cursor of the list's shape whose id is valid, which
// encodes back to a cursor that decodes the same.
func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{encodeCursor(cursor{"苏州", "0190a000-0000-7000-8000-000000000001"}), "", "null", "W10", "WyJhIl0",
		encodeCursor(cursor{"a", "not-a-uuid"}), "%%%", encodeCursor(cursor{"2026-10-01T00:00:00Z", uuid.NewString()})} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = ((n%4)+4)%4 + 1
		c, err := decodeCursor(s, n, func(id string) bool { return uuid.Validate(id) == nil })
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("decodeCursor(%q): %v, want EINVALID", s, err)
			}
			return
		}
		if len(c) != n || uuid.Validate(c[n-1]) != nil {
			t.Fatalf("decodeCursor(%q, %d) = %q", s, n, c)
		}
		again, err := decodeCursor(encodeCursor(c), n, func(id string) bool { return uuid.Validate(id) == nil })
		if err != nil || !slices.Equal(again, c) {
			t.Fatalf("cursor %q does not survive a round trip: %q, %v", c, again, err)
		}
	})
}
