package api

import (
	"testing"

	"steward/domain"
)

// FuzzTimeRange: the from/to query parameters of lists and statistics either parse (a date or
// an RFC 3339 instant, an empty one meaning unbounded) or are refused as a validation error
// naming the parameter, never a panic or another error.
func FuzzTimeRange(f *testing.F) {
	for _, s := range [][2]string{{"2026-10-01", "2026-11-01"}, {"", ""}, {"2026-02-30", ""}, {"2026-10-01T08:00:00+08:00", "x"},
		{"9999-12-31T23:59:59Z", "0000-01-01"}, {"' OR 1=1 --", "<script>"}, {"2026-10-01T08:00:00.123456789Z", "+2026-10-01"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		a, b, err := timeRange{From: from, To: to}.bounds()
		if err != nil {
			var de *domain.Error
			if domain.ErrorCode(err) != domain.EINVALID || !asError(err, &de) || len(de.Fields) != 1 ||
				(de.Fields[0].Field != "from" && de.Fields[0].Field != "to") {
				t.Fatalf("bounds(%q, %q): %v, want a validation error on from or to", from, to, err)
			}
			return
		}
		if (from == "" && !a.IsZero()) || (to == "" && !b.IsZero()) {
			t.Fatalf("bounds(%q, %q) = %v, %v: an empty bound must be unbounded", from, to, a, b)
		}
	})
}

func asError(err error, de **domain.Error) bool {
	e, ok := err.(*domain.Error)
	*de = e
	return ok
}
