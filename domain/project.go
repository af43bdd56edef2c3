package domain

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Light is a traffic light (红黄绿灯) that says at a glance whether something is on track: a
// project's progress against its plan, a ticket's clock against its time limit. It is derived from
// the current state and the clock, never stored stale.
type Light string

// Lights.
const (
	LightGreen  Light = "green"  // on track
	LightYellow Light = "yellow" // falling behind: act before it turns red
	LightRed    Light = "red"    // late or stalled: someone must step in
	LightNone   Light = "none"   // not applicable, e.g. a cancelled project or a closed ticket
)

// Lights lists every light, worst last.
var Lights = []Light{LightNone, LightGreen, LightYellow, LightRed}

// ProjectKind says what a project builds.
type ProjectKind string

// Project kinds.
const (
	ProjectNew        ProjectKind = "new"        // 新建, a new plant or facility
	ProjectExpansion  ProjectKind = "expansion"  // 扩建, enlarging an existing one
	ProjectRenovation ProjectKind = "renovation" // 技改, technical renovation of an existing one
)

// ProjectKinds lists every kind, in display order.
var ProjectKinds = []ProjectKind{ProjectNew, ProjectExpansion, ProjectRenovation}

// Stage is where a project is in its life. The main line runs in order from negotiating to
// at_capacity; suspended and cancelled are side states a project enters with a reason.
type Stage string

// Stages.
const (
	StageNegotiating       Stage = "negotiating"        // 洽谈, talks with the investor
	StageSigned            Stage = "signed"             // 签约, the investment agreement is signed
	StagePermitting        Stage = "permitting"         // 审批手续, land, planning and construction permits
	StageUnderConstruction Stage = "under_construction" // 开工在建, construction has started
	StageCompleted         Stage = "completed"          // 竣工, construction is finished and accepted
	StageOperating         Stage = "operating"          // 投产, production has started
	StageAtCapacity        Stage = "at_capacity"        // 达产, production has reached design capacity
	StageSuspended         Stage = "suspended"          // 停缓建, work is halted; the project may resume
	StageCancelled         Stage = "cancelled"          // 终止, the project is abandoned; final
)

// MainStages is the main line, in order.
var MainStages = []Stage{
	StageNegotiating, StageSigned, StagePermitting, StageUnderConstruction,
	StageCompleted, StageOperating, StageAtCapacity,
}

// Stages lists every stage: the main line in order, then the side states.
var Stages = append(append([]Stage{}, MainStages...), StageSuspended, StageCancelled)

// Index returns the position of s on the main line (0 for negotiating), or -1 for a side state
// or an unknown stage.
func (s Stage) Index() int {
	for i, m := range MainStages {
		if s == m {
			return i
		}
	}
	return -1
}

// Valid reports whether s is one of Stages.
func (s Stage) Valid() bool { return oneOf(s, Stages) }

