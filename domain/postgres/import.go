package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"steward/domain"
)

// ImportService implements domain.ImportService, and domain.ImportStore for the import job.
type ImportService struct {
	db          *DB
	enterprises *EnterpriseService
}

// NewImportService returns an ImportService on db.
func NewImportService(db *DB) *ImportService {
	return &ImportService{db: db, enterprises: NewEnterpriseService(db)}
}

var (
	_ domain.ImportService = (*ImportService)(nil)
	_ domain.ImportStore   = (*ImportService)(nil)
)

// importMaxAttempts bounds the retries of an import job: a file that fails three times for a
// reason other than its content (which is reported, not retried) needs a person to look.
const importMaxAttempts = 3

type importRow struct {
	bun.BaseModel   `bun:"table:imports,alias:i"`
	ID              string            `bun:"id,pk,type:uuid"`
	Kind            string            `bun:"kind,notnull"`
	FileName        string            `bun:"file_name,notnull"`
	Format          string            `bun:"format,notnull"`
	File            []byte            `bun:"file,type:bytea"` // NULL once deleted (ImportFileRetention)
	Status          string            `bun:"status,notnull"`
	Total           int               `bun:"total,notnull"`
	Done            int               `bun:"done,notnull"`
	Failed          int               `bun:"failed,notnull"`
	Created         int               `bun:"created,notnull"`
	Updated         int               `bun:"updated,notnull"`
	Unchanged       int               `bun:"unchanged,notnull"`
	Errors          []importErrorJSON `bun:"errors,type:jsonb,notnull"`
	ErrorsTruncated bool              `bun:"errors_truncated,notnull"`
	Header          []string          `bun:"header,array,notnull"`
	FailedRows      []failedRowJSON   `bun:"failed_rows,type:jsonb,notnull"`
	CreatedBy       *string           `bun:"created_by,type:uuid"`
	CreatedAt       time.Time         `bun:"created_at,notnull"`
	StartedAt       *time.Time        `bun:"started_at"`
	FinishedAt      *time.Time        `bun:"finished_at"`
}

type failedRowJSON struct {
	Row   int      `json:"row"`
	Cells []string `json:"cells"`
}

type importErrorJSON struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func (r *importRow) toDomain() *domain.Import {
	imp := &domain.Import{
		ID: r.ID, Kind: domain.ImportKind(r.Kind), FileName: r.FileName, Format: domain.ImportFormat(r.Format),
		Status: domain.ImportStatus(r.Status), Total: r.Total, Done: r.Done, Failed: r.Failed,
		Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged,
		Errors: make([]domain.ImportError, len(r.Errors)), ErrorsTruncated: r.ErrorsTruncated,
		CreatedBy: deref(r.CreatedBy), CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt,
	}
	imp.Header = r.Header
	for _, f := range r.FailedRows {
		imp.FailedRows = append(imp.FailedRows, domain.ImportFailedRow(f))
	}
	for i, e := range r.Errors {
		imp.Errors[i] = domain.ImportError(e)
	}
	return imp
}

// setProgress copies imp's progress and status into r.
func (r *importRow) setProgress(imp *domain.Import) {
	r.Status, r.Total, r.Done, r.Failed = string(imp.Status), imp.Total, imp.Done, imp.Failed
	r.Created, r.Updated, r.Unchanged = imp.Created, imp.Updated, imp.Unchanged
	r.Errors = make([]importErrorJSON, len(imp.Errors))
	for i, e := range imp.Errors {
		r.Errors[i] = importErrorJSON(e)
	}
	r.ErrorsTruncated, r.FinishedAt = imp.ErrorsTruncated, imp.FinishedAt
	r.Header = append([]string{}, imp.Header...)
	r.FailedRows = make([]failedRowJSON, len(imp.FailedRows))
	for i, f := range imp.FailedRows {
		r.FailedRows[i] = failedRowJSON(f)
	}
}

