package jobs

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"steward/domain"
)

// importWorker saves the rows of an uploaded spreadsheet one by one, as the user who uploaded it,
// and records its progress and every bad row. It is safe to run twice: a finished import is left
// alone, and an interrupted one starts again from the first row, which is harmless because a row
// whose credit code is registered updates that enterprise (or changes nothing).
type importWorker struct {
	river.WorkerDefaults[domain.ImportArgs]
	deps Deps
}

// importProgressEvery is how many rows are worked between two progress reports.
const importProgressEvery = 100

func (w *importWorker) Timeout(*river.Job[domain.ImportArgs]) time.Duration {
	return 30 * time.Minute // 10 MB of rows, one transaction each
}

func (w *importWorker) Work(ctx context.Context, job *river.Job[domain.ImportArgs]) error {
	imp, err := w.work(ctx, job.Args.ImportID)
	switch {
	case err == nil:
		return nil
	case imp == nil && domain.ErrorCode(err) == domain.ENOTFOUND:
		return river.JobCancel(err) // no such import: nothing to retry
	case imp != nil && job.Attempt >= job.MaxAttempts:
		// The last attempt: say so on the import rather than leave it running for ever.
		imp.Status = domain.ImportFailed
		imp.AddError(domain.ImportError{Field: "file", Message: "the import stopped on a server error; upload the file again later"})
		if serr := w.deps.Imports.SaveImport(context.WithoutCancel(ctx), imp); serr != nil {
			w.deps.Logger.Error("record a failed import", "import_id", imp.ID, "err", serr)
		}
	}
	return err
}

// work runs the import. A problem with the file or a row is recorded on the import; an error is
// returned only when the work could not go on (the database), together with the import so far.
func (w *importWorker) work(ctx context.Context, id string) (*domain.Import, error) {
	store := w.deps.Imports
	run, err := store.BeginImport(ctx, id)
	if err != nil || run == nil {
		return nil, err
	}
	imp := run.Import
	fail := func(e domain.ImportError) (*domain.Import, error) {
		imp.Status = domain.ImportFailed
		imp.AddError(e)
		return imp, store.SaveImport(ctx, imp)
	}
	a := run.Actor
	// Registering is enough: an administrator (who may not read the register) registers new
	// enterprises, and a row whose credit code is registered is refused for them (outside their
	// scope: ECONFLICT).
	if a == nil || !domain.Can(a, domain.ActCreate, domain.ResEnterprise) {
		return fail(domain.ImportError{Field: "file", Message: "the user who uploaded the file may no longer register enterprises"})
	}
	actor := *a
	actor.RequestID = "import-" + imp.ID // the audit records of the rows point to the import
	actx := domain.WithActor(ctx, &actor)

	sheet, err := openSheet(imp.Format, run.File)
	var p *fileProblem
	if errors.As(err, &p) {
		return fail(p.ImportError)
	} else if err != nil {
		return imp, err
	}
	defer sheet.Close()

	// A first pass finds the header and counts the rows, so that progress has a total.
	var fields []string
	err = sheet.Rows(func(row int, cells []string) error {
		switch {
		case blank(cells):
		case fields == nil:
			var missing []string
			if fields, missing = domain.MatchEnterpriseHeader(cells); len(missing) > 0 {
				return &fileProblem{domain.ImportError{Row: row, Field: "file", Message: fmt.Sprintf(
					"the header (the first filled row) has no column %s; start from the template", strings.Join(missing, ", "))}}
			}
		case !isExample(fields, cells):
			imp.Total++
		}
		return nil
	})
	if errors.As(err, &p) {
		return fail(p.ImportError)
	}
	if fields == nil {
		return fail(domain.ImportError{Field: "file", Message: "the file has no rows"})
	}
	if err := store.SaveImport(ctx, imp); err != nil {
		return imp, err
	}

	header := true
	err = sheet.Rows(func(row int, cells []string) error {
		if blank(cells) {
			return nil
		}
		if header {
			header = false
			imp.Header = append([]string{}, cells...)
			return nil
		}
		if isExample(fields, cells) {
			return nil
		}
		if err := w.importRow(actx, imp, row, fields, cells); err != nil {
			return err
		}
		if (imp.Done+imp.Failed)%importProgressEvery == 0 {
			return store.SaveImport(ctx, imp)
		}
		return nil
	})
	if errors.As(err, &p) {
		return fail(p.ImportError)
	}
	if err != nil {
		return imp, err
	}
	imp.Status = domain.ImportDone
	return imp, store.SaveImport(ctx, imp)
}