// Project (项目) is a key investment project the bureau follows from negotiation to full
// production. Dates (PlannedStart, PlannedCompletion, StageSince) are civil dates kept as midnight
// UTC of that date.
type Project struct {
	ID           string
	EnterpriseID string
	Name         string
	Kind         ProjectKind
	// Industry is a GB/T 4754 section letter, see Industries.
	Industry string
	// PlannedInvestment is the planned total investment in 万元 (ten thousand yuan).
	PlannedInvestment float64
	PlannedStart      time.Time
	PlannedCompletion time.Time
	KeyLevel          KeyLevel
	Location          string
	// Stage changes only through MoveStage, so that every move is dated and kept in the history.
	Stage Stage
	// StageSince is the date the current stage began. The service that creates a project sets it
	// (to the creation date unless given).
	StageSince time.Time
	// ResumeStage is the main stage a suspended project was in when it was suspended; "" when the
	// project is not suspended.
	ResumeStage Stage
	// EnterpriseName is filled in when read.
	EnterpriseName string
	// CompletedInvestment is the sum of the monthly reports (万元); Progress is the progress light
	// computed from it (序时进度). Both are kept up to date by storage.
	CompletedInvestment float64
	Progress            Progress
	Version             int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// ProjectPatch carries the fields a PATCH changes; nil means unchanged. The stage is not here:
// it moves only through MoveStage.
type ProjectPatch struct {
	Name              *string
	Kind              *ProjectKind
	Industry          *string
	PlannedInvestment *float64
	PlannedStart      *time.Time
	PlannedCompletion *time.Time
	KeyLevel          *KeyLevel
	Location          *string
}

// maxAmount bounds every amount in 万元: 1e10 万元 is 10¹⁴ yuan, far beyond any project, so a
// larger number is a typing error.
const maxAmount = 1e10

// maxStageText bounds a stage move's note and reason, in characters.
const maxStageText = 500

// Validate normalizes the project's fields (trimmed text, upper-case industry letter, dates as
// midnight UTC of their civil date in Asia/Shanghai, stage negotiating when empty) and reports
// every invalid one.
func (p *Project) Validate() error {
	var v Validation
	p.Name = strings.TrimSpace(p.Name)
	n := utf8.RuneCountInString(p.Name)
	v.Check(n >= 2 && n <= 200, "name", "must be 2 to 200 characters")
	v.Check(oneOf(p.Kind, ProjectKinds), "kind", "must be one of new, expansion, renovation")
	p.Industry = strings.ToUpper(strings.TrimSpace(p.Industry))
	_, ok := Industries[p.Industry]
	v.Check(ok, "industry", "must be a GB/T 4754 section letter A–T")
	// Written so that NaN fails too.
	v.Check(p.PlannedInvestment > 0 && p.PlannedInvestment < maxAmount, "planned_investment",
		"must be more than 0 and less than 10,000,000,000 (万元)")
	if p.PlannedStart.IsZero() {
		v.Add("planned_start", "is required")
	} else {
		p.PlannedStart = Today(p.PlannedStart)
	}
	if p.PlannedCompletion.IsZero() {
		v.Add("planned_completion", "is required")
	} else {
		p.PlannedCompletion = Today(p.PlannedCompletion)
		v.Check(p.PlannedStart.IsZero() || !p.PlannedCompletion.Before(p.PlannedStart),
			"planned_completion", "must not be before the planned start")
	}
	v.Check(oneOf(p.KeyLevel, KeyLevels), "key_level", "must be one of provincial, municipal, district")
	p.Location = strings.TrimSpace(p.Location)
	v.Check(utf8.RuneCountInString(p.Location) <= 200, "location", "must be at most 200 characters")
	if p.Stage == "" {
		p.Stage = StageNegotiating
	}
	v.Check(p.Stage.Valid(), "stage", "must be one of %s", stageNames(Stages))
	// ResumeStage is kept by MoveStage; a suspended project created as such may not know it.
	v.Check(p.ResumeStage == "" || (p.Stage == StageSuspended && p.ResumeStage.Index() >= 0),
		"resume_stage", "must be a main stage, and only for a suspended project")
	return v.Err()
}

// Apply changes p by patch and validates the result.
func (p *Project) Apply(patch ProjectPatch) error {
	set(&p.Name, patch.Name)
	set(&p.Kind, patch.Kind)
	set(&p.Industry, patch.Industry)
	set(&p.PlannedInvestment, patch.PlannedInvestment)
	set(&p.PlannedStart, patch.PlannedStart)
	set(&p.PlannedCompletion, patch.PlannedCompletion)
	set(&p.KeyLevel, patch.KeyLevel)
	set(&p.Location, patch.Location)
	return p.Validate()
}

// StageMove is one entry of a project's stage history.
type StageMove struct {
	From, To Stage
	// On is the date of the move (midnight UTC of the civil date), which becomes StageSince.
	On time.Time
	// Note says what happened (optional); Reason says why a project went back, was suspended or
	// cancelled (required for those moves).
	Note, Reason string
}

// MoveStage moves the project to stage to on date on and returns the move for the stage history.
// now is the clock. The rules:
//
//   - cancelled is final: no move leaves it;
//   - a move to the current stage is no move;
//   - forward on the main line by one or more stages is allowed, with an optional note;
//   - back on the main line needs a reason;
//   - to suspended or cancelled, from any main stage (or to cancelled from suspended), needs a
//     reason; suspending records the stage left in ResumeStage;
//   - from suspended back to a main stage (resuming) is allowed; a stage before ResumeStage needs
//     a reason as a backward move would; ResumeStage is cleared;
//   - on is required, is taken as a civil date in Asia/Shanghai, and must be neither after today
//     nor before StageSince;
//   - note and reason are trimmed and at most 500 characters each.
//
// A move the rules forbid from the current stage returns ETRANSITION; missing or bad input
// returns EINVALID with fields stage, date, note or reason. On error the project is unchanged.
func (p *Project) MoveStage(to Stage, on time.Time, note, reason string, now time.Time) (StageMove, error) {
	from := p.Stage
	if !to.Valid() {
		var v Validation
		v.Add("stage", "must be one of %s", stageNames(Stages))
		return StageMove{}, v.Err()
	}
	switch {
	case !from.Valid():
		return StageMove{}, Errorf(ETRANSITION, "the project is in an unknown stage %q", from)
	case from == StageCancelled:
		return StageMove{}, Errorf(ETRANSITION, "the project is cancelled; a cancelled project does not move")
	case to == from:
		return StageMove{}, Errorf(ETRANSITION, "the project is already %s", to)
	}

	// Which moves need a reason, and how to say so.
	var needReason string
	switch {
	case to == StageSuspended || to == StageCancelled:
		needReason = "is required to move a project to " + string(to)
	case from == StageSuspended && to.Index() < p.ResumeStage.Index():
		needReason = "is required to resume a project at a stage before " + string(p.ResumeStage)
	case from != StageSuspended && to.Index() < from.Index():
		needReason = "is required to move a project back from " + string(from) + " to " + string(to)
	}

	var v Validation
	note, reason = strings.TrimSpace(note), strings.TrimSpace(reason)
	v.Check(utf8.RuneCountInString(note) <= maxStageText, "note", "must be at most %d characters", maxStageText)
	if reason == "" && needReason != "" {
		v.Add("reason", "%s", needReason)
	} else {
		v.Check(utf8.RuneCountInString(reason) <= maxStageText, "reason", "must be at most %d characters", maxStageText)
	}
	var day time.Time
	switch {
	case on.IsZero():
		v.Add("date", "is required")
	case Today(on).After(Today(now)):
		v.Add("date", "must not be in the future")
	case !p.StageSince.IsZero() && Today(on).Before(Today(p.StageSince)):
		v.Add("date", "must not be before %s, when the current stage began", Today(p.StageSince).Format(time.DateOnly))
	default:
		day = Today(on)
	}
	if err := v.Err(); err != nil {
		return StageMove{}, err
	}

	resume := Stage("")
	if to == StageSuspended {
		resume = from
	}
	p.Stage, p.StageSince, p.ResumeStage = to, day, resume
	return StageMove{From: from, To: to, On: day, Note: note, Reason: reason}, nil
}

func stageNames(stages []Stage) string {
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Investment is one monthly investment report (月度投资): the amount of the planned investment
// completed in a month.
type Investment struct {
	// Month is the calendar month reported, "YYYY-MM".
	Month string
	// Amount is the investment completed that month, in 万元.
	Amount float64
}

// ValidMonth reports whether s is a month in the form YYYY-MM (four-digit year from 0001, two-digit
// month 01 to 12).
func ValidMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' {
		return false
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	for _, c := range s[:4] + s[5:] {
		if c < '0' || c > '9' {
			return false // Atoi would accept a sign
		}
	}
	return err1 == nil && err2 == nil && y >= 1 && m >= 1 && m <= 12
}

// Validate reports whether the report is well formed: the month is a YYYY-MM month not after the
// current month in Asia/Shanghai (now is the clock), and the amount is at least 0 and less than
// 10,000,000,000 万元. A month with nothing done is reported as 0.
func (i Investment) Validate(now time.Time) error {
	var v Validation
	if !ValidMonth(i.Month) {
		v.Add("month", "must be a month in the form YYYY-MM")
	} else {
		// YYYY-MM strings order as the months they name.
		v.Check(i.Month <= now.In(Shanghai).Format("2006-01"), "month", "must not be after the current month")
	}
	v.Check(i.Amount >= 0 && i.Amount < maxAmount, "amount", "must be at least 0 and less than 10,000,000,000 (万元)")
	return v.Err()
}

// ProgressThresholds configure the progress light.
type ProgressThresholds struct {
	// YellowBehind is how many percentage points behind the plan turn the light yellow.
	YellowBehind float64
	// RedBehind is how many points behind, exceeded, turn it red.
	RedBehind float64
	// StartGraceMonths is how many whole months after its planned start a project may still not
	// have started construction before the light turns red.
	StartGraceMonths int
}

// DefaultProgressThresholds are those of DESIGN.md: yellow from 10 points behind, red beyond 30
// points behind or 3 months after the planned start without starting.
var DefaultProgressThresholds = ProgressThresholds{YellowBehind: 10, RedBehind: 30, StartGraceMonths: 3}

// Validate reports whether the thresholds make sense: 0 < yellow ≤ red ≤ 100 points, and a grace
// of 0 to 120 months.
func (th ProgressThresholds) Validate() error {
	var v Validation
	v.Check(th.YellowBehind > 0 && th.YellowBehind <= 100, "yellow_behind", "must be more than 0 and at most 100 points")
	v.Check(th.RedBehind >= th.YellowBehind && th.RedBehind <= 100, "red_behind", "must be at least yellow_behind and at most 100 points")
	v.Check(th.StartGraceMonths >= 0 && th.StartGraceMonths <= 120, "start_grace_months", "must be 0 to 120 months")
	return v.Err()
}

// Progress is a project's progress against its plan (序时进度) on a day.
type Progress struct {
	// Expected is the share of the planned investment that should be done by now, in percent.
	Expected float64
	// Actual is the share reported done, in percent; it may exceed 100.
	Actual float64
	// Behind is Expected − Actual in percentage points; negative when ahead.
	Behind float64
	Light  Light
	// Reason says in a few English words why the light is what it is.
	Reason string
}

// ProjectProgress computes project p's progress light on the day of now (in Asia/Shanghai), given
// the cumulative investment completed so far in 万元 and the thresholds th.
//
// Expected is the straight-line share of the planned period (planned start to planned completion,
// in days) elapsed by today, from 0 before the start to 100 on and after the completion. Actual is
// completed / planned investment × 100, never below 0. Both, and Behind, are rounded to hundredths
// of a point, so the light always agrees with the numbers shown. The light, by the first rule
// that applies:
//
//  1. cancelled: none — nothing is expected of it any more;
//  2. completed, operating or at_capacity: green — construction is done, whatever was reported;
//  3. suspended: red — a halted project is what leaders must hear about;
//  4. before the planned start: green, with expected 0;
//  5. not yet under_construction th.StartGraceMonths or more whole months after the planned
//     start: red, "not started N months after planned start";
//  6. more than th.RedBehind points behind: red;
//  7. th.YellowBehind or more points behind: yellow;
//  8. otherwise: green.
func ProjectProgress(p *Project, completed float64, now time.Time, th ProgressThresholds) Progress {
	today := Today(now)
	start, end := Today(p.PlannedStart), Today(p.PlannedCompletion)

	var expected float64
	switch total, elapsed := days(start, end), days(start, today); {
	case elapsed <= 0:
		expected = 0
	case total <= 0 || elapsed >= total:
		expected = 100
	default:
		// Multiply first: whole numbers stay exact, so half the period is exactly 50.
		expected = float64(elapsed) * 100 / float64(total)
	}
	var actual float64
	if p.PlannedInvestment > 0 && completed > 0 {
		actual = completed * 100 / p.PlannedInvestment
	}
	expected, actual = hundredths(expected), hundredths(actual)
	pr := Progress{Expected: expected, Actual: actual, Behind: hundredths(expected - actual)}

	switch {
	case p.Stage == StageCancelled:
		pr.Light, pr.Reason = LightNone, "cancelled"
	case p.Stage.Index() >= StageCompleted.Index():
		pr.Light, pr.Reason = LightGreen, "construction completed"
	case p.Stage == StageSuspended:
		pr.Light, pr.Reason = LightRed, "suspended"
	case today.Before(start):
		pr.Light, pr.Reason = LightGreen, "before planned start"
	case p.Stage.Index() < StageUnderConstruction.Index() && monthsBetween(start, today) >= th.StartGraceMonths:
		n, unit := monthsBetween(start, today), " months"
		if n == 1 {
			unit = " month"
		}
		pr.Light, pr.Reason = LightRed, "not started "+strconv.Itoa(n)+unit+" after planned start"
	case pr.Behind > th.RedBehind:
		pr.Light, pr.Reason = LightRed, behindReason(pr.Behind)
	case pr.Behind >= th.YellowBehind:
		pr.Light, pr.Reason = LightYellow, behindReason(pr.Behind)
	default:
		pr.Light, pr.Reason = LightGreen, "on schedule"
	}
	return pr
}

func behindReason(points float64) string {
	return strconv.FormatFloat(points, 'f', -1, 64) + " points behind schedule"
}

// days counts the days from date a to date b, both midnight UTC.
func days(a, b time.Time) int {
	return int(b.Sub(a).Hours() / 24)
}

// monthsBetween counts the whole months from date a to date b (0 when b is before a). A month is
// whole on the same day of the month, or on the last day of a shorter month: 31 January to
// 28 February is one month.
func monthsBetween(a, b time.Time) int {
	if b.Before(a) {
		return 0
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	n := (by-ay)*12 + int(bm-am)
	lastDay := time.Date(by, bm+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if bd < ad && bd != lastDay {
		n--
	}
	return n
}

func hundredths(x float64) float64 {
	return math.Round(x*100) / 100
}

// StageRecord is one move in a project's stage history, with who made it and when.
type StageRecord struct {
	StageMove
	ID     string
	ByID   string
	ByName string
	At     time.Time
}

// ProjectFilter narrows a project list.
type ProjectFilter struct {
	EnterpriseID string
	Stage        Stage
	KeyLevel     KeyLevel
	Light        Light
	// StewardID and LeaderID keep the projects currently assigned to them.
	StewardID string
	LeaderID  string
	// Q matches a fragment of the name or its pinyin or initials.
	Q string
}

// ProjectService stores projects, their stage history and monthly investment. Every method acts
// for the actor in ctx (ProjectScope); a project outside the scope is ENOTFOUND.
type ProjectService interface {
	// CreateProject validates p and stores it, in its stage since today unless StageSince is set.
	// Returns EINVALID (also for an enterprise outside the actor's scope), EFORBIDDEN.
	CreateProject(ctx context.Context, p *Project) error
	// Project returns one project.
	Project(ctx context.Context, id string) (*Project, error)
	// Projects lists projects, newest first.
	Projects(ctx context.Context, f ProjectFilter, page Page) (*List[Project], error)
	// UpdateProject applies patch if version is current (EVERSION otherwise).
	UpdateProject(ctx context.Context, id string, version int, patch ProjectPatch) (*Project, error)
	// MoveProjectStage moves the project (MoveStage) and records the move. Returns
	// ETRANSITION for a move the stage rules forbid, EVERSION on a stale version.
	MoveProjectStage(ctx context.Context, id string, version int, to Stage, on time.Time, note, reason string) (*Project, error)
	// ProjectStages returns the stage history, oldest first.
	ProjectStages(ctx context.Context, id string) ([]StageRecord, error)
	// SetInvestment records (or corrects) the investment completed in a month and recomputes
	// the progress light.
	SetInvestment(ctx context.Context, id string, inv Investment) (*Project, error)
	// Investments returns the monthly reports, oldest first.
	Investments(ctx context.Context, id string) ([]Investment, error)
}
