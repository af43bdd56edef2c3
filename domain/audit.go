package domain

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
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

// AuditHead is the newest record of the audit chain: publishing its id and hash outside the
// database (the audit_anchor job) lets anyone prove later that the chain up to it was not
// rewritten — not even by whoever controls the database and recomputes every hash after a
// change, since the published hash would no longer match (steward audit verify --head).
type AuditHead struct {
	ID   int64
	Hash string
	At   time.Time
}

// String is the head as steward audit verify --head takes it: ID:HASH.
func (h AuditHead) String() string { return strconv.FormatInt(h.ID, 10) + ":" + h.Hash }

// ParseAuditHead reads ID:HASH (a published head).
func ParseAuditHead(s string) (AuditHead, error) {
	id, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n < 1 || len(hash) != 64 || strings.Trim(strings.ToLower(hash), "0123456789abcdef") != "" {
		return AuditHead{}, fmt.Errorf("%q is not ID:HASH (a record id and its 64-digit hex hash, as the audit anchor publishes it)", s)
	}
	return AuditHead{ID: n, Hash: strings.ToLower(hash)}, nil
}

// AuditAnchorArgs asks for the audit chain's head to be published (periodic, daily). Day is the
// Beijing date; the job is unique by it.
type AuditAnchorArgs struct {
	Day string `json:"day"`
}

// Kind names the job.
func (AuditAnchorArgs) Kind() string { return "audit_anchor" }

// AuditAnchors is what the audit_anchor job needs of storage.
type AuditAnchors interface {
	// AuditHead verifies the chain and returns its newest record (zero when the log is empty).
	AuditHead(ctx context.Context) (AuditHead, *AuditVerification, error)
	// AuditorEmails lists the email addresses of the active auditors.
	AuditorEmails(ctx context.Context) ([]string, error)
}
