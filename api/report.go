package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/xuri/excelize/v2"

	"steward/domain"
)

// The sheets of the monthly report (通报), in order.
const (
	reportSheetOverview    = "总体情况"
	reportSheetDepartments = "部门"
	reportSheetStewards    = "项目管家"
	reportSheetCategories  = "诉求类别"
	reportSheetOverdue     = "超期诉求"
)

// reportOnTimeTarget is the on-time rate below which a department is marked red in the report.
const reportOnTimeTarget = 0.9

var stageNames = map[domain.Stage]string{
	domain.StageNegotiating: "洽谈", domain.StageSigned: "签约", domain.StagePermitting: "审批手续",
	domain.StageUnderConstruction: "开工在建", domain.StageCompleted: "竣工", domain.StageOperating: "投产",
	domain.StageAtCapacity: "达产", domain.StageSuspended: "停缓建", domain.StageCancelled: "终止",
}

func registerReports(api huma.API, svc domain.StatsService) {
	register(api, huma.Operation{
		OperationID: "get-monthly-report", Method: http.MethodGet, Path: Prefix + "/reports/monthly",
		Tags: []string{"Supervision"}, Summary: "The monthly report (营商环境监督通报) as .xlsx",
		Description: "Dispatchers only. Sheets 总体情况 (the overview), 部门 (departments; an on-time rate below 90% in red; ending with the approval-plan node punctuality), " +
			"项目管家 (stewards), 诉求类别 (categories) and 超期诉求 (the red tickets of the month, longest overdue first, " +
			"with the working days overdue), for the tickets created in the month. " + statsDefinitions,
		Responses: fileResponses("The report", xlsxType),
		Errors:    []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Month string `query:"month" required:"true" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" example:"2026-10" doc:"The month, YYYY-MM"`
	}) (*fileOutput, error) {
		year, _ := strconv.Atoi(in.Month[:4])
		month, _ := strconv.Atoi(in.Month[5:])
		r, err := svc.MonthlyReport(ctx, year, time.Month(month))
		if err != nil {
			return nil, err
		}
		f, err := reportXLSX(r)
		if err != nil {
			return nil, err
		}
		return &fileOutput{ContentType: xlsxType,
			ContentDisposition: attachment(r.Title()+".xlsx", "supervision-report-"+in.Month+".xlsx"),
			Body: func(hctx huma.Context) {
				defer f.Close()
				hctx.SetStatus(http.StatusOK)
				if err := f.Write(hctx.BodyWriter()); err != nil {
					logExportStop(hctx, err)
				}
			}}, nil
	})
}

// reportStyles are the cell styles of the report.
type reportStyles struct {
	header, percent, percentRed, decimal int
}

func newReportStyles(f *excelize.File) (*reportStyles, error) {
	var st reportStyles
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	red := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}
	for _, s := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.percent, &excelize.Style{NumFmt: 10}},
		{&st.percentRed, &excelize.Style{NumFmt: 10, Fill: red, Font: &excelize.Font{Color: "9C0006", Bold: true}}},
		{&st.decimal, &excelize.Style{NumFmt: 2}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return nil, err
		}
		*s.dst = id
	}
	return &st, nil
}

