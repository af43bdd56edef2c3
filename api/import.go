package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/xuri/excelize/v2"

	"steward/domain"
)

// Media types of spreadsheet files.
const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvType  = "text/csv; charset=utf-8"
)

// fileOutput is a file download: written by Body, offered to save under a name.
type fileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               func(huma.Context)
}

// fileResponses documents a file download of the given media types.
func fileResponses(description string, types ...string) map[string]*huma.Response {
	content := map[string]*huma.MediaType{}
	for _, t := range types {
		content[strings.SplitN(t, ";", 2)[0]] = &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	}
	return map[string]*huma.Response{"200": {Description: description, Content: content}}
}

// attachment is a Content-Disposition that saves the file as name: an ASCII fallback for old
// clients, and the real (Chinese) name RFC 5987-encoded.
func attachment(name, fallback string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
		}
	}
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + b.String()
}

type importBody struct {
	ID       string `json:"id" format:"uuid"`
	Kind     string `json:"kind" enum:"enterprises"`
	FileName string `json:"file_name"`
	Format   string `json:"format" enum:"xlsx,csv"`
	Status   string `json:"status" enum:"queued,running,done,failed" doc:"done: every row was tried (see failed and errors); failed: the file could not be read"`
	Total    int    `json:"total" doc:"Data rows in the file (blank rows and the template's example row are not counted)"`
	Done     int    `json:"done" doc:"Rows saved so far: created, updated or unchanged"`
	Failed   int    `json:"failed" doc:"Rows refused so far; errors says why"`
	// The split of done.
	Created         int               `json:"created" doc:"Rows that registered a new enterprise"`
	Updated         int               `json:"updated" doc:"Rows whose credit code was registered and that changed that enterprise"`
	Unchanged       int               `json:"unchanged" doc:"Rows whose credit code was registered and that changed nothing"`
	Errors          []importErrorBody `json:"errors"`
	ErrorsTruncated bool              `json:"errors_truncated" doc:"More problems were found than errors lists (at most 1000)"`
	CreatedAt       time.Time         `json:"created_at"`
	FinishedAt      *time.Time        `json:"finished_at"`
}

type importErrorBody struct {
	Row     int    `json:"row" doc:"The row number the spreadsheet shows (the header is row 1); 0 for the whole file"`
	Field   string `json:"field" example:"credit_code" doc:"The API field name, or file"`
	Column  string `json:"column,omitempty" example:"统一社会信用代码" doc:"The header title of the field's column"`
	Message string `json:"message"`
}

func toImportBody(imp *domain.Import) importBody {
	b := importBody{
		ID: imp.ID, Kind: string(imp.Kind), FileName: imp.FileName, Format: string(imp.Format),
		Status: string(imp.Status), Total: imp.Total, Done: imp.Done, Failed: imp.Failed,
		Created: imp.Created, Updated: imp.Updated, Unchanged: imp.Unchanged,
		Errors: make([]importErrorBody, len(imp.Errors)), ErrorsTruncated: imp.ErrorsTruncated,
		CreatedAt: imp.CreatedAt, FinishedAt: imp.FinishedAt,
	}
	for i, e := range imp.Errors {
		b.Errors[i] = importErrorBody(e)
	}
	return b
}

// uploadOverhead is what a multipart body may carry besides the file: boundaries and headers.
const uploadOverhead = 64 << 10

// uploadDeadline is how long an upload of size bytes may take: half a minute, and a second for
// every 32 KB (a slow mobile line of 256 kbit/s); 10 MB get about six minutes.
func uploadDeadline(size int64) time.Duration {
	return 30*time.Second + time.Duration(size/(32<<10))*time.Second
}

