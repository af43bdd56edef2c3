package domain_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"steward/domain"
)

// day returns the civil date s (YYYY-MM-DD) as the domain keeps dates: midnight UTC.
func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// at returns the instant s (RFC 3339).
func at(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func validProject(t *testing.T) *domain.Project {
	t.Helper()
	return &domain.Project{
		EnterpriseID:      "e1",
		Name:              "年产10万吨新材料项目",
		Kind:              domain.ProjectNew,
		Industry:          "C",
		PlannedInvestment: 50000,
		PlannedStart:      day(t, "2026-03-01"),
		PlannedCompletion: day(t, "2027-12-31"),
		KeyLevel:          domain.KeyMunicipal,
		Location:          "经开区纬三路",
	}
}

// errorIs reports whether err is a *domain.Error with the code, and, when field is not empty, a
// field error on that field.
func errorIs(err error, code, field string) bool {
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != code {
		return false
	}
	if field == "" {
		return true
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestStages(t *testing.T) {
	t.Parallel()

	t.Run("MainLineIsInOrder", func(t *testing.T) {
		t.Parallel()
		for i, s := range domain.MainStages {
			if s.Index() != i {
				t.Errorf("%s.Index() = %d, want %d", s, s.Index(), i)
			}
		}
		if domain.StageNegotiating.Index() != 0 || domain.StageAtCapacity.Index() != 6 {
			t.Errorf("main line must run from negotiating (0) to at_capacity (6)")
		}
	})
	t.Run("SideStatesAreOffTheMainLine", func(t *testing.T) {
		t.Parallel()
		for _, s := range []domain.Stage{domain.StageSuspended, domain.StageCancelled, "", "built"} {
			if s.Index() != -1 {
				t.Errorf("%q.Index() = %d, want -1", s, s.Index())
			}
		}
	})
	t.Run("StagesListsMainLineThenSideStates", func(t *testing.T) {
		t.Parallel()
		want := append(append([]domain.Stage{}, domain.MainStages...), domain.StageSuspended, domain.StageCancelled)
		if len(domain.Stages) != len(want) {
			t.Fatalf("Stages = %v, want %v", domain.Stages, want)
		}
		for i := range want {
			if domain.Stages[i] != want[i] || !want[i].Valid() {
				t.Fatalf("Stages = %v, want %v, all valid", domain.Stages, want)
			}
		}
		if domain.Stage("").Valid() || domain.Stage("Signed").Valid() {
			t.Error("empty and wrongly cased stages must not be valid")
		}
	})
}

func TestProjectValidate(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		change func(p *domain.Project)
		field  string // "" for valid
	}{
		{name: "ValidProjectPasses", change: func(p *domain.Project) {}},
		{name: "CompletionOnStartDayPasses", change: func(p *domain.Project) { p.PlannedCompletion = p.PlannedStart }},
		{name: "NameTooShort", change: func(p *domain.Project) { p.Name = " 厂 " }, field: "name"},
		{name: "NameTooLong", change: func(p *domain.Project) { p.Name = strings.Repeat("厂", 201) }, field: "name"},
		{name: "UnknownKind", change: func(p *domain.Project) { p.Kind = "demolition" }, field: "kind"},
		{name: "UnknownIndustry", change: func(p *domain.Project) { p.Industry = "Z" }, field: "industry"},
		{name: "ZeroInvestment", change: func(p *domain.Project) { p.PlannedInvestment = 0 }, field: "planned_investment"},
		{name: "AbsurdInvestment", change: func(p *domain.Project) { p.PlannedInvestment = 1e10 }, field: "planned_investment"},
		{name: "NaNInvestment", change: func(p *domain.Project) { p.PlannedInvestment = math.NaN() }, field: "planned_investment"},
		{name: "MissingStart", change: func(p *domain.Project) { p.PlannedStart = time.Time{} }, field: "planned_start"},
		{name: "MissingCompletion", change: func(p *domain.Project) { p.PlannedCompletion = time.Time{} }, field: "planned_completion"},
		{name: "CompletionBeforeStart", change: func(p *domain.Project) { p.PlannedCompletion = day(t, "2026-02-28") }, field: "planned_completion"},
		{name: "MissingKeyLevel", change: func(p *domain.Project) { p.KeyLevel = "" }, field: "key_level"},
		{name: "LocationTooLong", change: func(p *domain.Project) { p.Location = strings.Repeat("路", 201) }, field: "location"},
		{name: "UnknownStage", change: func(p *domain.Project) { p.Stage = "built" }, field: "stage"},
		{name: "ResumeStageOnlyWhenSuspended", change: func(p *domain.Project) { p.ResumeStage = domain.StageSigned }, field: "resume_stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := validProject(t)
			tt.change(p)
			err := p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errorIs(err, domain.EINVALID, tt.field) {
				t.Fatalf("Validate() = %v, want EINVALID on %s", err, tt.field)
			}
		})
	}

	t.Run("NormalizesFieldsAndDefaultsStage", func(t *testing.T) {
		t.Parallel()
		p := validProject(t)
		p.Name, p.Industry, p.Location = "  新材料项目 ", " c ", " 纬三路 "
		// Midnight in Shanghai is the evening before in UTC; the civil date is what counts.
		p.PlannedStart = at(t, "2026-03-01T00:00:00+08:00")
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if p.Name != "新材料项目" || p.Industry != "C" || p.Location != "纬三路" {
			t.Errorf("not normalized: name %q, industry %q, location %q", p.Name, p.Industry, p.Location)
		}
		if !p.PlannedStart.Equal(day(t, "2026-03-01")) {
			t.Errorf("PlannedStart = %v, want 2026-03-01 midnight UTC", p.PlannedStart)
		}
		if p.Stage != domain.StageNegotiating {
			t.Errorf("Stage = %q, want negotiating by default", p.Stage)
		}
	})
	t.Run("ApplyChangesOnlyPatchedFieldsAndValidates", func(t *testing.T) {
		t.Parallel()
		p := validProject(t)
		p.Stage = domain.StagePermitting
		amount, loc := 80000.0, "高新区"
		if err := p.Apply(domain.ProjectPatch{PlannedInvestment: &amount, Location: &loc}); err != nil {
			t.Fatal(err)
		}
		if p.PlannedInvestment != 80000 || p.Location != "高新区" || p.Name != "年产10万吨新材料项目" || p.Stage != domain.StagePermitting {
			t.Errorf("Apply gave %+v", p)
		}
		early := day(t, "2026-01-01")
		if err := p.Apply(domain.ProjectPatch{PlannedCompletion: &early}); !errorIs(err, domain.EINVALID, "planned_completion") {
			t.Errorf("Apply(completion before start) = %v, want EINVALID on planned_completion", err)
		}
	})
}

func TestProjectMoveStage(t *testing.T) {
	t.Parallel()

	// The clock: mid-morning of 15 June 2026 in Shanghai.
	now := at(t, "2026-06-15T10:00:00+08:00")
	since := day(t, "2026-05-01")

	tests := []struct {
		name         string
		from, resume domain.Stage
		to           domain.Stage
		on           time.Time
		now          time.Time // defaults to now
		note, reason string
		// wantCode is "" on success; wantField names the field of an EINVALID error.
		wantCode, wantField string
		wantResume          domain.Stage
	}{
		{name: "ForwardOneStage", from: domain.StageNegotiating, to: domain.StageSigned, on: day(t, "2026-06-10")},
		{name: "ForwardSeveralStagesAtOnce", from: domain.StageSigned, to: domain.StageUnderConstruction, on: day(t, "2026-06-10"), note: "  取得施工许可证并开工  "},
		{name: "ForwardToTheEndOfTheLine", from: domain.StageNegotiating, to: domain.StageAtCapacity, on: day(t, "2026-06-10")},
		{name: "BackWithoutReasonRefused", from: domain.StagePermitting, to: domain.StageSigned, on: day(t, "2026-06-10"), wantCode: domain.EINVALID, wantField: "reason"},
		{name: "BackWithBlankReasonRefused", from: domain.StagePermitting, to: domain.StageSigned, on: day(t, "2026-06-10"), reason: "   ", wantCode: domain.EINVALID, wantField: "reason"},
		{name: "BackWithReasonAllowed", from: domain.StageUnderConstruction, to: domain.StagePermitting, on: day(t, "2026-06-10"), reason: "施工许可被撤销"},
		{name: "SuspendWithoutReasonRefused", from: domain.StageUnderConstruction, to: domain.StageSuspended, on: day(t, "2026-06-10"), wantCode: domain.EINVALID, wantField: "reason"},
		{name: "SuspendWithReasonRecordsStageLeft", from: domain.StageUnderConstruction, to: domain.StageSuspended, on: day(t, "2026-06-10"), reason: "资金链断裂", wantResume: domain.StageUnderConstruction},
		{name: "CancelWithoutReasonRefused", from: domain.StageSigned, to: domain.StageCancelled, on: day(t, "2026-06-10"), wantCode: domain.EINVALID, wantField: "reason"},
		{name: "CancelWithReasonAllowed", from: domain.StageSigned, to: domain.StageCancelled, on: day(t, "2026-06-10"), reason: "投资方撤资"},
		{name: "CancelFromSuspendedWithReasonClearsResumeStage", from: domain.StageSuspended, resume: domain.StagePermitting, to: domain.StageCancelled, on: day(t, "2026-06-10"), reason: "投资方撤资"},
		{name: "CancelFromSuspendedWithoutReasonRefused", from: domain.StageSuspended, resume: domain.StagePermitting, to: domain.StageCancelled, on: day(t, "2026-06-10"), wantCode: domain.EINVALID, wantField: "reason"},
		{name: "ResumeAtStageLeftNeedsNoReason", from: domain.StageSuspended, resume: domain.StageUnderConstruction, to: domain.StageUnderConstruction, on: day(t, "2026-06-10")},
		{name: "ResumeAtLaterStageNeedsNoReason", from: domain.StageSuspended, resume: domain.StageUnderConstruction, to: domain.StageCompleted, on: day(t, "2026-06-10")},
		{name: "ResumeAtEarlierStageWithoutReasonRefused", from: domain.StageSuspended, resume: domain.StageUnderConstruction, to: domain.StagePermitting, on: day(t, "2026-06-10"), wantCode: domain.EINVALID, wantField: "reason"},
		{name: "ResumeAtEarlierStageWithReasonAllowed", from: domain.StageSuspended, resume: domain.StageUnderConstruction, to: domain.StagePermitting, on: day(t, "2026-06-10"), reason: "需重新办理规划许可"},
		{name: "CancelledIsFinal", from: domain.StageCancelled, to: domain.StageNegotiating, on: day(t, "2026-06-10"), reason: "重新洽谈", wantCode: domain.ETRANSITION},
		{name: "CancelledCannotBeSuspended", from: domain.StageCancelled, to: domain.StageSuspended, on: day(t, "2026-06-10"), reason: "x", wantCode: domain.ETRANSITION},
		{name: "SameStageRefused", from: domain.StageSigned, to: domain.StageSigned, on: day(t, "2026-06-10"), wantCode: domain.ETRANSITION},
		{name: "SuspendedAgainRefused", from: domain.StageSuspended, resume: domain.StageSigned, to: domain.StageSuspended, on: day(t, "2026-06-10"), reason: "x", wantCode: domain.ETRANSITION},
		{name: "UnknownTargetRefused", from: domain.StageSigned, to: "built", on: day(t, "2026-06-10"), wantCode: domain.EINVALID, wantField: "stage"},
		{name: "MissingDateRefused", from: domain.StageNegotiating, to: domain.StageSigned, wantCode: domain.EINVALID, wantField: "date"},
		{name: "FutureDateRefused", from: domain.StageNegotiating, to: domain.StageSigned, on: day(t, "2026-06-16"), wantCode: domain.EINVALID, wantField: "date"},
		{name: "TodayAllowed", from: domain.StageNegotiating, to: domain.StageSigned, on: day(t, "2026-06-15")},
		{
			// 00:30 in Shanghai on the 15th is still the 14th in UTC: today is the Shanghai date.
			name: "TodayInShanghaiAllowedWhileUTCIsStillYesterday", from: domain.StageNegotiating, to: domain.StageSigned,
			on: day(t, "2026-06-15"), now: at(t, "2026-06-15T00:30:00+08:00"),
		},
		{
			name: "TomorrowInShanghaiRefusedLateAtNight", from: domain.StageNegotiating, to: domain.StageSigned,
			on: day(t, "2026-06-16"), now: at(t, "2026-06-15T23:59:00+08:00"), wantCode: domain.EINVALID, wantField: "date",
		},
		{name: "DateBeforeStageSinceRefused", from: domain.StageNegotiating, to: domain.StageSigned, on: day(t, "2026-04-30"), wantCode: domain.EINVALID, wantField: "date"},
		{name: "SameDayAsStageSinceAllowed", from: domain.StageNegotiating, to: domain.StageSigned, on: since},
		{name: "NoteTooLongRefused", from: domain.StageNegotiating, to: domain.StageSigned, on: day(t, "2026-06-10"), note: strings.Repeat("注", 501), wantCode: domain.EINVALID, wantField: "note"},
		{name: "ReasonTooLongRefused", from: domain.StageSigned, to: domain.StageNegotiating, on: day(t, "2026-06-10"), reason: strings.Repeat("因", 501), wantCode: domain.EINVALID, wantField: "reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := validProject(t)
			p.Stage, p.ResumeStage, p.StageSince = tt.from, tt.resume, since
			clock := now
			if !tt.now.IsZero() {
				clock = tt.now
			}

			move, err := p.MoveStage(tt.to, tt.on, tt.note, tt.reason, clock)
			if tt.wantCode != "" {
				if !errorIs(err, tt.wantCode, tt.wantField) {
					t.Fatalf("MoveStage(%s → %s) = %v, want %s on %q", tt.from, tt.to, err, tt.wantCode, tt.wantField)
				}
				if p.Stage != tt.from || !p.StageSince.Equal(since) || p.ResumeStage != tt.resume {
					t.Errorf("a refused move changed the project: stage %s since %v resume %q", p.Stage, p.StageSince, p.ResumeStage)
				}
				return
			}
			if err != nil {
				t.Fatalf("MoveStage(%s → %s) = %v, want success", tt.from, tt.to, err)
			}
			want := domain.StageMove{From: tt.from, To: tt.to, On: tt.on, Note: strings.TrimSpace(tt.note), Reason: strings.TrimSpace(tt.reason)}
			if move != want {
				t.Errorf("move = %+v, want %+v", move, want)
			}
			if p.Stage != tt.to || !p.StageSince.Equal(tt.on) || p.ResumeStage != tt.wantResume {
				t.Errorf("project now %s since %v resume %q; want %s since %v resume %q",
					p.Stage, p.StageSince, p.ResumeStage, tt.to, tt.on, tt.wantResume)
			}
		})
	}

	t.Run("DateIsKeptAsCivilDate", func(t *testing.T) {
		t.Parallel()
		p := validProject(t)
		p.Stage, p.StageSince = domain.StageNegotiating, since
		// A browser may send local midnight; the move is dated by its Shanghai date.
		move, err := p.MoveStage(domain.StageSigned, at(t, "2026-06-10T00:00:00+08:00"), "", "", now)
		if err != nil {
			t.Fatal(err)
		}
		if !move.On.Equal(day(t, "2026-06-10")) || !p.StageSince.Equal(day(t, "2026-06-10")) {
			t.Errorf("move on %v, stage since %v; want 2026-06-10 midnight UTC", move.On, p.StageSince)
		}
	})
}

