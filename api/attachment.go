package api

import (
	"context"
	"io"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type attachmentBody struct {
	ID             string    `json:"id" format:"uuid"`
	TicketID       string    `json:"ticket_id" format:"uuid"`
	FileName       string    `json:"file_name" example:"现场踏勘照片.jpg" doc:"The name it was uploaded under, offered when it is saved"`
	ContentType    string    `json:"content_type" example:"image/jpeg" doc:"What the content was found to be (never what the upload declared)"`
	Size           int64     `json:"size" doc:"Bytes"`
	SHA256         string    `json:"sha256" doc:"Hex SHA-256 of the content"`
	Internal       bool      `json:"internal" doc:"Never shown to the enterprise"`
	UploadedByName string    `json:"uploaded_by_name" doc:"Who uploaded it; for enterprise users, the department rather than the official"`
	CreatedAt      time.Time `json:"created_at"`
}

func toAttachmentBody(f *domain.Attachment) attachmentBody {
	return attachmentBody{ID: f.ID, TicketID: f.OwnerID, FileName: f.FileName, ContentType: f.ContentType, Size: f.Size,
		SHA256: f.SHA256, Internal: f.Internal, UploadedByName: f.UploadedByName, CreatedAt: f.CreatedAt}
}

// attachmentFile is a stored file served for saving, never for display: the browser is told not
// to guess its type and, should it render it anyway, to run nothing of it.
type attachmentFile struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	ContentLength      string `header:"Content-Length"`
	NoSniff            string `header:"X-Content-Type-Options"`
	Policy             string `header:"Content-Security-Policy"`
	Body               func(huma.Context)
}

// asciiExt is an extension fit for the ASCII fallback name.
var asciiExt = regexp.MustCompile(`^\.[a-z0-9]{1,8}$`)

func registerAttachments(api huma.API, svc domain.AttachmentService) {
	tags := []string{"Tickets"}
	mayAttach := func(a *domain.Actor) bool { return domain.Can(a, domain.ActCreate, domain.ResAttachment) }
	maxMB := strconv.Itoa(domain.MaxAttachmentSize >> 20)

	register(api, huma.Operation{
		OperationID: "upload-ticket-attachment", Method: http.MethodPost, Path: Prefix + "/tickets/{id}/attachments", Tags: tags,
		Summary: "Attach a file to a ticket",
		Description: "At most " + maxMB + " MB. The type is found from the content, whatever the upload declares: JPEG, PNG, GIF " +
			"and WebP images, PDF, plain text (.txt, .csv, .log), Word, Excel and PowerPoint (.docx, .xlsx, .pptx, .doc, .xls); " +
			"the name's extension must agree with it. Anyone who works on the ticket may attach while it is open; " +
			"internal files are never shown to the enterprise, which attaches publicly. The timeline records an attach event.",
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity},
		Middlewares:   huma.Middlewares{guardUpload(api, domain.MaxAttachmentSize, mayAttach, "attach files")},
	}, func(ctx context.Context, in *struct {
		ID      string `path:"id"`
		RawBody huma.MultipartFormFiles[struct {
			File     huma.FormFile `form:"file" contentType:"image/jpeg,image/png,image/gif,image/webp,application/pdf,text/plain,application/octet-stream" required:"true" doc:"The file; at most 20 MB"`
			Internal bool          `form:"internal" required:"false" doc:"true: for the authorities only, never shown to the enterprise"`
		}]
	}) (*struct {
		Location string `header:"Location"`
		Body     attachmentBody
	}, error) {
		form := in.RawBody.Data()
		f := form.File
		if f.Size > domain.MaxAttachmentSize {
			return nil, huma.NewError(http.StatusRequestEntityTooLarge, "the file is larger than "+maxMB+" MB",
				&huma.ErrorDetail{Location: "body.file", Message: "must be at most " + maxMB + " MB; split it or send a smaller scan"})
		}
		data, err := io.ReadAll(io.LimitReader(f, domain.MaxAttachmentSize+1))
		if err != nil {
			return nil, err
		}
		att, err := svc.AttachToTicket(ctx, in.ID, f.Filename, data, form.Internal)
		if err != nil {
			return nil, err
		}
		return &struct {
			Location string `header:"Location"`
			Body     attachmentBody
		}{Location: Prefix + "/attachments/" + att.ID, Body: toAttachmentBody(att)}, nil
	})

	register(api, huma.Operation{
		OperationID: "list-ticket-attachments", Method: http.MethodGet, Path: Prefix + "/tickets/{id}/attachments", Tags: tags,
		Summary: "The files attached to a ticket, oldest first (enterprise users see the non-internal ones)",
		Errors:  []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{ Body itemsBody[attachmentBody] }, error) {
		list, err := svc.TicketAttachments(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return items(list, toAttachmentBody), nil
	})

	register(api, huma.Operation{
		OperationID: "download-attachment", Method: http.MethodGet, Path: Prefix + "/attachments/{id}", Tags: tags,
		Summary: "Download an attached file",
		Description: "Served for saving (Content-Disposition: attachment, the original name RFC 5987-encoded) as the type " +
			"its content was found to be, with X-Content-Type-Options: nosniff and Content-Security-Policy: sandbox. " +
			"Serves ticket attachments and visit photos alike: 404 unless the caller may see what it is attached to " +
			"(the ticket, or the visit of a photo) and, for enterprise users, unless it is public.",
		Responses: fileResponses("The file", domain.AttachmentContentTypes()...),
		Errors:    []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*attachmentFile, error) {
		att, content, err := svc.AttachmentContent(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		// The ASCII fallback for old clients is the stored name: the id, with the extension when
		// it is a plain one.
		fallback := att.ID
		if ext := strings.ToLower(path.Ext(att.FileName)); asciiExt.MatchString(ext) {
			fallback += ext
		}
		return &attachmentFile{ContentType: att.ContentType, ContentDisposition: attachment(att.FileName, fallback),
			ContentLength: strconv.Itoa(len(content)), NoSniff: "nosniff", Policy: "sandbox",
			Body: func(hctx huma.Context) {
				hctx.SetStatus(http.StatusOK)
				_, _ = hctx.BodyWriter().Write(content)
			}}, nil
	})
}