// guardUpload refuses an upload before reading it when the caller may not make it (403) or it
// is larger than limit (413), and reads it with that limit.
func guardUpload(api huma.API, limit int64, may func(*domain.Actor) bool, what string) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		if a := domain.ActorFrom(ctx.Context()); !may(a) {
			_ = huma.WriteErr(api, ctx, 0, "", domain.Forbidden(a, what))
			return
		}
		tooLarge := func() {
			_ = huma.WriteErr(api, ctx, http.StatusRequestEntityTooLarge, "the file is larger than "+strconv.FormatInt(limit>>20, 10)+" MB",
				&huma.ErrorDetail{Location: "body.file", Message: "must be at most " + strconv.FormatInt(limit>>20, 10) + " MB; split it into several files"})
		}
		r, w := humago.Unwrap(ctx)
		if r.ContentLength > limit+uploadOverhead {
			tooLarge()
			return
		}
		size := limit + uploadOverhead
		if r.ContentLength > 0 {
			size = r.ContentLength
		}
		// The server's read timeout suits a form, not a file over a slow line: the upload gets a
		// deadline by its size, and a client slower than that is cut off rather than holding
		// the connection for ever.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadDeadline(size)))
		r.Body = http.MaxBytesReader(w, r.Body, limit+uploadOverhead)
		// Parsed here, huma finds the form parsed and does not read it again.
		if err := r.ParseMultipartForm(humago.MultipartMaxMemory); err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				tooLarge()
				return
			}
			_ = huma.WriteErr(api, ctx, http.StatusUnprocessableEntity, "send the file as multipart/form-data in the field file",
				&huma.ErrorDetail{Location: "body.file", Message: "is required"})
			return
		}
		next(ctx)
	}
}

