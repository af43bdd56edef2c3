package domain

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AttachmentOwner says what kind of record a file is attached to: a ticket's attachments and a
// visit's photos are stored, checked and served the same way.
type AttachmentOwner string

// Attachment owners.
const (
	AttachedToTicket AttachmentOwner = "ticket"
	// AttachedToVisit marks a visit's photos (走访照片).
	AttachedToVisit AttachmentOwner = "visit"
)

// Limits of an attachment.
const (
	// MaxAttachmentSize is the largest file that may be attached: 20 MB.
	MaxAttachmentSize = 20 << 20
	// MaxFileNameLength bounds the name a file is offered under, in characters.
	MaxFileNameLength = 255
)

// Attachment (附件) is a file attached to a record. It is stored under its generated ID; the
// name the user gave it is metadata, shown and offered when the file is saved, and never used as
// a path. Its content type is what its content was found to be, never what the client declared.
type Attachment struct {
	ID        string
	OwnerType AttachmentOwner
	OwnerID   string
	FileName  string
	// ContentType is the media type sniffed from the content (attachmentTypes).
	ContentType string
	Size        int64
	// SHA256 is the hex digest of the content.
	SHA256 string
	// Internal files are never shown to enterprise users.
	Internal bool
	// UploadedBy is the uploader's user ID (empty for the system); UploadedByName who they are
	// as the reader may know them (for enterprise users, the department rather than the official).
	UploadedBy     string
	UploadedByName string
	CreatedAt      time.Time
}

// attachmentType is a kind of file that may be attached: its media type as served, and the
// file-name extensions it may carry.
type attachmentType struct {
	label       string
	contentType string
	exts        []string
}

var (
	imageExts = []string{".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".webp"}
	textExts  = []string{".txt", ".csv", ".log"}

	// attachmentTypes are the allowed kinds by the media type http.DetectContentType reports.
	// Photos are often renamed between the image formats, so any image extension goes with any
	// image content.
	attachmentTypes = map[string]attachmentType{
		"image/jpeg":      {"a JPEG image", "image/jpeg", imageExts},
		"image/png":       {"a PNG image", "image/png", imageExts},
		"image/gif":       {"a GIF image", "image/gif", imageExts},
		"image/webp":      {"a WebP image", "image/webp", imageExts},
		"application/pdf": {"a PDF document", "application/pdf", []string{".pdf"}},
	}

	// officeTypes are the Office Open XML documents (ZIP archives) by extension, with the folder
	// of the archive that holds their content.
	officeTypes = map[string]struct{ contentType, folder string }{
		".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"},
		".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"},
		".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"},
	}

	// legacyOfficeTypes are the pre-2007 Office documents (OLE compound files) by extension.
	legacyOfficeTypes = map[string]string{
		".doc": "application/msword",
		".xls": "application/vnd.ms-excel",
	}

	// oleMagic opens every OLE compound file; http.DetectContentType does not know it.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// AttachmentContentTypes lists every media type an attachment may be served as (for the API
