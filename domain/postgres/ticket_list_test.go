package postgres_test

import (
	"testing"

	"steward/domain"
)

// TestTicketListNamesAndSearch: a ticket list carries the enterprise's and category's names
// (read per row of the page since the bench change, not joined for every match), and q finds a
// ticket by a fragment of its enterprise's name, its title or its number.
func TestTicketListNamesAndSearch(t *testing.T) {
	t.Parallel()
	b := newTicketBundle(t)
	tk := b.submit(t)
	list := func(f domain.TicketFilter) []domain.Ticket {
		t.Helper()
		l, err := b.tickets.Tickets(sysCtx, f, domain.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		return l.Items
	}
	all := list(domain.TicketFilter{})
	if len(all) != 1 || all[0].ID != tk.ID || all[0].EnterpriseName != b.ent.Name || all[0].CategoryName == "" ||
		all[0].DepartmentName != "" || all[0].HandlerName != "" {
		t.Fatalf("listed %+v", all)
	}
	for _, q := range []string{"测试制造", "增容", tk.Number[3:]} {
		if got := list(domain.TicketFilter{Q: q}); len(got) != 1 || got[0].ID != tk.ID {
			t.Errorf("q=%s found %d tickets, want the one", q, len(got))
		}
	}
	if got := list(domain.TicketFilter{Q: "不相干"}); len(got) != 0 {
		t.Errorf("q=不相干 found %d tickets", len(got))
	}
}
