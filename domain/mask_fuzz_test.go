package domain_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"steward/domain"
)

// FuzzMaskPhone: a masked number keeps its length, shows at most its first three and last four
// characters (its last two when short), and never the ones between.
func FuzzMaskPhone(f *testing.F) {
	for _, s := range []string{"13812341234", "0512-66881234", "", "123", "1234567", "＋86 138 1234 1234", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		m := domain.MaskPhone(s)
		r, mr := []rune(s), []rune(m)
		if len(mr) != len(r) {
			t.Fatalf("MaskPhone(%q) = %q: another length", s, m)
		}
		shown := 2
		if len(r) >= 7 {
			shown = 7
		}
		hidden := 0
		for _, c := range mr {
			if c == '*' {
				hidden++
			}
		}
		if len(r) > shown && hidden < len(r)-shown {
			t.Fatalf("MaskPhone(%q) = %q shows more than %d characters", s, m, shown)
		}
	})
}

// FuzzMaskPhonesInJSON: whatever the audit record, the masked one is JSON, and a phone number
// under a phone key never comes through whole.
func FuzzMaskPhonesInJSON(f *testing.F) {
	for _, s := range []string{`{"phone":"13812341234"}`, `{"contacts":[{"name":"王","phone":"13812341234"}]}`,
		`{"mobile":{"x":"13812341234"}}`, `[1,2,3]`, `{"phone":`, `"phone"`, `{"Phone":13812341234}`, `{"a":"b"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := domain.MaskPhonesInJSON([]byte(s))
		if !json.Valid([]byte(s)) {
			// Not JSON (the audit log's columns always are): what is shown is JSON, never the
			// text itself.
			if lower := strings.ToLower(s); (strings.Contains(lower, "phone") || strings.Contains(lower, "mobile")) && (string(out) == s || !json.Valid(out)) {
				t.Fatalf("unparsable text with a phone key shown as %s", out)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("MaskPhonesInJSON(%s) = %s: not JSON", s, out)
		}
		var in map[string]any
		if json.Unmarshal([]byte(s), &in) != nil {
			return
		}
		if p, ok := in["phone"].(string); ok && utf8.RuneCountInString(p) >= 7 {
			var o map[string]any
			_ = json.Unmarshal(out, &o)
			if o["phone"] == p {
				t.Fatalf("phone %q came through unmasked in %s", p, out)
			}
		}
	})
}