func (s *ImportService) CreateImport(ctx context.Context, kind domain.ImportKind, fileName string, data []byte) (*domain.Import, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResImport) {
		return nil, domain.Forbidden(a, "import enterprises")
	}
	if kind != domain.ImportEnterprises {
		return nil, domain.Errorf(domain.EINVALID, "there is no import of %s", kind)
	}
	name, format, err := domain.CheckImportFile(fileName, data)
	if err != nil {
		return nil, err
	}
	r := &importRow{
		ID: uuid.Must(uuid.NewV7()).String(), Kind: string(kind), FileName: name, Format: string(format),
		File: data, Status: string(domain.ImportQueued), Errors: []importErrorJSON{}, Header: []string{}, FailedRows: []failedRowJSON{},
		CreatedBy: nullable(a.UserID), CreatedAt: s.db.Now().UTC().Truncate(time.Microsecond),
	}
	err = s.db.InTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return translate(err)
		}
		if err := s.db.audit(ctx, tx, "create", "import", r.ID, nil, map[string]any{
			"kind": r.Kind, "file_name": r.FileName, "format": r.Format, "size": len(data)}); err != nil {
			return err
		}
		return s.db.enqueue(ctx, tx, domain.ImportArgs{ImportID: r.ID}, &river.InsertOpts{MaxAttempts: importMaxAttempts})
	})
	if err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

func (s *ImportService) Import(ctx context.Context, id string) (*domain.Import, error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() && !a.IsSystem() {
		return nil, domain.Forbidden(a, "read imports")
	}
	var r importRow
	if uuid.Validate(id) != nil {
		return nil, errNotFound
	}
	err := s.db.Bun.NewSelect().Model(&r).ExcludeColumn("file", "header", "failed_rows").Where("i.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, translate(err)
	}
	imp := r.toDomain()
	if !domain.CanReadImport(a, imp) {
		return nil, errNotFound
	}
	return imp, nil
}

func (s *ImportService) ImportFailedRows(ctx context.Context, id string) (*domain.Import, error) {
	a := domain.ActorFrom(ctx)
	if !a.LoggedIn() && !a.IsSystem() {
		return nil, domain.Forbidden(a, "read imports")
	}
	if uuid.Validate(id) != nil {
		return nil, errNotFound
	}
	var r importRow
	if err := s.db.Bun.NewSelect().Model(&r).ExcludeColumn("file").Where("i.id = ?", id).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	imp := r.toDomain()
	if !domain.CanReadImport(a, imp) {
		return nil, errNotFound
	}
	return imp, nil
}

func (s *ImportService) BeginImport(ctx context.Context, id string) (*domain.ImportRun, error) {
	if uuid.Validate(id) != nil {
		return nil, errNotFound
	}
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	var r importRow
	_, err := s.db.Bun.NewUpdate().Model(&r).
		Set("status = ?", domain.ImportRunning).Set("started_at = ?", now).Set("finished_at = NULL").
		Set("total = 0, done = 0, failed = 0, created = 0, updated = 0, unchanged = 0").
		Set("errors = '[]', errors_truncated = false, header = '{}', failed_rows = '[]'").
		Where("id = ?", id).Where("status IN (?)", bun.In([]domain.ImportStatus{domain.ImportQueued, domain.ImportRunning})).
		Returning("*").Exec(ctx, &r)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, translate(err)
	}
	if err != nil { // no row was queued or running
		exists, err := s.db.Bun.NewSelect().Model((*importRow)(nil)).Where("id = ?", id).Exists(ctx)
		if err != nil {
			return nil, translate(err)
		}
		if !exists {
			return nil, errNotFound
		}
		return nil, nil // finished already
	}
	run := &domain.ImportRun{Import: r.toDomain(), File: r.File, Actor: domain.System}
	if r.CreatedBy != nil {
		var u userRow
		if err := get(ctx, s.db.Bun, &u, *r.CreatedBy, nil); err != nil {
			return nil, err
		}
		run.Actor = nil
		if u.Status != string(domain.UserDisabled) { // a lockout after failed logins does not stop the job
			run.Actor = u.actor()
			run.Actor.MustChangePassword = false // the upload was made after choosing a password
		}
	}
	return run, nil
}