// importRow saves one row and counts it; a bad row is recorded on imp. It returns an error only
// when the row could not be tried.
func (w *importWorker) importRow(ctx context.Context, imp *domain.Import, row int, fields, cells []string) error {
	byField := make(map[string]string, len(fields))
	for i, f := range fields {
		if f != "" && i < len(cells) {
			byField[f] = cells[i]
		}
	}
	e, err := domain.EnterpriseFromSheet(byField)
	var outcome domain.ImportOutcome
	if err == nil {
		outcome, err = w.deps.Imports.ImportEnterprise(ctx, e)
	}
	var de *domain.Error
	if errors.As(err, &de) && (de.Code == domain.EINVALID || de.Code == domain.ECONFLICT || de.Code == domain.EFORBIDDEN) {
		imp.Failed++
		if len(de.Fields) == 0 {
			field := "file"
			if de.Code == domain.ECONFLICT {
				field = "credit_code"
			}
			de = &domain.Error{Code: de.Code, Fields: []domain.FieldError{{Field: field, Message: de.Message}}}
		}
		for _, f := range de.Fields {
			c, _ := domain.EnterpriseColumn(f.Field)
			imp.AddError(domain.ImportError{Row: row, Field: f.Field, Column: c.Title, Message: f.Message})
		}
		imp.AddFailedRow(row, cells)
		return nil
	}
	if err != nil {
		return err
	}
	imp.Done++
	switch outcome {
	case domain.ImportCreated:
		imp.Created++
	case domain.ImportUpdated:
		imp.Updated++
	default:
		imp.Unchanged++
	}
	return nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// isExample reports whether the row is the template's example row, left in by the user.
func isExample(fields, cells []string) bool {
	matches := 0
	for i, f := range fields {
		if i >= len(cells) || f == "" {
			continue
		}
		if c, _ := domain.EnterpriseColumn(f); (f == "name" || f == "credit_code") && strings.TrimSpace(cells[i]) == c.Example {
			matches++
		}
	}
	return matches == 2
}

// sheet is the rows of an uploaded file. Rows calls fn with each row's number, as the
// spreadsheet shows it, and its cells, and stops at the first error of fn or of the file (a
// *fileProblem).
type sheet interface {
	Rows(fn func(row int, cells []string) error) error
	Close()
}

// fileProblem is what is wrong with an uploaded file as a whole, or with one of its rows so
// badly that the rest cannot be read. It fails the import.
type fileProblem struct{ domain.ImportError }

func (p *fileProblem) Error() string { return p.Message }

func fileError(row int, format string, args ...any) error {
	return &fileProblem{domain.ImportError{Row: row, Field: "file", Message: fmt.Sprintf(format, args...)}}
}

// errHeaderSeen stops reading a sheet once its header is seen.
var errHeaderSeen = errors.New("header seen")

func openSheet(format domain.ImportFormat, data []byte) (sheet, error) {
	if format == domain.ImportXLSX {
		return openXLSX(data)
	}
	return openCSV(data)
}

type xlsxSheet struct {
	f    *excelize.File
	name string
}

// xlsxUnzipLimit is the most an uploaded workbook may unpack to.
const xlsxUnzipLimit = 512 << 20

func openXLSX(data []byte) (sheet, error) {
	// The limits keep a small file that unpacks into gigabytes (a zip bomb) out of memory.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: 32 << 20})
	if err != nil && strings.Contains(err.Error(), "unzip size exceeds") { // excelize has no sentinel for it
		return nil, fileError(0, "unpacks to more than %d MB, which no list of enterprises needs: it is not an ordinary workbook; save the list again from Excel or WPS", xlsxUnzipLimit>>20)
	}
	if err != nil {
		return nil, fileError(0, "cannot be read as an .xlsx workbook; save it again from Excel or WPS")
	}
	s := &xlsxSheet{f: f}
	// The rows are on the first sheet whose header has our columns (the template's first), or
	// else on the first sheet.
	for _, name := range f.GetSheetList() {
		if s.name == "" {
			s.name = name
		}
		var found bool
		_ = (&xlsxSheet{f: f, name: name}).Rows(func(_ int, cells []string) error {
			if blank(cells) {
				return nil
			}
			_, missing := domain.MatchEnterpriseHeader(cells)
			found = len(missing) == 0
			return errHeaderSeen
		})
		if found {
			s.name = name
			break
		}
	}
	return s, nil
}

func (s *xlsxSheet) Rows(fn func(row int, cells []string) error) error {
	rows, err := s.f.Rows(s.name)
	if err != nil {
		return fileError(0, "the sheet %s cannot be read", s.name)
	}
	defer rows.Close()
	for row := 1; rows.Next(); row++ {
		cells, err := rows.Columns()
		if err != nil {
			return fileError(row, "this row cannot be read")
		}
		if err := fn(row, cells); err != nil {
			return err
		}
	}
	if rows.Error() != nil {
		return fileError(0, "the sheet %s cannot be read to the end", s.name)
	}
	return nil
}

func (s *xlsxSheet) Close() { _ = s.f.Close() }

type csvSheet struct{ data []byte }

func openCSV(data []byte) (sheet, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return nil, fileError(0, "is UTF-16 text; save it as “CSV UTF-8” or as .xlsx")
	case !utf8.Valid(data):
		// Excel on Chinese Windows saves CSV in the system code page, GBK, which GB18030 contains.
		d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(d) {
			return nil, fileError(0, "is neither UTF-8 nor GB18030 text; save it as “CSV UTF-8”")
		}
		data = d
	}
	return &csvSheet{data: data}, nil
}

func (s *csvSheet) Rows(fn func(row int, cells []string) error) error {
	r := csv.NewReader(bytes.NewReader(s.data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	// A record is a row as a spreadsheet program shows the file, however many lines it spans.
	for row := 1; ; row++ {
		cells, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fileError(row, "this row is not valid CSV: %s", strings.TrimPrefix(err.Error(), "parse error "))
		}
		if err := fn(row, cells); err != nil {
			return err
		}
	}
}

func (s *csvSheet) Close() {}