func TestValidMonth(t *testing.T) {
	t.Parallel()

	tests := []struct {
		in   string
		want bool
	}{
		{"2026-06", true}, {"2026-01", true}, {"2026-12", true},
		{"2026-13", false}, {"2026-00", false}, {"2026-6", false}, {"26-06", false},
		{"2026/06", false}, {"2026-06-01", false}, {" 2026-06", false}, {"+026-06", false},
		{"2026-+6", false}, {"0000-01", false}, {"", false}, {"二〇二六-06", false},
	}
	for _, tt := range tests {
		if got := domain.ValidMonth(tt.in); got != tt.want {
			t.Errorf("ValidMonth(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestInvestmentValidate(t *testing.T) {
	t.Parallel()

	// 16:30 UTC on 30 June is already 1 July in Shanghai.
	now := at(t, "2026-06-30T16:30:00Z")
	tests := []struct {
		name  string
		inv   domain.Investment
		field string // "" for valid
	}{
		{name: "PastMonthAllowed", inv: domain.Investment{Month: "2026-05", Amount: 1200.5}},
		{name: "CurrentShanghaiMonthAllowed", inv: domain.Investment{Month: "2026-07", Amount: 300}},
		{name: "NothingDoneIsZero", inv: domain.Investment{Month: "2026-06", Amount: 0}},
		{name: "FutureMonthRefused", inv: domain.Investment{Month: "2026-08", Amount: 300}, field: "month"},
		{name: "MalformedMonthRefused", inv: domain.Investment{Month: "2026-7", Amount: 300}, field: "month"},
		{name: "NegativeAmountRefused", inv: domain.Investment{Month: "2026-05", Amount: -1}, field: "amount"},
		{name: "AbsurdAmountRefused", inv: domain.Investment{Month: "2026-05", Amount: 1e10}, field: "amount"},
		{name: "NaNAmountRefused", inv: domain.Investment{Month: "2026-05", Amount: math.NaN()}, field: "amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.inv.Validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errorIs(err, domain.EINVALID, tt.field) {
				t.Fatalf("Validate() = %v, want EINVALID on %s", err, tt.field)
			}
		})
	}
}

func TestProgressThresholdsValidate(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		th    domain.ProgressThresholds
		field string
	}{
		{name: "DefaultsAreValid", th: domain.DefaultProgressThresholds},
		{name: "YellowEqualToRedAllowed", th: domain.ProgressThresholds{YellowBehind: 20, RedBehind: 20}},
		{name: "ZeroYellowRefused", th: domain.ProgressThresholds{YellowBehind: 0, RedBehind: 30, StartGraceMonths: 3}, field: "yellow_behind"},
		{name: "RedBelowYellowRefused", th: domain.ProgressThresholds{YellowBehind: 30, RedBehind: 10, StartGraceMonths: 3}, field: "red_behind"},
		{name: "RedOverHundredRefused", th: domain.ProgressThresholds{YellowBehind: 10, RedBehind: 101, StartGraceMonths: 3}, field: "red_behind"},
		{name: "NegativeGraceRefused", th: domain.ProgressThresholds{YellowBehind: 10, RedBehind: 30, StartGraceMonths: -1}, field: "start_grace_months"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.th.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errorIs(err, domain.EINVALID, tt.field) {
				t.Fatalf("Validate() = %v, want EINVALID on %s", err, tt.field)
			}
		})
	}
}

