package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"steward/domain"
)

// AttachmentService implements domain.AttachmentService: files in the attachments table (ticket
// attachments and visit photos), reached through the scope of what they are attached to.
type AttachmentService struct {
	db      *DB
	tickets *TicketService
}

// NewAttachmentService returns an AttachmentService on db; files are attached to tickets through
// tickets, as every other change of a ticket.
func NewAttachmentService(db *DB, tickets *TicketService) *AttachmentService {
	return &AttachmentService{db: db, tickets: tickets}
}

var _ domain.AttachmentService = (*AttachmentService)(nil)

// attachmentRow is an attachment without its content, which is read and written apart (a file
// of up to 20 MB is never part of a list, nor of an audit record).
type attachmentRow struct {
	bun.BaseModel `bun:"table:attachments,alias:att"`
	ID            string    `bun:"id,pk,type:uuid" json:"id"`
	OwnerType     string    `bun:"owner_type,notnull" json:"owner_type"`
	OwnerID       string    `bun:"owner_id,type:uuid,notnull" json:"owner_id"`
	FileName      string    `bun:"file_name,notnull" json:"file_name"`
	ContentType   string    `bun:"content_type,notnull" json:"content_type"`
	Size          int64     `bun:"size,notnull" json:"size"`
	SHA256        string    `bun:"sha256,notnull" json:"sha256"`
	Internal      bool      `bun:"internal,notnull" json:"internal"`
	UploadedBy    *string   `bun:"uploaded_by,type:uuid" json:"uploaded_by"`
	CreatedAt     time.Time `bun:"created_at,notnull" json:"created_at"`

	UploaderName       string `bun:"uploader_name,scanonly" json:"-"`
	UploaderRole       string `bun:"uploader_role,scanonly" json:"-"`
	UploaderDepartment string `bun:"uploader_department,scanonly" json:"-"`
}

// toDomain converts r as a seen by a: enterprise users see which body uploaded a file, not which
// official (as on the ticket itself).
func (r *attachmentRow) toDomain(a *domain.Actor) *domain.Attachment {
	name := r.UploaderName
	if (a.Role == domain.RoleEnterprise || a.Role == domain.RoleIntegration) && r.UploaderRole != string(domain.RoleEnterprise) && r.UploaderDepartment != "" {
		name = r.UploaderDepartment
	}
	return &domain.Attachment{ID: r.ID, OwnerType: domain.AttachmentOwner(r.OwnerType), OwnerID: r.OwnerID,
		FileName: r.FileName, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, Internal: r.Internal,
		UploadedBy: deref(r.UploadedBy), UploadedByName: name, CreatedAt: r.CreatedAt}
}

// selectAttachments selects the metadata of attachments with their uploaders, without content.
func (s *AttachmentService) selectAttachments(rows any) *bun.SelectQuery {
	return s.db.Bun.NewSelect().Model(rows).
		ColumnExpr("att.id, att.owner_type, att.owner_id, att.file_name, att.content_type, att.size, att.sha256, att.internal, att.uploaded_by, att.created_at").
		ColumnExpr("coalesce(u.display_name, 'system') AS uploader_name, coalesce(u.role, '') AS uploader_role").
		ColumnExpr("coalesce(d.name, '') AS uploader_department").
		Join("LEFT JOIN users u ON u.id = att.uploaded_by").
		Join("LEFT JOIN departments d ON d.id = u.department_id")
}

// selectTicketAttachments selects the metadata of ticket attachments a may see: those of the
// tickets in a's scope, the internal ones excepted for enterprise users.
func (s *AttachmentService) selectTicketAttachments(a *domain.Actor, rows any) *bun.SelectQuery {
	q := s.selectAttachments(rows).
		Join("JOIN tickets t ON t.id = att.owner_id").
		Where("att.owner_type = ?", domain.AttachedToTicket)
	if a.Role == domain.RoleEnterprise || a.Role == domain.RoleIntegration {
		q = q.Where("NOT att.internal") // outside the government: public files only
	}
	return ticketScope(a)(q)
}

// selectVisitPhotos selects the metadata of visit photos a may see: those of the visits in a's
// scope (none for enterprise users, who never see visits).
func (s *AttachmentService) selectVisitPhotos(a *domain.Actor, rows any) *bun.SelectQuery {
	q := s.selectAttachments(rows).
		Join("JOIN visits v ON v.id = att.owner_id").
		Where("att.owner_type = ?", domain.AttachedToVisit)
	return visitScope(a)(q)
}

