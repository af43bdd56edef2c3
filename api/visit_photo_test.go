package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"steward/domain"
)

// jpegBytes opens a JPEG (JFIF) file.
var jpegBytes = []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xDB\x00\x43\x00")

// photoWorld is an enterprise served by a leader and a steward (the author of the visits), with
// callers who see those visits and callers who do not.
type photoWorld struct {
	b                               *testBundle
	ent                             *domain.Enterprise
	author, leader, other, dispatch *client
	portal, officer, admin, auditor *client
}

func newPhotoWorld(t *testing.T) *photoWorld {
	b := setup(t)
	w := &photoWorld{b: b}
	gov := b.department(t, "区人民政府", domain.DepartmentGovernment)
	leader, author, other := b.user(t, domain.RoleLeader, gov.ID), b.user(t, domain.RoleSteward), b.user(t, domain.RoleSteward)
	w.ent = b.enterprise(t, "拍照走访企业有限公司")
	elsewhere := b.enterprise(t, "别人包保的企业有限公司")
	b.setNow(cst("2026-10-12 09:00"))
	b.assign(t, domain.SubjectEnterprise, w.ent.ID, leader.ID, author.ID)
	b.assign(t, domain.SubjectEnterprise, elsewhere.ID, leader.ID, other.ID)
	// Tokens, not sessions: the clock moves by a day.
	w.author, w.leader, w.other = b.scripted(t, author.Username), b.scripted(t, leader.Username), b.scripted(t, other.Username)
	w.dispatch = b.scripted(t, b.user(t, domain.RoleDispatcher).Username)
	w.portal = b.scripted(t, b.user(t, domain.RoleEnterprise, w.ent.ID).Username)
	w.officer = b.scripted(t, b.user(t, domain.RoleOfficer, gov.ID).Username)
	w.admin = b.scripted(t, b.user(t, domain.RoleAdmin).Username)
	w.auditor = b.scripted(t, b.user(t, domain.RoleAuditor).Username)
	return w
}