func TestProjectProgress(t *testing.T) {
	t.Parallel()

	// A 200-day plan of 10,000 万元 starting 1 January 2026; on day 100 half of it is expected.
	start := day(t, "2026-01-01")
	end := start.AddDate(0, 0, 200)
	halfway := start.AddDate(0, 0, 100).Add(10 * time.Hour) // 10:00 UTC, 18:00 in Shanghai

	// A ten-year plan keeps the expected share small, so only the start rule can turn it red.
	longEnd := day(t, "2036-01-15")

	tests := []struct {
		name                     string
		stage                    domain.Stage
		start, end               time.Time // default start and end
		completed                float64
		now                      time.Time
		th                       *domain.ProgressThresholds // default DefaultProgressThresholds
		wantLight                domain.Light
		wantExpected, wantActual float64
		wantBehind               float64
		wantReasonHas            string
		checkNumbers             bool
	}{
		{name: "OnScheduleIsGreen", stage: domain.StageUnderConstruction, completed: 5000, now: halfway, wantLight: domain.LightGreen, checkNumbers: true, wantExpected: 50, wantActual: 50, wantBehind: 0},
		{name: "JustUnderTenPointsBehindIsGreen", stage: domain.StageUnderConstruction, completed: 4001, now: halfway, wantLight: domain.LightGreen, checkNumbers: true, wantExpected: 50, wantActual: 40.01, wantBehind: 9.99},
		{name: "ExactlyTenPointsBehindIsYellow", stage: domain.StageUnderConstruction, completed: 4000, now: halfway, wantLight: domain.LightYellow, checkNumbers: true, wantExpected: 50, wantActual: 40, wantBehind: 10, wantReasonHas: "10 points behind"},
		{name: "ExactlyThirtyPointsBehindIsYellow", stage: domain.StageUnderConstruction, completed: 2000, now: halfway, wantLight: domain.LightYellow, checkNumbers: true, wantExpected: 50, wantActual: 20, wantBehind: 30},
		{name: "JustOverThirtyPointsBehindIsRed", stage: domain.StageUnderConstruction, completed: 1999, now: halfway, wantLight: domain.LightRed, checkNumbers: true, wantExpected: 50, wantActual: 19.99, wantBehind: 30.01, wantReasonHas: "30.01 points behind"},
		{name: "AheadOfPlanIsGreenAndActualMayExceedHundred", stage: domain.StageUnderConstruction, completed: 12000, now: halfway, wantLight: domain.LightGreen, checkNumbers: true, wantExpected: 50, wantActual: 120, wantBehind: -70},
		{name: "ExpectedStopsAtHundredAfterPlannedCompletion", stage: domain.StageUnderConstruction, completed: 9500, now: end.AddDate(1, 0, 0), wantLight: domain.LightGreen, checkNumbers: true, wantExpected: 100, wantActual: 95, wantBehind: 5},
		{name: "NegativeCompletedCountsAsNothing", stage: domain.StageUnderConstruction, completed: -100, now: start.AddDate(0, 0, 10), wantLight: domain.LightGreen, checkNumbers: true, wantExpected: 5, wantActual: 0, wantBehind: 5},
		{name: "BeforePlannedStartIsGreenWithNothingExpected", stage: domain.StageNegotiating, now: start.AddDate(0, 0, -1), wantLight: domain.LightGreen, checkNumbers: true, wantExpected: 0, wantActual: 0, wantBehind: 0, wantReasonHas: "before planned start"},
		{name: "NotStartedThreeMonthsAfterPlannedStartIsRed", stage: domain.StagePermitting, start: day(t, "2026-01-15"), end: longEnd, now: at(t, "2026-04-15T09:00:00+08:00"), wantLight: domain.LightRed, wantReasonHas: "not started 3 months after planned start"},
		{name: "NotStartedADayShortOfThreeMonthsIsNotRed", stage: domain.StagePermitting, start: day(t, "2026-01-15"), end: longEnd, now: at(t, "2026-04-14T23:00:00+08:00"), wantLight: domain.LightGreen},
		{name: "NotStartedTwoMonthsAfterPlannedStartIsNotRed", stage: domain.StageSigned, start: day(t, "2026-01-15"), end: longEnd, now: at(t, "2026-03-15T09:00:00+08:00"), wantLight: domain.LightGreen},
		{name: "StartedThreeMonthsAfterPlannedStartIsJudgedByInvestment", stage: domain.StageUnderConstruction, start: day(t, "2026-01-15"), end: longEnd, now: at(t, "2026-04-15T09:00:00+08:00"), wantLight: domain.LightGreen},
		{name: "GraceMonthsAreConfiguration", stage: domain.StageNegotiating, start: day(t, "2026-01-15"), end: longEnd, now: at(t, "2026-02-15T09:00:00+08:00"), th: &domain.ProgressThresholds{YellowBehind: 10, RedBehind: 30, StartGraceMonths: 1}, wantLight: domain.LightRed, wantReasonHas: "not started 1 month after"},
		{name: "PointThresholdsAreConfiguration", stage: domain.StageUnderConstruction, completed: 4400, now: halfway, th: &domain.ProgressThresholds{YellowBehind: 5, RedBehind: 20}, wantLight: domain.LightYellow},
		{name: "SuspendedIsRed", stage: domain.StageSuspended, completed: 5000, now: halfway, wantLight: domain.LightRed, wantReasonHas: "suspended"},
		{name: "SuspendedBeforePlannedStartIsRed", stage: domain.StageSuspended, now: start.AddDate(0, 0, -30), wantLight: domain.LightRed},
		{name: "CompletedIsGreenHoweverFarBehind", stage: domain.StageCompleted, completed: 100, now: halfway, wantLight: domain.LightGreen},
		{name: "OperatingIsGreen", stage: domain.StageOperating, completed: 100, now: halfway, wantLight: domain.LightGreen},
		{name: "AtCapacityIsGreen", stage: domain.StageAtCapacity, completed: 100, now: halfway, wantLight: domain.LightGreen},
		{name: "CancelledHasNoLight", stage: domain.StageCancelled, completed: 100, now: halfway, wantLight: domain.LightNone, wantReasonHas: "cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := validProject(t)
			p.PlannedInvestment, p.Stage = 10000, tt.stage
			p.PlannedStart, p.PlannedCompletion = start, end
			if !tt.start.IsZero() {
				p.PlannedStart, p.PlannedCompletion = tt.start, tt.end
			}
			th := domain.DefaultProgressThresholds
			if tt.th != nil {
				th = *tt.th
			}

			got := domain.ProjectProgress(p, tt.completed, tt.now, th)
			if got.Light != tt.wantLight {
				t.Errorf("light = %s (%s), want %s; progress %+v", got.Light, got.Reason, tt.wantLight, got)
			}
			if tt.checkNumbers && (got.Expected != tt.wantExpected || got.Actual != tt.wantActual || got.Behind != tt.wantBehind) {
				t.Errorf("expected/actual/behind = %v/%v/%v, want %v/%v/%v",
					got.Expected, got.Actual, got.Behind, tt.wantExpected, tt.wantActual, tt.wantBehind)
			}
			if got.Reason == "" || !strings.Contains(got.Reason, tt.wantReasonHas) {
				t.Errorf("reason = %q, want one containing %q", got.Reason, tt.wantReasonHas)
			}
		})
	}
}
