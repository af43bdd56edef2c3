package domain_test

import (
	"testing"
	"time"

	"steward/domain"
)

var (
	coA        = domain.Department{ID: "coA", Name: "自然资源局"}
	coB        = domain.Department{ID: "coB", Name: "生态环境局"}
	coOfficerA = &domain.Actor{UserID: "oa", Role: domain.RoleOfficer, DepartmentID: "coA"}
)

// assigned is a ticket routed to dept with co-handlers co (sign 1, resolve 10: opinions due in
// 1 + 5 = 6 working days).
func assigned(t *testing.T, co ...domain.Department) *domain.Ticket {
	t.Helper()
	tk := ticketIn(domain.TicketAccepted)
	if _, err := tk.Assign(dispatcher, "dept", "供电公司", days{}, now, co...); err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestAssignWithCoHandlers(t *testing.T) {
	t.Parallel()
	table := []struct {
		name      string
		co        []domain.Department
		wantField string
		wantCo    []string
	}{
		{"NoneIsFine", nil, "", []string{}},
		{"TwoOweAnOpinion", []domain.Department{coA, coB}, "", []string{"coA", "coB"}},
		{"NamedTwiceCountsOnce", []domain.Department{coA, coA}, "", []string{"coA"}},
		{"TheLeadCannotCoHandle", []domain.Department{coA, {ID: "dept"}}, "co_department_ids", nil},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			tk := ticketIn(domain.TicketAccepted)
			_, err := tk.Assign(dispatcher, "dept", "供电公司", days{}, now, tc.co...)
			if tc.wantField != "" {
				if f := fieldOf(err); f != tc.wantField {
					t.Fatalf("err %v, field %q; want 422 on %s", err, f, tc.wantField)
				}
				if tk.Status != domain.TicketAccepted {
					t.Fatalf("a refused assign moved the ticket to %s", tk.Status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := tk.CoDepartmentIDs()
			if len(got) != len(tc.wantCo) {
				t.Fatalf("co-handlers %v, want %v", got, tc.wantCo)
			}
			for i, o := range tk.Opinions {
				if o.DepartmentID != tc.wantCo[i] || o.Status != domain.OpinionOwed || !o.Clock.Due.Equal(now.AddDate(0, 0, 6)) ||
					!o.Clock.Warn.Equal(now.AddDate(0, 0, 5)) {
					t.Fatalf("opinion %d = %+v; want %s owed, due in 1 + 10/2 = 6 working days", i, o, tc.wantCo[i])
				}
			}
		})
	}
}

func fieldOf(err error) string {
	if e, ok := err.(*domain.Error); ok && e.Code == domain.EINVALID && len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return ""
}

func TestOpinionsGateTheResolve(t *testing.T) {
	t.Parallel()
	tk := assigned(t, coA, coB)
	if _, err := tk.Sign(officer, now); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		do       func() error
		wantCode string
	}{
		{"ResolveRefusedWhileOwed", func() error { _, err := tk.Resolve(officer, "已办结", now); return err }, domain.EOPINIONS},
		{"TheLeadCannotGiveAnOpinion", func() error { _, err := tk.GiveOpinion(officer, "同意", now); return err }, domain.EFORBIDDEN},
		{"AStrangerCannotEither", func() error { _, err := tk.GiveOpinion(stranger, "同意", now); return err }, domain.EFORBIDDEN},
		{"AnEmptyOpinionIsRefused", func() error { _, err := tk.GiveOpinion(coOfficerA, " ", now); return err }, domain.EINVALID},
		{"CoHandlerAGives", func() error { _, err := tk.GiveOpinion(coOfficerA, "用地符合规划", now); return err }, ""},
		{"OnlyOnce", func() error { _, err := tk.GiveOpinion(coOfficerA, "再说一次", now); return err }, domain.ETRANSITION},
		{"StillOwedByB", func() error { _, err := tk.Resolve(officer, "已办结", now); return err }, domain.EOPINIONS},
		{"OnlyTheDispatcherWaives", func() error { _, err := tk.WaiveOpinion(officer, "coB", "不涉及", now); return err }, domain.EFORBIDDEN},
		{"AWaiverNeedsAReason", func() error { _, err := tk.WaiveOpinion(dispatcher, "coB", "", now); return err }, domain.EINVALID},
		{"NotACoHandler", func() error { _, err := tk.WaiveOpinion(dispatcher, "other", "不涉及", now); return err }, domain.EINVALID},
		{"GivenCannotBeWaived", func() error { _, err := tk.WaiveOpinion(dispatcher, "coA", "不涉及", now); return err }, domain.ETRANSITION},
		{"BWaived", func() error { _, err := tk.WaiveOpinion(dispatcher, "coB", "不涉及环保审批", now); return err }, ""},
		{"NowTheLeadResolves", func() error { _, err := tk.Resolve(officer, "已办结", now); return err }, ""},
	}
	for _, st := range steps {
		err := st.do()
		if domain.ErrorCode(err) != st.wantCode {
			t.Fatalf("%s: err %v; want code %q", st.name, err, st.wantCode)
		}
	}
}

func TestOpinionEventsAreInternal(t *testing.T) {
	t.Parallel()
	tk := assigned(t, coA)
	ev, err := tk.GiveOpinion(coOfficerA, "同意", now)
	if err != nil || ev.Public || ev.Action != "opinion" || ev.Data["on_time"] != true {
		t.Fatalf("opinion event %+v, %v; want internal, on time", ev, err)
	}
	tk = assigned(t, coA)
	if ev, err := tk.WaiveOpinion(dispatcher, "coA", "不涉及", now); err != nil || ev.Public {
		t.Fatalf("waive event %+v, %v; want internal", ev, err)
	}
}

func TestReassignKeepsCoHandlingConsistent(t *testing.T) {
	t.Parallel()
	later := now.AddDate(0, 0, 2)
	// Routed with A and B; A gives its opinion; the lead returns it; the dispatcher routes it
	// again to B as the lead, with A and a new C.
	tk := assigned(t, coA, coB)
	prev := *tk
	if _, err := tk.GiveOpinion(coOfficerA, "同意", now); err != nil {
		t.Fatal(err)
	}
	if _, err := tk.Return(officer, "非本部门职责", now); err != nil {
		t.Fatal(err)
	}
	if got := tk.CoDepartmentIDs(); len(got) != 2 {
		t.Fatalf("a return dropped the co-handlers: %v", got)
	}
	if _, err := tk.Assign(dispatcher, "coB", "生态环境局", days{}, later, coB); fieldOf(err) != "co_department_ids" {
		t.Fatalf("B as lead and co-handler: %v; want 422", err)
	}
	prev = cloneTicket(tk)
	coC := domain.Department{ID: "coC", Name: "住建局"}
	if _, err := tk.Assign(dispatcher, "coB", "生态环境局", days{}, later, coA, coC); err != nil {
		t.Fatal(err)
	}
	if got := tk.CoDepartmentIDs(); len(got) != 2 || got[0] != "coA" || got[1] != "coC" {
		t.Fatalf("co-handlers after reassignment %v; want coA (kept), coC (new)", got)
	}
	if o := tk.Opinions[0]; o.Status != domain.OpinionGiven {
		t.Fatalf("A's opinion after reassignment: %+v; want given, kept", o)
	}
	if o := tk.Opinions[1]; !o.Clock.Due.Equal(later.AddDate(0, 0, 6)) {
		t.Fatalf("C's due %v; want 6 working days from the reassignment", o.Clock.Due)
	}
	// The jobs: only C's clock starts (B's ends with its removal: a job of B finds nothing).
	var clocks []string
	for _, f := range tk.FollowUps(&prev, days{}, later) {
		if a, ok := f.Args.(domain.CoHandlingClockArgs); ok {
			clocks = append(clocks, a.DepartmentID+":"+a.Level)
		}
	}
	if want := "coC:warn coC:due coC:escalate"; join(clocks) != want {
		t.Fatalf("co_handling_clock jobs %q; want %q", join(clocks), want)
	}
	if n := tk.OpinionNotice(domain.CoHandlingClockArgs{TicketID: "t", DepartmentID: "coB", Level: domain.ClockDue,
		Due: prev.Opinions[1].Clock.Due}); n != nil {
		t.Fatalf("a removed co-handler is reminded: %+v", n)
	}
	// Who hears of the reassignment: C's officers of the new co-handling, and B's of the lead.
	var heard []string
	for _, n := range tk.MoveNotices(&prev) {
		for _, to := range n.To {
			heard = append(heard, string(to.Kind)+":"+to.ID)
		}
	}
	if want := "officers:coC officers:coB"; join(heard) != want {
		t.Fatalf("notices to %q; want %q", join(heard), want)
	}
}

func cloneTicket(t *domain.Ticket) domain.Ticket {
	c := *t
	c.Opinions = append([]domain.Opinion(nil), t.Opinions...)
	return c
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestOpinionNoticeByLevel(t *testing.T) {
	t.Parallel()
	tk := assigned(t, coA)
	due := tk.Opinions[0].Clock.Due
	args := func(level string) domain.CoHandlingClockArgs {
		return domain.CoHandlingClockArgs{TicketID: "t", DepartmentID: "coA", Level: level, Due: due}
	}
	table := []struct {
		name   string
		ticket func() *domain.Ticket
		level  string
		want   string // audiences, "" for no notice
		urgent bool
	}{
		{"WarnGoesToTheDepartment", func() *domain.Ticket { return tk }, domain.ClockWarn, "officers:coA department_head:coA", false},
		{"DueToo", func() *domain.Ticket { return tk }, domain.ClockDue, "officers:coA department_head:coA", false},
		{"EscalateAlsoToTheDispatchers", func() *domain.Ticket { return tk }, domain.ClockEscalate, "officers:coA department_head:coA dispatchers:", true},
		{"GivenIsSilent", func() *domain.Ticket {
			c := cloneTicket(tk)
			_, _ = c.GiveOpinion(coOfficerA, "同意", now)
			return &c
		}, domain.ClockDue, "", false},
		{"WaivedIsSilent", func() *domain.Ticket {
			c := cloneTicket(tk)
			_, _ = c.WaiveOpinion(dispatcher, "coA", "不涉及", now)
			return &c
		}, domain.ClockDue, "", false},
		{"ClosedIsSilent", func() *domain.Ticket {
			c := cloneTicket(tk)
			c.Status = domain.TicketClosed
			return &c
		}, domain.ClockEscalate, "", false},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.ticket().OpinionNotice(args(tc.level))
			if tc.want == "" {
				if n != nil {
					t.Fatalf("notice %+v; want none", n)
				}
				return
			}
			if n == nil {
				t.Fatal("no notice")
			}
			var to []string
			for _, a := range n.To {
				to = append(to, string(a.Kind)+":"+a.ID)
			}
			if join(to) != tc.want || n.Urgent != tc.urgent {
				t.Fatalf("notice to %q urgent %v; want %q urgent %v", join(to), n.Urgent, tc.want, tc.urgent)
			}
		})
	}
	if n := tk.OpinionNotice(domain.CoHandlingClockArgs{DepartmentID: "coA", Level: domain.ClockDue, Due: due.Add(time.Hour)}); n != nil {
		t.Fatal("a job for another due time reminds")
	}
}
