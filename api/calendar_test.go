package api_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"steward/domain"
	"steward/domain/postgres"
)

// stringList returns the strings of a JSON array in a decoded answer.
func stringList(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

func TestCalendarAPI(t *testing.T) {
	t.Parallel()

	t.Run("AYearShowsItsHolidaysAndMakeUpDays", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleEnterprise, b.enterprise(t, "门户企业有限公司").ID)
		r := c.do(t, "GET", "/api/v1/calendar/2026", nil).want(t, 200)
		holidays, workdays := stringList(r.body["holidays"]), stringList(r.body["workdays"])
		for _, d := range []string{"2026-02-15", "2026-02-17", "2026-02-23", "2026-10-01", "2026-10-07"} {
			if !slices.Contains(holidays, d) {
				t.Errorf("2026 holidays lack %s: %v", d, holidays)
			}
		}
		for _, d := range []string{"2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"} {
			if !slices.Contains(workdays, d) {
				t.Errorf("2026 make-up working days lack %s: %v", d, workdays)
			}
		}
		if r.body["source"] != "statutory" || r.body["covered"] != true || r.body["year"] != 2026.0 {
			t.Fatalf("2026: %s", r.raw)
		}
		r = c.do(t, "GET", "/api/v1/calendar/2150", nil).want(t, 200)
		if r.body["covered"] != false || len(stringList(r.body["holidays"])) != 0 {
			t.Fatalf("a year nobody knows should say it is not covered: %s", r.raw)
		}
		c.do(t, "GET", "/api/v1/calendar/0", nil).wantProblem(t, 422, "validation_failed")
	})

	t.Run("AddingWorkingDaysSkipsHolidays", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleOfficer)
		for _, tt := range []struct{ from, days, want string }{
			{"2026-09-30", "1", "2026-10-08"}, // over National Day
			{"2026-02-13", "1", "2026-02-14"}, // onto the make-up Saturday before Spring Festival
			{"2026-02-14", "1", "2026-02-24"}, // over Spring Festival
			{"2026-09-30", "0", "2026-09-30"},
			{"2026-10-03", "0", "2026-10-03"}, // the start day is never counted, working or not
		} {
			r := c.do(t, "GET", "/api/v1/calendar/add-working-days?from="+tt.from+"&days="+tt.days, nil).want(t, 200)
			if r.body["date"] != tt.want {
				t.Errorf("%s + %s working days = %v, want %s", tt.from, tt.days, r.body["date"], tt.want)
			}
		}
		for _, q := range []string{"from=2026-09-30&days=366", "from=2026-09-30&days=-1", "from=2026-02-30&days=1", "days=1"} {
			c.do(t, "GET", "/api/v1/calendar/add-working-days?"+q, nil).wantProblem(t, 422, "validation_failed")
		}
	})

	t.Run("AnOverrideChangesAnswersAtOnceEverywhereAndIsAudited", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		admin := b.as(t, domain.RoleAdmin)
		// Another steward process on the same database, its calendar already cached.
		other := postgres.NewCalendarService(b.db)
		if d, err := other.AddWorkingDays(system, time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), 1); err != nil || d.Format(time.DateOnly) != "2026-10-08" {
			t.Fatalf("before the override: %v %v", d, err)
		}

		// The district also closes on 2026-10-08 and works on Saturday 2026-10-10 as the State
		// Council says.
		was := admin.do(t, "GET", "/api/v1/calendar/2026", nil).want(t, 200)
		holidays := append(stringList(was.body["holidays"]), "2026-10-08")
		r := admin.do(t, "PUT", "/api/v1/calendar/2026", map[string]any{"holidays": holidays, "workdays": stringList(was.body["workdays"])}).want(t, 200)
		if r.body["source"] != "override" || !slices.Contains(stringList(r.body["holidays"]), "2026-10-08") {
			t.Fatalf("PUT answered %s", r.raw)
		}
		got := admin.do(t, "GET", "/api/v1/calendar/2026", nil).want(t, 200)
		if got.body["source"] != "override" || !slices.Equal(stringList(got.body["holidays"]), stringList(r.body["holidays"])) {
			t.Fatalf("GET after PUT: %s", got.raw)
		}
		if d := admin.do(t, "GET", "/api/v1/calendar/add-working-days?from=2026-09-30&days=1", nil).want(t, 200); d.body["date"] != "2026-10-09" {
			t.Fatalf("after the override: %v, want 2026-10-09", d.body["date"])
		}
		if d, err := other.AddWorkingDays(system, time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), 1); err != nil || d.Format(time.DateOnly) != "2026-10-09" {
			t.Fatalf("another process after the override: %v %v, want 2026-10-09", d, err)
		}

		audit := b.as(t, domain.RoleAuditor).do(t, "GET", "/api/v1/audit?entity=calendar&entity_id=2026", nil).want(t, 200).items()
		if len(audit) != 1 {
			t.Fatalf("audit records %v, want one", audit)
		}
		var before, after struct {
			Source   string   `json:"source"`
			Holidays []string `json:"holidays"`
		}
		rawBefore, _ := json.Marshal(audit[0]["before"])
		rawAfter, _ := json.Marshal(audit[0]["after"])
		_ = json.Unmarshal(rawBefore, &before)
		_ = json.Unmarshal(rawAfter, &after)
		if before.Source != "statutory" || slices.Contains(before.Holidays, "2026-10-08") ||
			after.Source != "override" || !slices.Contains(after.Holidays, "2026-10-08") {
			t.Fatalf("audit record does not show the year before and after: before %s after %s", rawBefore, rawAfter)
		}
	})

	t.Run("AnInvalidOverrideIsRefusedByField", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		admin := b.as(t, domain.RoleAdmin)
		f := admin.do(t, "PUT", "/api/v1/calendar/2027", map[string]any{
			"holidays": []string{"2027-10-01", "2026-12-31"},
			"workdays": []string{"2027-10-01"},
		}).wantProblem(t, 422, "validation_failed").fieldErrors()
		if f["holidays[1]"] == "" || f["workdays[0]"] == "" || len(f) != 2 {
			t.Fatalf("field errors %v: want holidays[1] (not in 2027) and workdays[0] (also a holiday)", f)
		}
		admin.do(t, "PUT", "/api/v1/calendar/2027", map[string]any{"holidays": []string{"2027-02-30"}, "workdays": []string{}}).
			wantProblem(t, 422, "validation_failed")
		if r := admin.do(t, "GET", "/api/v1/calendar/2027", nil).want(t, 200); r.body["source"] != "statutory" {
			t.Fatalf("a refused override was stored: %s", r.raw)
		}
		b.as(t, domain.RoleDispatcher).do(t, "PUT", "/api/v1/calendar/2027", map[string]any{"holidays": []string{}, "workdays": []string{}}).
			wantProblem(t, 403, "forbidden")
	})
}