// document).
func AttachmentContentTypes() []string {
	out := []string{"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "text/plain"}
	for _, ext := range []string{".docx", ".xlsx", ".pptx"} {
		out = append(out, officeTypes[ext].contentType)
	}
	return append(out, legacyOfficeTypes[".doc"], legacyOfficeTypes[".xls"])
}

// allowedTypes is what a refusal says may be attached.
const allowedTypes = "attach a JPEG, PNG, GIF or WebP image, a PDF, a plain-text file (.txt, .csv, .log) " +
	"or an Office document (.docx, .xlsx, .pptx, .doc, .xls)"

// NewAttachment checks an uploaded file and describes it: its name cleaned of any client path
// and of control and formatting characters (a right-to-left override can make "exe" read as
// "pdf"); its size at most MaxAttachmentSize; its type, sniffed from the content, one of the
// allowed ones and agreeing with the name's extension. It returns an EINVALID error on the field
// file (or file_name) saying what is wrong and what is allowed.
func NewAttachment(name string, content []byte, internal bool) (*Attachment, error) {
	invalid := func(field, format string, args ...any) error {
		var v Validation
		v.Add(field, format, args...)
		return v.Err()
	}
	name = CleanFileName(name)
	switch {
	case name == "":
		return nil, invalid("file_name", "is required: send the file with its name")
	case utf8.RuneCountInString(name) > MaxFileNameLength:
		return nil, invalid("file_name", "must be at most %d characters", MaxFileNameLength)
	case len(content) == 0:
		return nil, invalid("file", "is empty")
	case len(content) > MaxAttachmentSize:
		return nil, invalid("file", "must be at most %d MB; split it or send a smaller scan", MaxAttachmentSize>>20)
	}
	contentType, err := sniffAttachment(name, content)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(content)
	return &Attachment{FileName: name, ContentType: contentType, Size: int64(len(content)),
		SHA256: hex.EncodeToString(sum[:]), Internal: internal}, nil
}

// NewVisitPhoto checks an uploaded visit photo as NewAttachment checks any file, and that its
// content is a JPEG, PNG, GIF or WebP image: a visit's photos are pictures of the site, not its
// documents (those go with the tickets the visit raises). Photos are internal: enterprises never
// see visits. It returns an EINVALID error on the field file (or file_name).
func NewVisitPhoto(name string, content []byte) (*Attachment, error) {
	if len(content) > 0 {
		mediaType, _, _ := strings.Cut(http.DetectContentType(content), ";")
		if t, ok := attachmentTypes[mediaType]; !ok || !strings.HasPrefix(t.contentType, "image/") {
			return nil, &Error{Code: EINVALID, Message: "a visit photo must be an image",
				Fields: []FieldError{{Field: "file", Message: "must be a JPEG, PNG, GIF or WebP image; " +
					"attach documents to the tickets the visit raises"}}}
		}
	}
	return NewAttachment(name, content, true)
}

// CleanFileName is the name of an uploaded file as it may be shown and offered: without the
// client's folders (old browsers send C:\Users\…\报告.pdf), invalid UTF-8, control characters
// and invisible formatting characters, and without surrounding spaces.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	return strings.TrimSpace(name)
}

// sniffAttachment finds the media type of content from its first bytes (and, for a ZIP, its
// table of contents) and checks it against the allowlist and the name's extension.
func sniffAttachment(name string, content []byte) (string, error) {
	ext := strings.ToLower(path.Ext(name))
	refuse := func(format string, args ...any) error {
		return &Error{Code: EINVALID, Message: "this type of file may not be attached",
			Fields: []FieldError{{Field: "file", Message: strings.TrimSpace(fmt.Sprintf(format, args...) + "; " + allowedTypes)}}}
	}
	detected := http.DetectContentType(content)
	mediaType, _, _ := strings.Cut(detected, ";")
	if t, ok := attachmentTypes[mediaType]; ok {
		if !oneOf(ext, t.exts) {
			return "", refuse("the content is %s but the name ends in %q", t.label, ext)
		}
		return t.contentType, nil
	}
	switch {
	case mediaType == "text/plain":
		if !oneOf(ext, textExts) {
			// Scripts, SVG images and the like are text too; only plainly named text is text.
			return "", refuse("a text file is accepted only as .txt, .csv or .log, not %q", ext)
		}
		if strings.Contains(detected, "utf-16") {
			return detected, nil // with a byte-order mark
		}
		if utf8.Valid(content) {
			return "text/plain; charset=utf-8", nil
		}
		return "text/plain", nil // most likely GB18030, as Chinese Windows saves it
	case mediaType == "application/zip":
		office, ok := officeTypes[ext]
		if !ok {
			return "", refuse("a ZIP archive is accepted only as a Word, Excel or PowerPoint document (.docx, .xlsx, .pptx)")
		}
		if !isOfficeArchive(content, office.folder) {
			return "", refuse("the file is named %q but is not a %s document", ext, strings.TrimPrefix(ext, "."))
		}
		return office.contentType, nil
	case bytes.HasPrefix(content, oleMagic):
		contentType, ok := legacyOfficeTypes[ext]
		if !ok {
			return "", refuse("an old-format Office file is accepted only as .doc or .xls")
		}
		return contentType, nil
	}
	return "", refuse("the content is not of an allowed type")
}