func (s *ImportService) DeleteOldImportFiles(ctx context.Context) (int, error) {
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	var ids []string
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		gone, err := json.Marshal([]importErrorJSON{{Field: "file", Message: "the file was deleted 30 days after the upload before it was imported; upload it again"}})
		if err != nil {
			return err
		}
		if err := tx.NewRaw(`UPDATE imports SET file = NULL,
				errors = CASE WHEN status IN ('queued', 'running') THEN errors || ?::jsonb ELSE errors END,
				status = CASE WHEN status IN ('queued', 'running') THEN 'failed' ELSE status END,
				finished_at = coalesce(finished_at, ?)
				, failed_rows = '[]'
			WHERE file IS NOT NULL AND created_at < ? RETURNING id::text`, string(gone), now, now.Add(-domain.ImportFileRetention)).
			Scan(ctx, &ids); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return translate(err)
		}
		sctx := domain.WithActor(ctx, domain.System)
		for _, id := range ids {
			if err := s.db.audit(sctx, tx, "delete_file", "import", id, nil, map[string]any{"reason": "kept 30 days"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}

func (s *ImportService) SaveImport(ctx context.Context, imp *domain.Import) error {
	if imp.Finished() && imp.FinishedAt == nil {
		now := s.db.Now().UTC().Truncate(time.Microsecond)
		imp.FinishedAt = &now
	}
	r := &importRow{ID: imp.ID}
	r.setProgress(imp)
	_, err := s.db.Bun.NewUpdate().Model(r).
		Column("status", "total", "done", "failed", "created", "updated", "unchanged", "errors", "errors_truncated", "finished_at", "header", "failed_rows").
		WherePK().Exec(ctx)
	return translate(err)
}

func (s *ImportService) ImportEnterprise(ctx context.Context, e *domain.Enterprise) (domain.ImportOutcome, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResEnterprise) {
		return "", domain.Forbidden(a, "import enterprises")
	}
	if err := e.Validate(); err != nil {
		return "", err
	}
	// Another writer may register or change the same enterprise between the look-up and the
	// write; the write then fails (ECONFLICT, EVERSION) and is tried again against what it did.
	var err error
	for range 3 {
		var outcome domain.ImportOutcome
		outcome, err = s.upsertEnterprise(ctx, a, e)
		if c := domain.ErrorCode(err); c != domain.ECONFLICT && c != domain.EVERSION {
			return outcome, err
		}
	}
	return "", err
}

// errUnchanged stops an update that would change nothing.
var errUnchanged = domain.Errorf(domain.EINTERNAL, "unchanged")

func (s *ImportService) upsertEnterprise(ctx context.Context, a *domain.Actor, in *domain.Enterprise) (domain.ImportOutcome, error) {
	var cur enterpriseRow
	err := enterpriseScope(a)(s.db.Bun.NewSelect().Model(&cur).Column("e.id", "e.version")).
		Where("e.credit_code = ?", in.CreditCode).Scan(ctx)
	switch domain.ErrorCode(translate(err)) {
	case domain.ENOTFOUND:
		e := *in
		e.Tags, e.Contacts = append([]string{}, in.Tags...), append([]domain.Contact{}, in.Contacts...)
		if err := s.enterprises.CreateEnterprise(ctx, &e); err != nil {
			return "", err
		}
		return domain.ImportCreated, nil
	case "":
	default:
		return "", translate(err)
	}
	var r enterpriseRow
	err = update(ctx, s.db, &r, cur.ID, cur.Version, "enterprise", enterpriseScope(a), func(tx bun.Tx) error {
		e := r.toDomain()
		changed, err := e.Merge(in)
		if err != nil {
			return err
		}
		if !changed {
			return errUnchanged
		}
		r.set(e)
		return nil
	})
	switch {
	case errors.Is(err, errUnchanged):
		return domain.ImportUnchanged, nil
	case err != nil:
		return "", err
	}
	return domain.ImportUpdated, nil
}