func registerImports(api huma.API, svc domain.ImportService) {
	tags := []string{"Enterprises"}
	mayImport := func(a *domain.Actor) bool { return domain.Can(a, domain.ActCreate, domain.ResImport) }

	register(api, huma.Operation{
		OperationID: "get-enterprise-import-template", Method: http.MethodGet,
		Path: Prefix + "/imports/templates/enterprises.xlsx", Tags: tags,
		Summary:     "Download the enterprise import template (.xlsx)",
		Description: "The header row, drop-down lists for the coded columns, an example row (ignored on import) and a sheet explaining every column.",
		Responses:   fileResponses("The template", xlsxType),
	}, func(ctx context.Context, _ *struct{}) (*fileOutput, error) {
		if a := domain.ActorFrom(ctx); !mayImport(a) {
			return nil, domain.Forbidden(a, "import enterprises")
		}
		b, err := enterpriseTemplate()
		if err != nil {
			return nil, err
		}
		return &fileOutput{ContentType: xlsxType, ContentDisposition: attachment("企业导入模板.xlsx", "enterprise-import-template.xlsx"),
			Body: func(hctx huma.Context) {
				hctx.SetStatus(http.StatusOK)
				_, _ = hctx.BodyWriter().Write(b)
			}}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-enterprise-import", Method: http.MethodPost, Path: Prefix + "/imports/enterprises", Tags: tags,
		Summary: "Import enterprises from an .xlsx or .csv file",
		Description: "Stores the file and imports it in the background, row by row, with the caller's permissions; " +
			"follow GET /imports/{id}. A row whose credit code is registered updates that enterprise.",
		DefaultStatus: http.StatusAccepted,
		Errors:        []int{http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity},
		Middlewares:   huma.Middlewares{guardUpload(api, domain.MaxImportSize, mayImport, "import enterprises")},
	}, func(ctx context.Context, in *struct {
		RawBody huma.MultipartFormFiles[struct {
			File huma.FormFile `form:"file" contentType:"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv,application/octet-stream" required:"true" doc:".xlsx, or .csv in UTF-8 (with or without BOM) or GB18030; at most 10 MB"`
		}]
	}) (*struct {
		Location string `header:"Location"`
		Body     struct {
			ID     string `json:"id" format:"uuid"`
			Status string `json:"status" enum:"queued"`
		}
	}, error) {
		f := in.RawBody.Data().File
		if f.Size > domain.MaxImportSize {
			return nil, huma.NewError(http.StatusRequestEntityTooLarge, "the file is larger than 10 MB",
				&huma.ErrorDetail{Location: "body.file", Message: "must be at most 10 MB; split it into several files"})
		}
		data, err := io.ReadAll(io.LimitReader(f, domain.MaxImportSize+1))
		if err != nil {
			return nil, err
		}
		imp, err := svc.CreateImport(ctx, domain.ImportEnterprises, f.Filename, data)
		if err != nil {
			return nil, err
		}
		out := &struct {
			Location string `header:"Location"`
			Body     struct {
				ID     string `json:"id" format:"uuid"`
				Status string `json:"status" enum:"queued"`
			}
		}{Location: Prefix + "/imports/" + imp.ID}
		out.Body.ID, out.Body.Status = imp.ID, string(imp.Status)
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "get-import", Method: http.MethodGet, Path: Prefix + "/imports/{id}", Tags: tags,
		Summary: "An import's progress and the problems of its rows", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{ Body importBody }, error) {
		imp, err := svc.Import(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &struct{ Body importBody }{toImportBody(imp)}, nil
	})
}

// Sheet names of the enterprise workbook.
const (
	enterpriseSheet = "企业名录"
	helpSheet       = "填写说明"
	listSheet       = "代码表" // hidden: the drop-down lists
)

// templateRows is how many rows of the template carry the drop-downs.
const templateRows = 5000

// enterpriseTemplate builds the import template once.
var enterpriseTemplate = sync.OnceValues(func() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", enterpriseSheet); err != nil {
		return nil, err
	}
	st, err := newSheetStyles(f)
	if err != nil {
		return nil, err
	}
	cols := domain.EnterpriseColumns
	last := len(cols)
	for i, c := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		style := st.header
		if c.Required {
			style = st.required
		}
		// Every column is text: Excel would turn codes and phone numbers into numbers.
		colStyle := st.text
		if strings.HasPrefix(c.Field, "contacts") {
			colStyle = st.textWrap
		}
		_ = f.SetColStyle(enterpriseSheet, col, colStyle)
		_ = f.SetColWidth(enterpriseSheet, col, col, columnWidth(c))
		if err := f.SetCellStr(enterpriseSheet, col+"1", c.Title); err != nil {
			return nil, err
		}
		_ = f.SetCellStyle(enterpriseSheet, col+"1", col+"1", style)
		if err := f.SetCellStr(enterpriseSheet, col+"2", c.Example); err != nil {
			return nil, err
		}
		_ = f.SetCellStyle(enterpriseSheet, col+"2", col+"2", st.example)
	}
	lastCol, _ := excelize.ColumnNumberToName(last)
	_ = f.SetPanes(enterpriseSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	_ = f.AutoFilter(enterpriseSheet, "A1:"+lastCol+"1", nil)

	if err := writeHelpSheet(f, st); err != nil {
		return nil, err
	}

	// The drop-down lists: the industries are too long for an inline list (255 characters), so
	// all lists live on a hidden sheet.
	if _, err := f.NewSheet(listSheet); err != nil {
		return nil, err
	}
	lists := [][]string{industryLabels(), scaleLabels(), keyLevelLabels()}
	for j, values := range lists {
		col, _ := excelize.ColumnNumberToName(j + 1)
		for i, v := range values {
			_ = f.SetCellStr(listSheet, col+strconv.Itoa(i+1), v)
		}
	}
	for j, field := range []string{"industry", "scale", "key_level"} {
		i := fieldColumn(field)
		col, _ := excelize.ColumnNumberToName(i + 1)
		listCol, _ := excelize.ColumnNumberToName(j + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = col + "2:" + col + strconv.Itoa(templateRows+1)
		dv.SetSqrefDropList("'" + listSheet + "'!$" + listCol + "$1:$" + listCol + "$" + strconv.Itoa(len(lists[j])))
		dv.SetInput(cols[i].Title, "从下拉列表选择")
		dv.SetError(excelize.DataValidationErrorStyleWarning, cols[i].Title, "不在列表中。"+cols[i].Help)
		if err := f.AddDataValidation(enterpriseSheet, dv); err != nil {
			return nil, err
		}
	}
	if err := f.SetSheetVisible(listSheet, false); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
})

