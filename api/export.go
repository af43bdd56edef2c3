package api

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/xuri/excelize/v2"

	"steward/domain"
)

// enterprisePages pages through the enterprises the actor of ctx may see, as the API lists them
// (contacts masked for those who do not see them in full), so that an export never holds more
// than a page.
type enterprisePages struct {
	ctx    context.Context
	svc    domain.EnterpriseService
	filter domain.EnterpriseFilter
	cursor string
	done   bool
}

// next returns the next page; an empty one at the end.
func (p *enterprisePages) next() ([]domain.Enterprise, error) {
	if p.done {
		return nil, nil
	}
	l, err := p.svc.Enterprises(p.ctx, p.filter, domain.Page{Limit: domain.MaxPageLimit, Cursor: p.cursor})
	if err != nil {
		return nil, err
	}
	p.cursor, p.done = l.NextCursor, l.NextCursor == ""
	return l.Items, nil
}

func registerExports(api huma.API, svc domain.EnterpriseService) {
	register(api, huma.Operation{
		OperationID: "export-enterprises", Method: http.MethodGet, Path: Prefix + "/exports/enterprises",
		Tags: []string{"Enterprises"}, Summary: "Export the enterprise list as .xlsx or .csv",
		Description: "The enterprises GET /enterprises would list with the same filters, all pages, in the columns " +
			"of the import template (an export can be edited and imported back). Phone numbers are masked as the " +
			"list masks them for the caller. The CSV is UTF-8 with a byte-order mark, so that Excel reads the Chinese.",
		Responses: fileResponses("The enterprises", xlsxType, csvType),
		Errors:    []int{http.StatusForbidden, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Format                 string `query:"format" enum:"xlsx,csv" default:"xlsx"`
		EnterpriseFilterParams        // the filters of list-enterprises
	}) (*fileOutput, error) {
		if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActRead, domain.ResEnterprise) {
			return nil, domain.Forbidden(a, "export the register") // integrations look enterprises up, one by one
		}
		pages := &enterprisePages{ctx: ctx, svc: svc, filter: in.filter()}
		// The first page is read before answering, so that a refusal is an error, not a file.
		first, err := pages.next()
		if err != nil {
			return nil, err
		}
		name := "企业名录-" + domain.Today(time.Now()).Format("20060102") + "." + in.Format
		fallback := "enterprises-" + domain.Today(time.Now()).Format("20060102") + "." + in.Format
		if in.Format == "csv" {
			return &fileOutput{ContentType: csvType, ContentDisposition: attachment(name, fallback),
				Body: func(hctx huma.Context) { writeEnterprisesCSV(hctx, pages, first) }}, nil
		}
		f, err := enterprisesXLSX(pages, first)
		if err != nil {
			return nil, err
		}
		return &fileOutput{ContentType: xlsxType, ContentDisposition: attachment(name, fallback),
			Body: func(hctx huma.Context) {
				defer f.Close()
				extendWrite(hctx, 10*time.Minute) // a whole register over a slow line
				hctx.SetStatus(http.StatusOK)
				if err := f.Write(hctx.BodyWriter()); err != nil {
					logExportStop(hctx, err)
				}
			}}, nil
	})
}

// writeEnterprisesCSV streams the pages as CSV, page by page. Once the first bytes are out an
// error can only cut the file short; it is logged.
func writeEnterprisesCSV(hctx huma.Context, pages *enterprisePages, items []domain.Enterprise) {
	hctx.SetStatus(http.StatusOK)
	bw := hctx.BodyWriter()
	if _, err := bw.Write([]byte("\xEF\xBB\xBF")); err != nil { // Excel reads UTF-8 only after a BOM
		return
	}
	w := csv.NewWriter(bw)
	w.UseCRLF = true
	header := make([]string, len(domain.EnterpriseColumns))
	for i, c := range domain.EnterpriseColumns {
		header[i] = c.Title
	}
	_ = w.Write(header)
	for len(items) > 0 {
		extendWrite(hctx, time.Minute) // each page gets its minute, however many pages there are
		for i := range items {
			_ = w.Write(domain.EnterpriseSheetRow(&items[i]))
		}
		if w.Flush(); w.Error() != nil {
			return // the client went away
		}
		var err error
		if items, err = pages.next(); err != nil {
			logExportStop(hctx, err)
			return
		}
	}
}

// enterprisesXLSX writes the pages into a workbook through excelize's stream writer, which keeps
// the rows on disk rather than in memory; the workbook is written out once complete, so that an
// error on the way is still answered as an error.
func enterprisesXLSX(pages *enterprisePages, items []domain.Enterprise) (*excelize.File, error) {
	f := excelize.NewFile()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
		}
	}()
	if err := f.SetSheetName("Sheet1", enterpriseSheet); err != nil {
		return nil, err
	}
	st, err := newSheetStyles(f)
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(enterpriseSheet)
	if err != nil {
		return nil, err
	}
	cols := domain.EnterpriseColumns
	header := make([]any, len(cols))
	styles := make([]int, len(cols))
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(c)); err != nil {
			return nil, err
		}
		header[i] = excelize.Cell{StyleID: st.header, Value: c.Title}
		styles[i] = st.text
		if strings.HasPrefix(c.Field, "contacts") {
			styles[i] = st.textWrap
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	row := 2
	values := make([]any, len(cols))
	for len(items) > 0 {
		for i := range items {
			for j, v := range domain.EnterpriseSheetRow(&items[i]) {
				values[j] = excelize.Cell{StyleID: styles[j], Value: v}
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, values); err != nil {
				return nil, err
			}
			row++
		}
		if items, err = pages.next(); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	ok = true
	return f, nil
}

// extendWrite moves the write deadline of a long answer d ahead of now, past the server's
// WriteTimeout (DefaultTimeouts), so that a large download is not cut while it makes progress.
func extendWrite(hctx huma.Context, d time.Duration) {
	if w, ok := hctx.BodyWriter().(http.ResponseWriter); ok {
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
	}
}

func logExportStop(hctx huma.Context, err error) {
	if info := infoFrom(hctx.Context()); info != nil {
		info.log.Error("export cut short", "request_id", info.id, "err", err)
	}
}
