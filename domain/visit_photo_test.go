package domain_test

import (
	"testing"
	"time"

	"steward/domain"
)

func TestNewVisitPhotoTakesOnlyImages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		content  []byte
		wantType string // "" when refused
	}{
		{"现场.jpg", jpegFile, "image/jpeg"},
		{"现场.png", pngFile, "image/png"},
		{"现场.gif", gifFile, "image/gif"},
		{"现场.webp", webpFile, "image/webp"},
		{"renamed.png", jpegFile, "image/jpeg"}, // phones rename between image formats
		{"纪要.pdf", pdfFile, ""},                 // a document, attachable to a ticket but no photo
		{"纪要.jpg", pdfFile, ""},
		{"会议纪要.txt", []byte("会议纪要\n"), ""},
		{"setup.jpg", exeFile, ""},
		{"照片.pdf", jpegFile, ""}, // an image whose name says otherwise
		{"空.jpg", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := domain.NewVisitPhoto(tc.name, tc.content)
			if tc.wantType == "" {
				if domain.ErrorCode(err) != domain.EINVALID {
					t.Fatalf("accepted as %v (%v), want refused", f, err)
				}
				return
			}
			if err != nil || f.ContentType != tc.wantType || !f.Internal {
				t.Fatalf("got %+v, %v; want %s, internal", f, err, tc.wantType)
			}
		})
	}
}

func TestVisitAttachPhoto(t *testing.T) {
	t.Parallel()
	recorded := time.Date(2026, 10, 12, 7, 0, 0, 0, time.UTC)
	v := &domain.Visit{StewardID: "author", CreatedAt: recorded}
	author := &domain.Actor{UserID: "author", Role: domain.RoleSteward}
	for _, tc := range []struct {
		name  string
		actor *domain.Actor
		after time.Duration
		want  string // error code, "" when allowed
	}{
		{"TheAuthorWithin24Hours", author, 23 * time.Hour, ""},
		{"TheAuthorAtTheEndOfTheWindow", author, domain.VisitEditWindow, ""},
		{"NotAfter24Hours", author, domain.VisitEditWindow + time.Minute, domain.ETRANSITION},
		{"NotAnotherSteward", &domain.Actor{UserID: "other", Role: domain.RoleSteward}, time.Hour, domain.EFORBIDDEN},
		{"NotTheDispatcher", &domain.Actor{UserID: "dispatcher", Role: domain.RoleDispatcher}, time.Hour, domain.EFORBIDDEN},
		{"NotAnAuthorWhoMustChangePassword", &domain.Actor{UserID: "author", Role: domain.RoleSteward, MustChangePassword: true}, time.Hour, domain.EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.ErrorCode(v.AttachPhoto(tc.actor, recorded.Add(tc.after))); got != tc.want {
				t.Fatalf("error code %q, want %q", got, tc.want)
			}
		})
	}
}
