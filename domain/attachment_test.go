package domain_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"steward/domain"
)

// Files as their first bytes make them.
var (
	pngFile  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	jpegFile = []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	gifFile  = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xFF\xFF\xFF!")
	webpFile = []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")
	pdfFile  = []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
	exeFile  = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00\xB8\x00\x00\x00This program cannot be run in DOS mode.")
	oleFile  = append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
)

// officeZip is a ZIP holding the given files, as Office Open XML documents are.
func officeZip(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("<?xml version=\"1.0\"?><x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNewAttachmentSniffsTheContent(t *testing.T) {
	t.Parallel()
	docx := officeZip(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
	xlsx := officeZip(t, "[Content_Types].xml", "xl/workbook.xml")
	plainZip := officeZip(t, "setup.exe", "readme.txt")
	table := []struct {
		name     string
		content  []byte
		wantType string // "" when refused
	}{
		{"现场照片.png", pngFile, "image/png"},
		{"现场照片.jpg", jpegFile, "image/jpeg"},
		{"renamed-photo.png", jpegFile, "image/jpeg"}, // photos are renamed between image formats
		{"动图.GIF", gifFile, "image/gif"},
		{"照片.webp", webpFile, "image/webp"},
		{"批复文件.pdf", pdfFile, "application/pdf"},
		{"会议纪要.txt", []byte("会议纪要：请供电公司本周踏勘。\n"), "text/plain; charset=utf-8"},
		{"gb18030.txt", []byte("\xbb\xe1\xd2\xe9\xbc\xcd\xd2\xaa\r\n"), "text/plain"}, // 会议纪要 as Chinese Windows saves it
		{"方案.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"台账.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"旧报告.doc", oleFile, "application/msword"},
		{"旧台账.xls", oleFile, "application/vnd.ms-excel"},

		{"installer.pdf", exeFile, ""}, // an .exe renamed
		{"installer.exe", exeFile, ""}, // an .exe
		{"photo.pdf", pngFile, ""},     // the name says PDF, the content PNG
		{"报告.html", pdfFile, ""},       // a PDF named to be opened as a page
		{"page.html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), ""},
		{"page.txt", []byte("<html><body onload=alert(1)>"), ""}, // HTML is HTML whatever its name
		{"logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), ""},
		{"logo.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), ""},
		{"app.js", []byte("fetch('/api/v1/me').then(r => r.json())"), ""},
		{"archive.zip", plainZip, ""},
		{"fake.docx", plainZip, ""}, // a ZIP named .docx that is no Word document
		{"方案.xlsx", docx, ""},       // a Word document named .xlsx
		{"slides.ppt", oleFile, ""},
		{"macro.exe", oleFile, ""},
	}
	for _, tc := range table {
		f, err := domain.NewAttachment(tc.name, tc.content, false)
		switch {
		case tc.wantType == "" && err == nil:
			t.Errorf("%s: accepted as %s, want refused", tc.name, f.ContentType)
		case tc.wantType == "" && !errorIs(err, domain.EINVALID, "file"):
			t.Errorf("%s: %v, want validation_failed on file", tc.name, err)
		case tc.wantType == "" && !strings.Contains(err.(*domain.Error).Fields[0].Message, "PDF"):
			t.Errorf("%s: %q does not say which types are allowed", tc.name, err.(*domain.Error).Fields[0].Message)
		case tc.wantType != "" && err != nil:
			t.Errorf("%s: %v, want accepted as %s", tc.name, err, tc.wantType)
		case tc.wantType != "" && f.ContentType != tc.wantType:
			t.Errorf("%s: content type %s, want %s", tc.name, f.ContentType, tc.wantType)
		}
	}
}

func TestNewAttachmentChecksSizeAndName(t *testing.T) {
	t.Parallel()
	f, err := domain.NewAttachment(`C:\Users\王经理\Desktop\批复文件.pdf`, pdfFile, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.FileName != "批复文件.pdf" || f.Size != int64(len(pdfFile)) || len(f.SHA256) != 64 || !f.Internal {
		t.Fatalf("described as %+v", f)
	}
	// A right-to-left override makes "invoice‮fdp.exe" read as "invoiceexe.pdf"; it is dropped.
	if _, err := domain.NewAttachment("invoice\u202Efdp.exe", pdfFile, false); !errorIs(err, domain.EINVALID, "file") {
		t.Fatalf("an RLO-disguised name: %v", err)
	}
	if got := domain.CleanFileName("../../etc/\x00passwd\u202E "); got != "passwd" {
		t.Fatalf("CleanFileName = %q", got)
	}
	big := append(bytes.Clone(pdfFile), make([]byte, domain.MaxAttachmentSize)...)
	for _, tc := range []struct {
		name    string
		content []byte
		field   string
	}{
		{"报告.pdf", nil, "file"},
		{"报告.pdf", big, "file"},
		{"  ", pdfFile, "file_name"},
		{`C:\dir\`, pdfFile, "file_name"},
		{strings.Repeat("长", 252) + ".pdf", pdfFile, "file_name"},
	} {
		if _, err := domain.NewAttachment(tc.name, tc.content, false); !errorIs(err, domain.EINVALID, tc.field) {
			t.Errorf("%.20q, %d bytes: %v, want validation_failed on %s", tc.name, len(tc.content), err, tc.field)
		}
	}
}

func TestTicketAttach(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 10, 12, 2, 0, 0, 0, time.UTC)
	var (
		bureau      = &domain.Actor{UserID: "d", Role: domain.RoleDispatcher}
		ownSteward  = &domain.Actor{UserID: "s", Role: domain.RoleSteward}
		ownLeader   = &domain.Actor{UserID: "l", Role: domain.RoleLeader}
		handling    = &domain.Actor{UserID: "o", Role: domain.RoleOfficer, DepartmentID: "dept"}
		otherDept   = &domain.Actor{UserID: "x", Role: domain.RoleOfficer, DepartmentID: "other"}
		enterprise  = &domain.Actor{UserID: "e", Role: domain.RoleEnterprise, EnterpriseID: "ent"}
		otherEnt    = &domain.Actor{UserID: "e2", Role: domain.RoleEnterprise, EnterpriseID: "other"}
		submitter   = &domain.Actor{UserID: "api", Role: domain.RoleIntegration}
		otherSystem = &domain.Actor{UserID: "api2", Role: domain.RoleIntegration}
		admin       = &domain.Actor{UserID: "a", Role: domain.RoleAdmin}
		auditor     = &domain.Actor{UserID: "u", Role: domain.RoleAuditor}
	)
	ticket := func(status domain.TicketStatus) *domain.Ticket {
		return &domain.Ticket{ID: "t", EnterpriseID: "ent", StewardID: "s", LeaderID: "l", DepartmentID: "dept",
			CreatedBy: "api", Status: status}
	}
	file := func(internal bool) *domain.Attachment {
		return &domain.Attachment{ID: "f", FileName: "现场照片.jpg", Internal: internal}
	}

	for _, a := range []*domain.Actor{bureau, ownSteward, ownLeader, handling, enterprise, submitter, domain.System} {
		ev, err := ticket(domain.TicketInProgress).Attach(a, file(false), at)
		if err != nil {
			t.Fatalf("%s %s: %v", a.Role, a.UserID, err)
		}
		if ev.Action != "attach" || !ev.Public || ev.Data["attachment_id"] != "f" || ev.Data["file_name"] != "现场照片.jpg" ||
			ev.ToStatus != domain.TicketInProgress {
			t.Fatalf("event %+v", ev)
		}
	}
	for _, a := range []*domain.Actor{otherDept, otherEnt, otherSystem, admin, auditor, {}} {
		if _, err := ticket(domain.TicketInProgress).Attach(a, file(false), at); err == nil {
			t.Errorf("%s %s attached to a ticket that is not theirs", a.Role, a.UserID)
		}
	}
	ev, err := ticket(domain.TicketAssigned).Attach(handling, file(true), at)
	if err != nil || ev.Public {
		t.Fatalf("an internal file: public %v, %v", ev.Public, err)
	}
	if _, err := ticket(domain.TicketSubmitted).Attach(enterprise, file(true), at); !errorIs(err, domain.EINVALID, "internal") {
		t.Fatalf("an enterprise's internal file: %v", err)
	}
	for _, s := range domain.TicketStatuses {
		_, err := ticket(s).Attach(bureau, file(false), at)
		if open := s.Open(); open != (err == nil) || !open && !errorIs(err, domain.ETRANSITION, "") {
			t.Errorf("attach to a %s ticket: %v", s, err)
		}
	}
}