// isOfficeArchive reports whether content is an Office Open XML package: a ZIP with
// [Content_Types].xml and the document's folder.
func isOfficeArchive(content []byte, folder string) bool {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return false
	}
	var types, body bool
	for _, f := range zr.File {
		types = types || f.Name == "[Content_Types].xml"
		body = body || strings.HasPrefix(f.Name, folder)
	}
	return types && body
}

// Attach records that a file was attached to the ticket (附件). Those who may see the ticket and
// work on it may attach: the dispatcher, the enterprise's steward and leader (storage lets them
// reach a ticket only through their portfolio), the officers of the department handling it, the
// enterprise itself and an integration on the tickets it submitted. It returns EFORBIDDEN for
// anyone else, ETRANSITION once the ticket is closed or rejected, and EINVALID when an
// enterprise user marks a file internal. The event is public unless the file is internal.
func (t *Ticket) Attach(a *Actor, f *Attachment, now time.Time) (TicketEvent, error) {
	if !Can(a, ActCreate, ResAttachment) || !t.mayAttach(a) {
		return TicketEvent{}, Forbidden(a, "attach files to this ticket")
	}
	if !t.Status.Open() {
		return TicketEvent{}, Errorf(ETRANSITION, "cannot attach files to a ticket that is %s", t.Status)
	}
	if (a.Role == RoleEnterprise || a.Role == RoleIntegration) && f.Internal {
		return TicketEvent{}, &Error{Code: EINVALID, Message: "enterprise users attach files publicly",
			Fields: []FieldError{{Field: "internal", Message: "must be false for enterprise users"}}}
	}
	return t.event(a, "attach", t.Status, "", !f.Internal, now,
		map[string]any{"attachment_id": f.ID, "file_name": f.FileName}), nil
}

func (t *Ticket) mayAttach(a *Actor) bool {
	switch a.Role {
	case RoleSteward, RoleLeader:
		return true // their scope is their portfolio
	case RoleIntegration:
		return a.UserID != "" && a.UserID == t.CreatedBy
	}
	return t.isDispatcher(a) || t.isOfficer(a) || t.isOwnEnterprise(a)
}

// AttachmentService stores attached files. Every method acts for the actor in ctx.
type AttachmentService interface {
	// AttachToTicket checks the file (NewAttachment) and stores it on the ticket, with an
	// "attach" event and an audit record in the same transaction. Returns EINVALID for a file
	// that is empty, too large or of a type not allowed; ENOTFOUND if the actor may not see the
	// ticket; EFORBIDDEN if they may see it but not attach; ETRANSITION on a closed or rejected
	// ticket.
	AttachToTicket(ctx context.Context, ticketID, fileName string, content []byte, internal bool) (*Attachment, error)
	// TicketAttachments lists the ticket's files, oldest first; enterprise users get the
	// non-internal ones. Returns ENOTFOUND if the actor may not see the ticket.
	TicketAttachments(ctx context.Context, ticketID string) ([]Attachment, error)
	// AttachToVisit checks the photo (NewVisitPhoto) and stores it on the visit, with an audit
	// record (entity visit, action attach) in the same transaction. Only the visit's author may,
	// and only within VisitEditWindow of recording it (Visit.AttachPhoto). Returns EINVALID for a
	// file that is empty, too large or not an image; ENOTFOUND if the actor may not see the visit;
	// EFORBIDDEN if they may see it but are not its author; ETRANSITION after the window.
	AttachToVisit(ctx context.Context, visitID, fileName string, content []byte) (*Attachment, error)
	// VisitPhotos lists the visit's photos, oldest first. Returns ENOTFOUND if the actor may not
	// see the visit.
	VisitPhotos(ctx context.Context, visitID string) ([]Attachment, error)
	// AttachmentContent is a file and its bytes. Returns ENOTFOUND if it does not exist, if the
	// actor may not see what it is attached to (the ticket, or the visit of a photo), or if it is
	// internal and the actor an enterprise user.
	AttachmentContent(ctx context.Context, id string) (*Attachment, []byte, error)
}
