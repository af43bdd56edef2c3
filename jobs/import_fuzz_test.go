package jobs

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"steward/domain"
)

// templateXLSX is a small workbook with the import's header and one row.
func templateXLSX(t testing.TB) []byte {
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"企业名称", "统一社会信用代码", "行业", "规模", "重点级别"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"苏州示例精密制造有限公司", "91350100M000100Y43", "C", "中型", "区级"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzImportSheet: any uploaded bytes, read as .xlsx or as .csv, open or are refused with a
// file problem, and every row is read or refused with one — never a panic, never another error.
// Rows that read are turned into enterprises or refused with per-field messages.
func FuzzImportSheet(f *testing.F) {
	f.Add(templateXLSX(f), true)
	f.Add([]byte("企业名称,统一社会信用代码,行业,规模,重点级别\n苏州示例精密制造有限公司,91350100M000100Y43,C,中型,区级\n"), false)
	f.Add([]byte("\xEF\xBB\xBF名称,\"多\n行\",x\n\"未闭合"), false)
	f.Add([]byte("PK\x03\x04 but not a workbook"), true)
	f.Add([]byte("\xD6\xD0\xB9\xFA,a\n"), false) // GB18030
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		format := domain.ImportCSV
		if xlsx {
			format = domain.ImportXLSX
		}
		s, err := openSheet(format, data)
		var fp *fileProblem
		if err != nil {
			if !errors.As(err, &fp) {
				t.Fatalf("openSheet: %v, want a file problem", err)
			}
			return
		}
		defer s.Close()
		var fields []string
		err = s.Rows(func(row int, cells []string) error {
			if fields == nil {
				fields, _ = domain.MatchEnterpriseHeader(cells)
				return nil
			}
			m := map[string]string{}
			for i, f := range fields {
				if i < len(cells) && f != "" {
					m[f] = cells[i]
				}
			}
			if _, err := domain.EnterpriseFromSheet(m); err != nil && domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("row %d: %v, want a validation error", row, err)
			}
			return nil
		})
		if err != nil && !errors.As(err, &fp) {
			t.Fatalf("Rows: %v, want a file problem", err)
		}
	})
}

// TestImportRefusesADecompressionBomb: a small .xlsx whose sheet unpacks to more than the
// import's limit is refused as a file problem that says so, quickly and without unpacking it.
func TestImportRefusesADecompressionBomb(t *testing.T) {
	t.Parallel()
	// A real bomb: a sheet of 600 MB of spaces, deflated to well under a megabyte (made with a
	// writer that does not keep the 600 MB in memory).
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	good, err := zip.NewReader(bytes.NewReader(templateXLSX(t)), int64(len(templateXLSX(t))))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range good.File {
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == "xl/worksheets/sheet1.xml" {
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
			chunk := bytes.Repeat([]byte(" "), 1<<20)
			for range 600 {
				_, _ = w.Write(chunk)
			}
			_, _ = w.Write([]byte(`</sheetData></worksheet>`))
			continue
		}
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(w, r)
		r.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > domain.MaxImportSize {
		t.Fatalf("the bomb is %d bytes, over the upload limit: it would not reach the parser", buf.Len())
	}
	began := time.Now()
	_, err = openSheet(domain.ImportXLSX, buf.Bytes())
	var fp *fileProblem
	if !errors.As(err, &fp) || !strings.Contains(fp.Message, "MB") {
		t.Fatalf("a %d-byte workbook unpacking to 600 MB: %v, want a file problem naming the limit", buf.Len(), err)
	}
	if took := time.Since(began); took > 10*time.Second {
		t.Errorf("refusing the bomb took %s", took)
	}
	t.Logf("a %d KB workbook that unpacks to 600 MB refused in %s: %s", buf.Len()>>10, time.Since(began).Round(time.Millisecond), fp.Message)
}
