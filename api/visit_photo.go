package api

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

// visitPhotoBody is a photo of a visit (走访照片): an attachment owned by the visit, downloaded
// through GET /attachments/{id}.
type visitPhotoBody struct {
	ID             string    `json:"id" format:"uuid"`
	VisitID        string    `json:"visit_id" format:"uuid"`
	FileName       string    `json:"file_name" example:"厂房施工现场.jpg" doc:"The name it was uploaded under, offered when it is saved"`
	ContentType    string    `json:"content_type" enum:"image/jpeg,image/png,image/gif,image/webp" doc:"What the content was found to be (never what the upload declared)"`
	Size           int64     `json:"size" doc:"Bytes"`
	SHA256         string    `json:"sha256" doc:"Hex SHA-256 of the content"`
	UploadedByName string    `json:"uploaded_by_name" doc:"Who uploaded it: the visit's author"`
	CreatedAt      time.Time `json:"created_at"`
}

func toVisitPhotoBody(f *domain.Attachment) visitPhotoBody {
	return visitPhotoBody{ID: f.ID, VisitID: f.OwnerID, FileName: f.FileName, ContentType: f.ContentType, Size: f.Size,
		SHA256: f.SHA256, UploadedByName: f.UploadedByName, CreatedAt: f.CreatedAt}
}

func registerVisitPhotos(api huma.API, svc domain.AttachmentService) {
	tags := []string{"Visits"}
	// Only authors add photos; the roles that author visits are the ones worth reading a body for.
	mayAdd := func(a *domain.Actor) bool {
		return domain.Can(a, domain.ActCreate, domain.ResAttachment) && domain.Can(a, domain.ActCreate, domain.ResVisit)
	}
	maxMB := strconv.Itoa(domain.MaxAttachmentSize >> 20)

	register(api, huma.Operation{
		OperationID: "upload-visit-photo", Method: http.MethodPost, Path: Prefix + "/visits/{id}/photos", Tags: tags,
		Summary: "Add a photo to a visit: its author, within 24 hours of recording it",
		Description: "Photos are optional, never required. At most " + maxMB + " MB; a JPEG, PNG, GIF or WebP image, " +
			"found from the content whatever the upload declares (other files are refused on file with 422). A photo is " +
			"part of the record, so the correction window applies: after 24 hours, 409 invalid_transition. " +
			"Download it with GET /attachments/{id}.",
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity},
		Middlewares:   huma.Middlewares{guardUpload(api, domain.MaxAttachmentSize, mayAdd, "add photos to visits")},
	}, func(ctx context.Context, in *struct {
		ID      string `path:"id"`
		RawBody huma.MultipartFormFiles[struct {
			File huma.FormFile `form:"file" contentType:"image/jpeg,image/png,image/gif,image/webp,application/octet-stream" required:"true" doc:"The photo; at most 20 MB"`
		}]
	}) (*struct {
		Location string `header:"Location"`
		Body     visitPhotoBody
	}, error) {
		f := in.RawBody.Data().File
		if f.Size > domain.MaxAttachmentSize {
			return nil, huma.NewError(http.StatusRequestEntityTooLarge, "the file is larger than "+maxMB+" MB",
				&huma.ErrorDetail{Location: "body.file", Message: "must be at most " + maxMB + " MB; send a smaller photo"})
		}
		data, err := io.ReadAll(io.LimitReader(f, domain.MaxAttachmentSize+1))
		if err != nil {
			return nil, err
		}
		photo, err := svc.AttachToVisit(ctx, in.ID, f.Filename, data)
		if err != nil {
			return nil, err
		}
		return &struct {
			Location string `header:"Location"`
			Body     visitPhotoBody
		}{Location: Prefix + "/attachments/" + photo.ID, Body: toVisitPhotoBody(photo)}, nil
	})

	register(api, huma.Operation{
		OperationID: "list-visit-photos", Method: http.MethodGet, Path: Prefix + "/visits/{id}/photos", Tags: tags,
		Summary: "The photos of a visit, oldest first",
		Errors:  []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{ Body itemsBody[visitPhotoBody] }, error) {
		list, err := svc.VisitPhotos(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return items(list, toVisitPhotoBody), nil
	})
}