func writeHelpSheet(f *excelize.File, st *sheetStyles) error {
	if _, err := f.NewSheet(helpSheet); err != nil {
		return err
	}
	rows := [][]string{{"列名", "必填", "说明", "示例"}}
	for _, c := range domain.EnterpriseColumns {
		req := ""
		if c.Required {
			req = "是"
		}
		rows = append(rows, []string{c.Title, req, c.Help, c.Example})
	}
	rows = append(rows, nil,
		[]string{"导入规则"},
		[]string{"", "", "第一行是表头，请勿修改列名；列的顺序可以调整，多余的列会被忽略。"},
		[]string{"", "", "第 2 行是示例，导入时会被忽略，可以删除。空行会被跳过。"},
		[]string{"", "", "统一社会信用代码已登记的，导入时更新该企业：填写了的单元格覆盖原值，空白单元格保留原值；联系人按姓名更新或追加。"},
		[]string{"", "", "每行单独保存：有问题的行会列出行号、列和原因，其余行照常导入。"},
		[]string{"", "", "文件为 .xlsx，或 .csv（UTF-8 或 GB18030 编码），不超过 10 MB。"},
		nil,
		[]string{"行业门类", "", "代码及名称（GB/T 4754-2017）"},
	)
	for _, l := range industryLabels() {
		rows = append(rows, []string{"", "", l})
	}
	for i, r := range rows {
		for j, v := range r {
			col, _ := excelize.ColumnNumberToName(j + 1)
			if err := f.SetCellStr(helpSheet, col+strconv.Itoa(i+1), v); err != nil {
				return err
			}
		}
	}
	_ = f.SetCellStyle(helpSheet, "A1", "D1", st.header)
	_ = f.SetCellStyle(helpSheet, "C2", "C"+strconv.Itoa(len(domain.EnterpriseColumns)+1), st.wrap)
	_ = f.SetColWidth(helpSheet, "A", "A", 18)
	_ = f.SetColWidth(helpSheet, "B", "B", 6)
	_ = f.SetColWidth(helpSheet, "C", "C", 80)
	_ = f.SetColWidth(helpSheet, "D", "D", 28)
	return nil
}

// sheetStyles are the cell styles of the enterprise workbooks.
type sheetStyles struct {
	header, required, example, text, textWrap, wrap int
}

func newSheetStyles(f *excelize.File) (*sheetStyles, error) {
	var st sheetStyles
	var err error
	font := &excelize.Font{Bold: true}
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	styles := []struct {
		dst   *int
		style *excelize.Style
	}{
		{&st.header, &excelize.Style{Font: font, Fill: fill}},
		{&st.required, &excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}, Fill: fill}},
		{&st.example, &excelize.Style{Font: &excelize.Font{Italic: true, Color: "808080"}, NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true}}},
		{&st.text, &excelize.Style{NumFmt: 49}},
		{&st.textWrap, &excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true}}},
		{&st.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	}
	for _, s := range styles {
		if *s.dst, err = f.NewStyle(s.style); err != nil {
			return nil, err
		}
	}
	return &st, nil
}

func columnWidth(c domain.SheetColumn) float64 {
	switch c.Field {
	case "name", "address":
		return 32
	case "credit_code", "industry", "tags":
		return 22
	case "contacts[0].email":
		return 24
	}
	return 14
}

func fieldColumn(field string) int {
	for i, c := range domain.EnterpriseColumns {
		if c.Field == field {
			return i
		}
	}
	panic("no column for " + field)
}

func industryLabels() []string {
	var out []string
	for _, code := range domain.IndustryCodes() {
		out = append(out, domain.IndustryLabel(code))
	}
	return out
}

func scaleLabels() []string {
	var out []string
	for _, s := range domain.Scales {
		out = append(out, domain.ScaleLabels[s])
	}
	return out
}

func keyLevelLabels() []string {
	var out []string
	for _, k := range domain.KeyLevels {
		out = append(out, domain.KeyLevelLabels[k])
	}
	return out
}
