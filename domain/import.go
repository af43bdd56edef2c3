package domain

import (
	"bytes"
	"context"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// ImportKind says what an import creates.
type ImportKind string

// Import kinds.
const (
	ImportEnterprises ImportKind = "enterprises" // the enterprise register (企业名录)
)

// ImportFormat is the format of an uploaded file.
type ImportFormat string

// Import formats.
const (
	ImportXLSX ImportFormat = "xlsx"
	ImportCSV  ImportFormat = "csv" // UTF-8 with or without BOM, or GB18030 as Excel saves it on Chinese Windows
)

// ImportStatus is where an import is: queued until a worker takes it, running, then done (every
// row was tried; some may have failed) or failed (the file could not be read at all).
type ImportStatus string

// Import statuses.
const (
	ImportQueued  ImportStatus = "queued"
	ImportRunning ImportStatus = "running"
	ImportDone    ImportStatus = "done"
	ImportFailed  ImportStatus = "failed"
)

// Limits of an import.
const (
	// MaxImportSize is the largest file an import takes: 10 MB.
	MaxImportSize = 10 << 20
	// MaxImportErrors bounds the problems an import lists; rows beyond it still count in Failed.
	MaxImportErrors = 1000
	// ImportFileRetention is how long an uploaded file is kept: the record of what its import did
	// stays, the file (personal data of contacts) goes.
	ImportFileRetention = 30 * 24 * time.Hour
)

// ImportError is a problem with one row of an imported file (or with the whole file: row 0).
type ImportError struct {
	// Row is the row number as the spreadsheet shows it (the header is usually row 1).
	Row int
	// Field is the API field name (credit_code, contacts[0].phone), "file" for the whole file.
	Field string
	// Column is the header title of the field's column, when it has one.
	Column  string
	Message string
}

// Import (导入) is an uploaded file whose rows are being, or have been, saved. Rows are saved one
// by one, each on its own: a bad row is reported and the others go in.
type Import struct {
	ID       string
	Kind     ImportKind
	FileName string
	Format   ImportFormat
	Status   ImportStatus
	// Total counts the file's data rows (blank rows and the template's example row excluded);
	// Done those saved (Created, Updated or Unchanged) and Failed those refused so far.
	Total, Done, Failed         int
	Created, Updated, Unchanged int
	Errors                      []ImportError
	// ErrorsTruncated says that more problems were found than Errors lists (MaxImportErrors).
	ErrorsTruncated bool
	// Header is the file's header row as uploaded, and FailedRows the refused rows as uploaded
	// (at most MaxImportErrors), for the download of the rows to correct and upload again.
	// Only ImportFailedRows fills them in.
	Header     []string
	FailedRows []ImportFailedRow
	// CreatedBy is the user who uploaded the file, as whom the rows are saved; empty for the system.
	CreatedBy  string
	CreatedAt  time.Time
	FinishedAt *time.Time
}

// AddError records a problem, up to MaxImportErrors of them.
func (imp *Import) AddError(e ImportError) {
	if len(imp.Errors) >= MaxImportErrors {
		imp.ErrorsTruncated = true
		return
	}
	imp.Errors = append(imp.Errors, e)
}

// ImportFailedRow is a refused row of an imported file, its cells as uploaded.
type ImportFailedRow struct {
	Row   int
	Cells []string
}

// AddFailedRow keeps a refused row's cells, up to MaxImportErrors rows.
func (imp *Import) AddFailedRow(row int, cells []string) {
	if len(imp.FailedRows) >= MaxImportErrors {
		return
	}
	imp.FailedRows = append(imp.FailedRows, ImportFailedRow{Row: row, Cells: append([]string{}, cells...)})
}

// Finished reports whether the import has ended, done or failed.
func (imp *Import) Finished() bool { return imp.Status == ImportDone || imp.Status == ImportFailed }

// CanReadImport reports whether a may see imp: its creator, and those who may read every import
// (dispatchers).
func CanReadImport(a *Actor, imp *Import) bool {
	if Can(a, ActRead, ResImport) {
		return true
	}
	return a.LoggedIn() && !a.MustChangePassword && imp.CreatedBy == a.UserID
}

// CheckImportFile checks an upload before it is stored: not empty, at most MaxImportSize, and by
// name and content an .xlsx workbook or a .csv text. It returns the file's base name (at most 200
// characters) and its format, or an EINVALID error on field file.
func CheckImportFile(name string, data []byte) (string, ImportFormat, error) {
	bad := func(format string, args ...any) (string, ImportFormat, error) {
		var v Validation
		v.Add("file", format, args...)
		return "", "", v.Err()
	}
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "." || name == "/" {
		name = ""
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	switch {
	case len(data) == 0:
		return bad("is empty")
	case len(data) > MaxImportSize:
		return bad("is larger than 10 MB; split it into several files")
	}
	zip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	ole := bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")) // Excel 97–2003 (.xls)
	ext := strings.ToLower(path.Ext(name))
	switch {
	case ext == ".xlsx" && zip:
		return name, ImportXLSX, nil
	case ext == ".csv" && !zip && !ole && bytes.IndexByte(data[:min(len(data), 8192)], 0) < 0:
		return name, ImportCSV, nil
	case ext == ".xls" || ole:
		return bad("is an Excel 97–2003 workbook (.xls); save it as .xlsx or .csv and upload that")
	case ext == ".xlsx" || ext == ".csv":
		return bad("does not contain what a %s file should; save it again from the spreadsheet program", ext)
	}
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	return bad("must be an .xlsx or .csv file (got %q)", name)
}

// ImportService takes files to import and reports on them.
type ImportService interface {
	// CreateImport stores an uploaded file and queues its import (ImportArgs) in the same
	// transaction; the rows will be saved with the permissions of the actor. Returns EFORBIDDEN
	// unless the actor may import, EINVALID on field file when CheckImportFile refuses the file.
	CreateImport(ctx context.Context, kind ImportKind, fileName string, data []byte) (*Import, error)
	// Import returns an import with its progress and problems (not its file). Returns ENOTFOUND
	// unless the actor may read it (CanReadImport).
	Import(ctx context.Context, id string) (*Import, error)
	// ImportFailedRows is Import with its Header and FailedRows. ENOTFOUND as Import.
	ImportFailedRows(ctx context.Context, id string) (*Import, error)
}

// ImportOutcome is what saving one imported row did.
type ImportOutcome string

// Import outcomes.
const (
	ImportCreated   ImportOutcome = "created"
	ImportUpdated   ImportOutcome = "updated"
	ImportUnchanged ImportOutcome = "unchanged"
)

// ImportRun is an import taken up by a worker: its record, its file and the actor its rows are
// saved as.
type ImportRun struct {
	Import *Import
	File   []byte
	// Actor is the import's creator, or nil when they may no longer act (their account is disabled).
	Actor *Actor
}

// ImportStore is what the import job needs from storage.
type ImportStore interface {
	// BeginImport marks the import running from the beginning (progress cleared) and returns it.
	// Returns nil and no error when the import has finished already, so a job worked twice does
	// nothing the second time; ENOTFOUND when there is no such import.
	BeginImport(ctx context.Context, id string) (*ImportRun, error)
	// SaveImport records imp's progress and status, and when it has finished, the time.
	SaveImport(ctx context.Context, imp *Import) error
	// ImportEnterprise saves one imported row (validated) for the actor in ctx: it registers the
	// enterprise or, when its credit code is registered already, merges the row into it
	// (Enterprise.Merge) as a new version, audited like any change — unless nothing changes.
	// Returns EINVALID when the merged record is invalid, EFORBIDDEN unless the actor may both
	// register and change enterprises, ECONFLICT when the code belongs to an enterprise outside
	// the actor's scope.
	ImportEnterprise(ctx context.Context, e *Enterprise) (ImportOutcome, error)
	// DeleteOldImportFiles deletes the files of imports uploaded more than ImportFileRetention
	// ago (an import never started by then is failed), audits each, and returns how many.
	DeleteOldImportFiles(ctx context.Context) (int, error)
}
