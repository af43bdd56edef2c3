package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"steward/domain/postgres"
)

// Files as their first bytes make them.
var (
	pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	pdfBytes = []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	exeBytes = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00\xB8\x00\x00\x00\x00\x00\x00\x00@\x00This program cannot be run in DOS mode.\r\r\n$")
)

// attachmentUpload is a multipart body with the file in field file, declared as contentType
// (which the server must not believe), and the internal field when internal is not nil.
func attachmentUpload(name, contentType string, data []byte, internal *bool) rawBody {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, name))
	h.Set("Content-Type", contentType)
	part, _ := mw.CreatePart(h) // writes to memory
	part.Write(data)
	if internal != nil {
		mw.WriteField("internal", fmt.Sprint(*internal))
	}
	mw.Close()
	return rawBody{contentType: mw.FormDataContentType(), data: buf.Bytes()}
}

// systemAttachment attaches a PDF to ticket as the system: only those who see the ticket reach it.
func (b *testBundle) systemAttachment(t *testing.T, ticket string) string {
	t.Helper()
	f, err := postgres.NewAttachmentService(b.db, b.tickets).AttachToTicket(system, ticket, "系统附件.pdf", pdfBytes, false)
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}

func TestTicketAttachments(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	r := w.submit(t, w.portal, "").want(t, 201)
	id := r.body["id"].(string)
	r = act(t, w.dispatcher, id, "accept", nil, r.Header.Get("ETag")).want(t, 200)
	r = act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID}, r.Header.Get("ETag")).want(t, 200)
	act(t, w.officerB, id, "sign", nil, r.Header.Get("ETag")).want(t, 200)
	path := "/api/v1/tickets/" + id + "/attachments"
	yes, no := true, false

	// The officer attaches a photo, the enterprise its licence, the officer an internal note.
	photo := w.officerB.do(t, "POST", path, attachmentUpload("现场踏勘照片.png", "image/png", pngBytes, &no)).want(t, 201)
	sum := sha256.Sum256(pngBytes)
	if photo.body["file_name"] != "现场踏勘照片.png" || photo.body["content_type"] != "image/png" || photo.body["ticket_id"] != id ||
		photo.body["size"] != float64(len(pngBytes)) || photo.body["sha256"] != hex.EncodeToString(sum[:]) ||
		photo.body["internal"] != false || photo.body["uploaded_by_name"] != "测试 officer" {
		t.Fatalf("uploaded: %s", photo.raw)
	}
	photoID := photo.body["id"].(string)
	if loc := photo.Header.Get("Location"); loc != "/api/v1/attachments/"+photoID {
		t.Fatalf("Location %q", loc)
	}
	// A declared type is not believed: the PDF declared as an image is stored as a PDF.
	licence := w.portal.do(t, "POST", path, attachmentUpload("营业执照副本.pdf", "image/jpeg", pdfBytes, nil)).want(t, 201)
	if licence.body["content_type"] != "application/pdf" {
		t.Fatalf("the PDF is stored as %v", licence.body["content_type"])
	}
	note := w.officerB.do(t, "POST", path, attachmentUpload("内部协调意见.pdf", "application/pdf", pdfBytes, &yes)).want(t, 201)
	noteID := note.body["id"].(string)
	w.portal.do(t, "POST", path, attachmentUpload("想要内部.pdf", "application/pdf", pdfBytes, &yes)).wantProblem(t, 422, "validation_failed")

	t.Run("EnterpriseDoesNotSeeInternalFiles", func(t *testing.T) {
		names := func(c *client) []string {
			var out []string
			for _, it := range c.do(t, "GET", path, nil).want(t, 200).items() {
				out = append(out, it["file_name"].(string))
			}
			return out
		}
		if got := fmt.Sprint(names(w.dispatcher)); got != "[现场踏勘照片.png 营业执照副本.pdf 内部协调意见.pdf]" {
			t.Fatalf("the dispatcher lists %s", got)
		}
		if got := fmt.Sprint(names(w.portal)); got != "[现场踏勘照片.png 营业执照副本.pdf]" {
			t.Fatalf("the enterprise lists %s", got)
		}
		w.portal.do(t, "GET", "/api/v1/attachments/"+noteID, nil).wantProblem(t, 404, "not_found")
		w.steward.do(t, "GET", "/api/v1/attachments/"+noteID, nil).want(t, 200)
		// Enterprises see which body uploaded a file, not which official.
		if by := w.portal.do(t, "GET", path, nil).want(t, 200).items()[0]["uploaded_by_name"]; by != "国网区供电公司" {
			t.Fatalf("the enterprise sees the uploader as %v", by)
		}
	})

	t.Run("DownloadIsSavedNeverRendered", func(t *testing.T) {
		d := w.portal.do(t, "GET", "/api/v1/attachments/"+photoID, nil).want(t, 200)
		if !bytes.Equal(d.raw, pngBytes) {
			t.Fatalf("downloaded %d bytes, not the file", len(d.raw))
		}
		cd := d.Header.Get("Content-Disposition")
		if !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("现场踏勘照片")+".png") {
			t.Fatalf("Content-Disposition %q does not carry the Chinese name RFC 5987-encoded", cd)
		}
		disposition, params, err := mime.ParseMediaType(cd)
		if err != nil || disposition != "attachment" || params["filename"] != "现场踏勘照片.png" {
			t.Fatalf("Content-Disposition %q reads as %q %v (%v)", cd, disposition, params, err)
		}
		for h, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
			"Content-Security-Policy": "sandbox", "Cache-Control": "no-store"} {
			if got := d.Header.Values(h); len(got) != 1 || got[0] != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
	})

	t.Run("DangerousFilesAreRefused", func(t *testing.T) {
		for _, f := range []rawBody{
			attachmentUpload("整改方案.pdf", "application/pdf", exeBytes, nil),                                           // an .exe renamed
			attachmentUpload("通知.html", "text/plain", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), nil), // a page
			attachmentUpload("logo.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), nil),
		} {
			r := w.officerB.do(t, "POST", path, f).wantProblem(t, 422, "validation_failed")
			if msg := r.fieldErrors()["file"]; !strings.Contains(msg, "PDF") || !strings.Contains(msg, ".docx") {
				t.Fatalf("the refusal %q does not name the allowed types", msg)
			}
		}
	})

	t.Run("LargeFilesAreRefused", func(t *testing.T) {
		big := append(bytes.Clone(pdfBytes), make([]byte, 21<<20)...)
		r := w.officerB.do(t, "POST", path, attachmentUpload("扫描件.pdf", "application/pdf", big, nil)).wantProblem(t, 413, "validation_failed")
		if !strings.Contains(r.fieldErrors()["file"], "20 MB") {
			t.Fatalf("the refusal does not say the limit: %s", r.raw)
		}
		// Just over the limit, within what a multipart body may carry besides the file.
		justOver := append(bytes.Clone(pdfBytes), make([]byte, 20<<20)...)
		w.officerB.do(t, "POST", path, attachmentUpload("扫描件.pdf", "application/pdf", justOver, nil)).wantProblem(t, 413, "validation_failed")
	})

	t.Run("AnotherDepartmentGets404", func(t *testing.T) {
		w.officerA.do(t, "POST", path, attachmentUpload("越权.png", "image/png", pngBytes, nil)).wantProblem(t, 404, "not_found")
		w.officerA.do(t, "GET", path, nil).wantProblem(t, 404, "not_found")
		w.officerA.do(t, "GET", "/api/v1/attachments/"+photoID, nil).wantProblem(t, 404, "not_found")
		w.auditor.do(t, "GET", "/api/v1/attachments/"+photoID, nil).wantProblem(t, 403, "forbidden")
	})

	t.Run("NotOnClosedTickets", func(t *testing.T) {
		r := w.submit(t, w.portal, "").want(t, 201)
		rejected := r.body["id"].(string)
		act(t, w.dispatcher, rejected, "reject", map[string]any{"reason": "不属于本局受理范围"}, r.Header.Get("ETag")).want(t, 200)
		w.portal.do(t, "POST", "/api/v1/tickets/"+rejected+"/attachments", attachmentUpload("补充材料.pdf", "application/pdf", pdfBytes, nil)).
			wantProblem(t, 409, "invalid_transition")
	})

	t.Run("TheTimelineAndTheAuditLogRecordEveryUpload", func(t *testing.T) {
		attached := func(c *client) []string {
			var out []string
			for _, e := range c.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).want(t, 200).items() {
				if e["action"] == "attach" {
					data := e["data"].(map[string]any)
					out = append(out, fmt.Sprint(data["file_name"], " ", e["public"], " ", data["attachment_id"] != nil))
				}
			}
			return out
		}
		if got := fmt.Sprint(attached(w.dispatcher)); got != "[现场踏勘照片.png true true 营业执照副本.pdf true true 内部协调意见.pdf false true]" {
			t.Fatalf("the dispatcher's timeline: %s", got)
		}
		if got := fmt.Sprint(attached(w.portal)); got != "[现场踏勘照片.png true true 营业执照副本.pdf true true]" {
			t.Fatalf("the enterprise's timeline: %s", got)
		}
		audit := w.auditor.do(t, "GET", "/api/v1/audit?entity=ticket&entity_id="+id+"&action=ticket.attach", nil).want(t, 200).items()
		if len(audit) != 3 {
			t.Fatalf("%d audit records of uploads, want 3", len(audit))
		}
	})
}