// insertContent stores an attachment row with its content. The content goes as a bound
// parameter (binary), not inlined into the SQL text as bun would write it.
func insertContent(ctx context.Context, tx bun.Tx, r *attachmentRow, content []byte) error {
	_, err := tx.Tx.ExecContext(ctx, `INSERT INTO attachments
		(id, owner_type, owner_id, file_name, content_type, size, sha256, internal, content, uploaded_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		r.ID, r.OwnerType, r.OwnerID, r.FileName, r.ContentType, r.Size, r.SHA256, r.Internal, content, r.UploadedBy, r.CreatedAt)
	return translate(err)
}

func (s *AttachmentService) AttachToTicket(ctx context.Context, ticketID, fileName string, content []byte, internal bool) (*domain.Attachment, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResAttachment) {
		return nil, domain.Forbidden(a, "attach files")
	}
	if uuid.Validate(ticketID) != nil {
		return nil, errNotFound
	}
	f, err := domain.NewAttachment(fileName, content, internal)
	if err != nil {
		return nil, err
	}
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	f.ID, f.OwnerType, f.OwnerID, f.UploadedBy, f.CreatedAt = uuid.Must(uuid.NewV7()).String(), domain.AttachedToTicket, ticketID, a.UserID, now
	r := &attachmentRow{ID: f.ID, OwnerType: string(f.OwnerType), OwnerID: ticketID, FileName: f.FileName,
		ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, Internal: f.Internal, UploadedBy: nullable(a.UserID), CreatedAt: now}
	// The ticket is locked while the file is attached: it cannot be closed meanwhile.
	_, err = s.tickets.note(ctx, ticketID, func(tx bun.Tx, t *domain.Ticket, now time.Time) (domain.TicketEvent, []domain.Notice, error) {
		ev, err := t.Attach(a, f, now)
		if err != nil {
			return ev, nil, err
		}
		return ev, nil, insertContent(ctx, tx, r, content)
	})
	if err != nil {
		return nil, err
	}
	f.UploadedByName = displayName(a)
	return f, nil
}

func (s *AttachmentService) TicketAttachments(ctx context.Context, ticketID string) ([]domain.Attachment, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResAttachment) {
		return nil, domain.Forbidden(a, "read attachments")
	}
	if _, err := s.tickets.Ticket(ctx, ticketID); err != nil {
		return nil, err
	}
	var rows []attachmentRow
	if err := s.selectTicketAttachments(a, &rows).Where("att.owner_id = ?", ticketID).OrderExpr("att.created_at, att.id").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Attachment, len(rows))
	for i := range rows {
		out[i] = *rows[i].toDomain(a)
	}
	return out, nil
}

func (s *AttachmentService) AttachToVisit(ctx context.Context, visitID, fileName string, content []byte) (*domain.Attachment, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResAttachment) || !domain.Can(a, domain.ActCreate, domain.ResVisit) {
		return nil, domain.Forbidden(a, "add photos to visits")
	}
	// Who wrote the visit and when are never changed, so the rule is checked before the file is
	// (the author learns of a closed window before a refused type) and needs no lock.
	var vr visitRow
	if err := get(ctx, s.db.Bun, &vr, visitID, visitScope(a)); err != nil {
		return nil, err
	}
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	if err := vr.toDomain().AttachPhoto(a, now); err != nil {
		return nil, err
	}
	f, err := domain.NewVisitPhoto(fileName, content)
	if err != nil {
		return nil, err
	}
	f.ID, f.OwnerType, f.OwnerID, f.UploadedBy, f.CreatedAt = uuid.Must(uuid.NewV7()).String(), domain.AttachedToVisit, visitID, a.UserID, now
	r := &attachmentRow{ID: f.ID, OwnerType: string(f.OwnerType), OwnerID: visitID, FileName: f.FileName,
		ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, Internal: f.Internal, UploadedBy: nullable(a.UserID), CreatedAt: now}
	err = s.db.InTx(ctx, func(tx bun.Tx) error {
		if err := insertContent(ctx, tx, r, content); err != nil {
			return err
		}
		return s.db.audit(ctx, tx, "attach", "visit", visitID, nil, r)
	})
	if err != nil {
		return nil, err
	}
	f.UploadedByName = displayName(a)
	return f, nil
}

func (s *AttachmentService) VisitPhotos(ctx context.Context, visitID string) ([]domain.Attachment, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResAttachment) || !domain.Can(a, domain.ActRead, domain.ResVisit) {
		return nil, domain.Forbidden(a, "see visit photos")
	}
	if err := get(ctx, s.db.Bun, &visitRow{}, visitID, visitScope(a)); err != nil {
		return nil, err
	}
	var rows []attachmentRow
	if err := s.selectVisitPhotos(a, &rows).Where("att.owner_id = ?", visitID).OrderExpr("att.created_at, att.id").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Attachment, len(rows))
	for i := range rows {
		out[i] = *rows[i].toDomain(a)
	}
	return out, nil
}

func (s *AttachmentService) AttachmentContent(ctx context.Context, id string) (*domain.Attachment, []byte, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResAttachment) {
		return nil, nil, domain.Forbidden(a, "read attachments")
	}
	if uuid.Validate(id) != nil {
		return nil, nil, errNotFound
	}
	// What the file is attached to says whose scope reaches it; each kind is then read within its
	// own scope, so one the actor may not reach is not found either way.
	var owner string
	if err := s.db.Bun.NewSelect().Table("attachments").Column("owner_type").Where("id = ?", id).Scan(ctx, &owner); err != nil {
		return nil, nil, translate(err)
	}
	var r attachmentRow
	var q *bun.SelectQuery
	switch domain.AttachmentOwner(owner) {
	case domain.AttachedToTicket:
		q = s.selectTicketAttachments(a, &r)
	case domain.AttachedToVisit:
		q = s.selectVisitPhotos(a, &r)
	default:
		return nil, nil, errNotFound
	}
	if err := q.Where("att.id = ?", id).Scan(ctx); err != nil {
		return nil, nil, translate(err)
	}
	// The row was found in the actor's scope; its content is read by its id alone.
	var content []byte
	if err := s.db.SQL.QueryRowContext(ctx, `SELECT content FROM attachments WHERE id = $1`, id).Scan(&content); err != nil {
		return nil, nil, translate(err)
	}
	return r.toDomain(a), content, nil
}
