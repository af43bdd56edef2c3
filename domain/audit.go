package domain

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Masked returns a copy of r with the phone numbers in its before and after masked
// (138****1234), as everywhere else: an auditor reads who changed what, and sees a number in full
// only by revealing the record, which is itself audited.
func (r *AuditRecord) Masked() *AuditRecord {
	c := *r
	c.Before, c.After = MaskPhonesInJSON(r.Before), MaskPhonesInJSON(r.After)
	return &c
}

// MaskPhonesInJSON masks every string held under a key that names a phone number ("phone",
// "contact_phone", "mobile" …), at any depth. JSON without one is returned as it is; JSON that
// does not parse is hidden entirely rather than shown unmasked.
func MaskPhonesInJSON(raw []byte) []byte {
	if len(raw) == 0 || !bytes.Contains(bytes.ToLower(raw), []byte("phone")) && !bytes.Contains(bytes.ToLower(raw), []byte("mobile")) {
		return raw
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber() // numbers kept as written
	var v any
	if err := d.Decode(&v); err != nil {
		return []byte(`"****"`)
	}
	out, err := json.Marshal(maskPhones(v, false))
	if err != nil {
		return []byte(`"****"`)
	}
	return out
}

func isPhoneKey(k string) bool {
	k = strings.ToLower(k)
	return strings.Contains(k, "phone") || strings.Contains(k, "mobile")
}

// maskPhones masks the strings of v; under says v is the value of a phone key.
func maskPhones(v any, under bool) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = maskPhones(e, under || isPhoneKey(k))
		}
	case []any:
		for i, e := range x {
			x[i] = maskPhones(e, under)
		}
	case string:
		if under {
			return MaskPhone(x)
		}
	case json.Number:
		if under {
			return MaskPhone(x.String())
		}
	}
	return v
}
