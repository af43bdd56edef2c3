package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/xuri/excelize/v2"

	"steward/domain"
)

// Titles of the columns the failed-rows workbook adds after the uploaded ones. Import ignores
// columns it does not know, so the corrected workbook can be uploaded as it is.
const (
	failedSheet     = "未导入的行"
	failedRowTitle  = "原行号"
	failedWhyTitle  = "未导入原因"
	failedRowsLimit = domain.MaxImportErrors
)

func registerImportFailedRows(api huma.API, svc domain.ImportService) {
	register(api, huma.Operation{
		OperationID: "get-import-failed-rows", Method: http.MethodGet, Path: Prefix + "/imports/{id}/failed.xlsx",
		Tags:    []string{"Enterprises"},
		Summary: "Download the rows an import refused (.xlsx), to correct and upload again",
		Description: "The file's header and every refused row (at most 1000) as uploaded, and two columns more: the row's " +
			"number in the uploaded file and what was wrong with it. Cells are text; a cell that a spreadsheet would " +
			"run as a formula starts with a quote. The import ignores the two added columns, so the corrected file can " +
			"be uploaded as it is. Rows are kept as long as the uploaded file (30 days).",
		Errors:    []int{http.StatusNotFound, http.StatusConflict},
		Responses: fileResponses("The refused rows", xlsxType),
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*fileOutput, error) {
		imp, err := svc.ImportFailedRows(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		if !imp.Finished() {
			return nil, domain.Errorf(domain.ECONFLICT, "the import is still running; download its refused rows when it has finished")
		}
		b, err := failedRowsWorkbook(imp)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(strings.TrimSuffix(imp.FileName, ".xlsx"), ".csv")
		return &fileOutput{ContentType: xlsxType, ContentDisposition: attachment(base+"-未导入的行.xlsx", "failed-rows.xlsx"),
			Body: func(hctx huma.Context) {
				hctx.SetStatus(http.StatusOK)
				_, _ = hctx.BodyWriter().Write(b)
			}}, nil
	})
}

// failedRowsWorkbook is the header and refused rows of imp, each with its row number and its
// problems (several on one row are joined by a line break).
func failedRowsWorkbook(imp *domain.Import) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", failedSheet); err != nil {
		return nil, err
	}
	st, err := newSheetStyles(f)
	if err != nil {
		return nil, err
	}
	why := map[int][]string{}
	for _, e := range imp.Errors {
		label := e.Column
		if label == "" {
			label = e.Field
		}
		why[e.Row] = append(why[e.Row], label+"："+e.Message)
	}
	width := len(imp.Header)
	for _, r := range imp.FailedRows {
		width = max(width, len(r.Cells))
	}
	header := append(append(make([]string, 0, width+2), imp.Header...), make([]string, width-len(imp.Header))...)
	header = append(header, failedRowTitle, failedWhyTitle)
	write := func(row int, cells []string, style int) error {
		for i, c := range cells {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := f.SetCellStr(failedSheet, cell, domain.SheetText(c)); err != nil {
				return err
			}
		}
		last, _ := excelize.CoordinatesToCellName(max(len(cells), 1), row)
		return f.SetCellStyle(failedSheet, "A"+strconv.Itoa(row), last, style)
	}
	if err := write(1, header, st.header); err != nil {
		return nil, err
	}
	for i, r := range imp.FailedRows {
		if i >= failedRowsLimit {
			break
		}
		cells := append(append(make([]string, 0, width+2), r.Cells...), make([]string, width-len(r.Cells))...)
		cells = append(cells, strconv.Itoa(r.Row), strings.Join(why[r.Row], "\n"))
		if err := write(i+2, cells, st.textWrap); err != nil {
			return nil, err
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(width + 2)
	whyCol, _ := excelize.ColumnNumberToName(width + 2)
	_ = f.SetColWidth(failedSheet, "A", lastCol, 16)
	_ = f.SetColWidth(failedSheet, whyCol, whyCol, 48)
	_ = f.SetPanes(failedSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