// reportSheet writes one sheet: column widths, a header row, the rows (their text through
// domain.SheetText).
func reportSheet(f *excelize.File, st *reportStyles, name string, widths []float64, header []string, rows [][]any) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for i, r := range rows {
		for j, v := range r {
			if text, ok := v.(string); ok {
				r[j] = domain.SheetText(text) // names and titles people typed: shown, never run
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// rateCell is a rate as a percentage, or a dash without one; red marks it below the target.
func (st *reportStyles) rateCell(r *float64, markBelow float64) any {
	if r == nil {
		return "—"
	}
	style := st.percent
	if *r < markBelow {
		style = st.percentRed
	}
	return excelize.Cell{StyleID: style, Value: *r}
}

func (st *reportStyles) daysCell(d *float64) any {
	if d == nil {
		return "—"
	}
	return excelize.Cell{StyleID: st.decimal, Value: *d}
}

// ticketCells are the ticket measures of a row of the 部门, 项目管家 and 诉求类别 sheets.
func (st *reportStyles) ticketCells(s domain.TicketStats, markOnTime bool) []any {
	mark := 0.0
	if markOnTime {
		mark = reportOnTimeTarget
	}
	return []any{s.Total, s.Open, s.Red, s.Yellow, s.Resolved, s.OnTime, st.rateCell(s.OnTimeRate(), mark),
		st.daysCell(s.AvgResolveWorkingDays()), s.Rated, st.rateCell(s.SatisfactionRate(), 0)}
}

var ticketHeaders = []string{"诉求数", "未办结", "红灯", "黄灯", "已办结", "按时办结", "按时办结率", "平均办结用时（工作日）", "评价数", "满意率"}
var ticketWidths = []float64{10, 10, 8, 8, 10, 10, 12, 22, 10, 10}

// nodeCells are a department's approval-plan node punctuality, at the end of its 部门 row.
func nodeCells(st *reportStyles, s domain.NodeStats) []any {
	return []any{s.Due, s.Done, s.OnTime, s.Waived, s.Overdue, st.rateCell(s.OnTimeRate(), reportOnTimeTarget)}
}

var nodeHeaders = []string{"审批节点到期", "节点已完成", "节点按时完成", "节点豁免", "节点超期未完成", "节点按时率"}
var nodeWidths = []float64{12, 10, 12, 10, 14, 10}

// reportXLSX builds the monthly report's workbook.
func reportXLSX(r *domain.MonthlyReport) (*excelize.File, error) {
	f := excelize.NewFile()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
		}
	}()
	st, err := newReportStyles(f)
	if err != nil {
		return nil, err
	}
	o := r.Overview
	t, v := o.Tickets, o.Visits
	period := fmt.Sprintf("%s 至 %s", o.Period.From.Format("2006年1月2日"), o.Period.To.AddDate(0, 0, -1).Format("2006年1月2日"))
	overview := [][]any{
		{"统计期间", period},
		{"诉求总数（期间内提交）", t.Total},
		{"未办结", t.Open},
		{"红灯（已超期）", t.Red},
		{"黄灯（临近期限）", t.Yellow},
		{"已办结", t.Resolved},
		{"按时办结", t.OnTime},
		{"按时办结率", st.rateCell(t.OnTimeRate(), reportOnTimeTarget)},
		{"平均办结用时（工作日）", st.daysCell(t.AvgResolveWorkingDays())},
		{"评价数", t.Rated},
		{"满意数（满意、非常满意）", t.Satisfied},
		{"满意率", st.rateCell(t.SatisfactionRate(), 0)},
		{"走访次数", v.Count},
		{"包保企业数", v.Assigned},
		{"期间内已走访企业数", v.Covered},
		{"走访覆盖率", st.rateCell(v.CoverageRate(), 0)},
	}
	for _, stage := range domain.Stages {
		overview = append(overview, []any{"项目（" + stageNames[stage] + "）", o.Projects.ByStage[stage]})
	}
	overview = append(overview, []any{"红灯项目", o.Projects.Red})
	if err := reportSheet(f, st, reportSheetOverview, []float64{28, 36}, []string{"指标", "数值"}, overview); err != nil {
		return nil, err
	}

	var rows [][]any
	for _, d := range r.Departments {
		rows = append(rows, append(append([]any{d.DepartmentName}, st.ticketCells(d.Tickets, true)...), nodeCells(st, d.Nodes)...))
	}
	if err := reportSheet(f, st, reportSheetDepartments, append(append([]float64{30}, ticketWidths...), nodeWidths...),
		append(append([]string{"承办部门"}, ticketHeaders...), nodeHeaders...), rows); err != nil {
		return nil, err
	}

	rows = nil
	for _, s := range r.Stewards {
		rows = append(rows, append(append([]any{s.StewardName}, st.ticketCells(s.Tickets, false)...),
			s.Visits.Count, s.Visits.Assigned, s.Visits.Covered, st.rateCell(s.Visits.CoverageRate(), 0)))
	}
	if err := reportSheet(f, st, reportSheetStewards, append(append([]float64{16}, ticketWidths...), 10, 12, 14, 12),
		append(append([]string{"项目管家"}, ticketHeaders...), "走访次数", "包保企业数", "已走访企业数", "走访覆盖率"), rows); err != nil {
		return nil, err
	}

	rows = nil
	for _, c := range r.Categories {
		rows = append(rows, append([]any{c.CategoryName}, st.ticketCells(c.Tickets, false)...))
	}
	if err := reportSheet(f, st, reportSheetCategories, append([]float64{16}, ticketWidths...),
		append([]string{"诉求类别"}, ticketHeaders...), rows); err != nil {
		return nil, err
	}

	rows = nil
	for _, t := range r.Overdue {
		rows = append(rows, []any{t.Number, t.Title, t.EnterpriseName, t.DepartmentName,
			t.DueAt.In(domain.Shanghai).Format("2006-01-02 15:04"), t.WorkingDaysOverdue})
	}
	if err := reportSheet(f, st, reportSheetOverdue, []float64{18, 36, 32, 26, 18, 16},
		[]string{"诉求编号", "诉求标题", "企业", "承办部门", "办理期限", "超期（工作日）"}, rows); err != nil {
		return nil, err
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	ok = true
	return f, nil
}
