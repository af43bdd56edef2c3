package postgres

import (
	"reflect"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// TestTicketFieldsCoverTheRow: scanTicketRows knows every column of a ticket row, and nothing
// else, so a column added to ticketRow cannot be left unread by the lists.
func TestTicketFieldsCoverTheRow(t *testing.T) {
	table := bun.NewDB(nil, pgdialect.New()).Table(reflect.TypeFor[ticketRow]())
	seen := map[string]bool{}
	for _, f := range table.FieldMap { // every column, the scan-only names included
		seen[f.Name] = true
		get := ticketFields[f.Name]
		if get == nil {
			t.Errorf("ticketFields lacks the column %s", f.Name)
			continue
		}
		var r ticketRow
		dest := get(&r)
		if j, ok := dest.(jsonColumn); ok {
			dest = j.v
		}
		// The destination is the field itself, not another one of the same type.
		if p := reflect.ValueOf(dest).Pointer(); p != reflect.ValueOf(&r).Elem().FieldByIndex(f.Index).Addr().Pointer() {
			t.Errorf("ticketFields[%q] points at another field", f.Name)
		}
	}
	for name := range ticketFields {
		if !seen[name] {
			t.Errorf("ticketFields has %s, which is no column of ticketRow", name)
		}
	}
}