func TestVisitPhotos(t *testing.T) {
	t.Parallel()
	w := newPhotoWorld(t)
	w.b.setNow(cst("2026-10-12 15:00"))
	// No location, no photos: a complete visit.
	v := w.author.do(t, "POST", "/api/v1/visits", map[string]any{"enterprise_id": w.ent.ID,
		"visited_at": cst("2026-10-12 10:00").Format(time.RFC3339), "kind": "onsite", "summary": "走访了解企业二期厂房施工进度"}).want(t, 201)
	if v.body["photo_count"] != float64(0) || v.body["location"] != nil {
		t.Fatalf("a visit without photos or location: %s", v.raw)
	}
	id := v.body["id"].(string)
	path := "/api/v1/visits/" + id + "/photos"

	// The author adds a JPEG and a PNG; the declared type is not believed either way.
	jpeg := w.author.do(t, "POST", path, attachmentUpload("厂房施工现场.jpg", "image/jpeg", jpegBytes, nil)).want(t, 201)
	sum := sha256.Sum256(jpegBytes)
	if jpeg.body["visit_id"] != id || jpeg.body["file_name"] != "厂房施工现场.jpg" || jpeg.body["content_type"] != "image/jpeg" ||
		jpeg.body["size"] != float64(len(jpegBytes)) || jpeg.body["sha256"] != hex.EncodeToString(sum[:]) ||
		jpeg.body["uploaded_by_name"] != "测试 steward" {
		t.Fatalf("uploaded: %s", jpeg.raw)
	}
	jpegID := jpeg.body["id"].(string)
	if loc := jpeg.Header.Get("Location"); loc != "/api/v1/attachments/"+jpegID {
		t.Fatalf("Location %q", loc)
	}
	png := w.author.do(t, "POST", path, attachmentUpload("签约仪式.png", "application/octet-stream", pngBytes, nil)).want(t, 201)
	if png.body["content_type"] != "image/png" {
		t.Fatalf("the PNG is stored as %v", png.body["content_type"])
	}
	pngID := png.body["id"].(string)

	t.Run("OnlyImagesAreTaken", func(t *testing.T) {
		for _, f := range []rawBody{
			attachmentUpload("走访纪要.pdf", "application/pdf", pdfBytes, nil),
			attachmentUpload("走访纪要.jpg", "image/jpeg", pdfBytes, nil), // a PDF renamed
			attachmentUpload("现场.jpg", "image/jpeg", exeBytes, nil),
		} {
			r := w.author.do(t, "POST", path, f).wantProblem(t, 422, "validation_failed")
			if msg := r.fieldErrors()["file"]; !strings.Contains(msg, "JPEG, PNG, GIF or WebP") {
				t.Fatalf("the refusal %q does not say what a photo may be", msg)
			}
		}
		big := append(bytes.Clone(jpegBytes), make([]byte, 20<<20)...)
		w.author.do(t, "POST", path, attachmentUpload("超大照片.jpg", "image/jpeg", big, nil)).wantProblem(t, 413, "validation_failed")
	})

	t.Run("TheVisitCountsItsPhotos", func(t *testing.T) {
		if n := w.author.do(t, "GET", "/api/v1/visits/"+id, nil).want(t, 200).body["photo_count"]; n != float64(2) {
			t.Fatalf("photo_count %v, want 2", n)
		}
		list := w.dispatch.do(t, "GET", "/api/v1/visits?enterprise_id="+w.ent.ID, nil).want(t, 200).items()
		if len(list) != 1 || list[0]["photo_count"] != float64(2) {
			t.Fatalf("the list: %v", list)
		}
	})

	t.Run("WhoeverSeesTheVisitListsItsPhotos", func(t *testing.T) {
		for name, c := range map[string]*client{"author": w.author, "leader": w.leader, "dispatcher": w.dispatch} {
			var names []string
			for _, it := range c.do(t, "GET", path, nil).want(t, 200).items() {
				names = append(names, it["file_name"].(string))
			}
			if got := fmt.Sprint(names); got != "[厂房施工现场.jpg 签约仪式.png]" {
				t.Fatalf("the %s lists %s", name, got)
			}
		}
		w.other.do(t, "GET", path, nil).wantProblem(t, 404, "not_found")
		w.portal.do(t, "GET", path, nil).wantProblem(t, 403, "forbidden")
	})

	t.Run("TheDispatcherDownloadsButMayNotUpload", func(t *testing.T) {
		d := w.dispatch.do(t, "GET", "/api/v1/attachments/"+jpegID, nil).want(t, 200)
		if !bytes.Equal(d.raw, jpegBytes) || d.Header.Get("Content-Type") != "image/jpeg" ||
			d.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(d.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("downloaded %d bytes with %v", len(d.raw), d.Header)
		}
		if d := w.dispatch.do(t, "GET", "/api/v1/attachments/"+pngID, nil).want(t, 200); !bytes.Equal(d.raw, pngBytes) {
			t.Fatal("the PNG downloaded is not the file")
		}
		w.dispatch.do(t, "POST", path, attachmentUpload("督查.png", "image/png", pngBytes, nil)).wantProblem(t, 403, "forbidden")
	})

	t.Run("OnlyTheAuthorUploads", func(t *testing.T) {
		// The leader sees the visit (their portfolio) but did not write it; the other steward
		// does not see it at all.
		w.leader.do(t, "POST", path, attachmentUpload("领导.png", "image/png", pngBytes, nil)).wantProblem(t, 403, "forbidden")
		w.other.do(t, "POST", path, attachmentUpload("越权.png", "image/png", pngBytes, nil)).wantProblem(t, 404, "not_found")
		w.portal.do(t, "POST", path, attachmentUpload("企业.png", "image/png", pngBytes, nil)).wantProblem(t, 403, "forbidden")
	})

	t.Run("NobodyElseDownloadsThem", func(t *testing.T) {
		want := map[string]struct {
			c      *client
			status int
		}{
			"author": {w.author, 200}, "leader": {w.leader, 200}, "other steward": {w.other, 404},
			"enterprise": {w.portal, 404}, "officer": {w.officer, 404}, "admin": {w.admin, 403}, "auditor": {w.auditor, 403},
		}
		for who, x := range want {
			if r := x.c.do(t, "GET", "/api/v1/attachments/"+jpegID, nil); r.StatusCode != x.status {
				t.Errorf("the %s downloads a visit photo: %d, want %d", who, r.StatusCode, x.status)
			}
		}
	})

	t.Run("EveryUploadIsAudited", func(t *testing.T) {
		audit := w.auditor.do(t, "GET", "/api/v1/audit?entity=visit&entity_id="+id+"&action=attach", nil).want(t, 200).items()
		if len(audit) != 2 {
			t.Fatalf("%d audit records of photos, want 2", len(audit))
		}
		for _, r := range audit {
			if after := r["after"].(map[string]any); after["owner_type"] != "visit" || after["content"] != nil {
				t.Fatalf("audit record %v", r)
			}
		}
	})

	t.Run("After24HoursTheRecordIsClosed", func(t *testing.T) {
		w.b.advance(25 * time.Hour)
		defer w.b.advance(-25 * time.Hour)
		w.author.do(t, "POST", path, attachmentUpload("补拍.jpg", "image/jpeg", jpegBytes, nil)).wantProblem(t, 409, "invalid_transition")
		// What was attached stays readable.
		w.dispatch.do(t, "GET", "/api/v1/attachments/"+jpegID, nil).want(t, 200)
	})
}
