package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"steward/domain"
	"steward/domain/postgres"
	"steward/jobs"
)

// upload is a multipart body with the file in field file, as a browser sends it.
func upload(name string, data []byte) rawBody {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, name))
	switch {
	case strings.HasSuffix(name, ".xlsx"):
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	case strings.HasSuffix(name, ".csv"):
		h.Set("Content-Type", "text/csv")
	default:
		h.Set("Content-Type", "application/octet-stream")
	}
	part, _ := mw.CreatePart(h) // writes to memory
	part.Write(data)
	mw.Close()
	return rawBody{contentType: mw.FormDataContentType(), data: buf.Bytes()}
}

// work starts River with every worker on the bundle's database, so that jobs the server
// enqueues are worked as in production.
func (b *testBundle) work(t *testing.T) {
	t.Helper()
	workers := river.NewWorkers()
	jobs.Register(workers, jobs.Deps{Logger: slog.New(slog.DiscardHandler), Imports: postgres.NewImportService(b.db)})
	rc, err := river.NewClient(riverdatabasesql.NewWithPgxListener(b.db.SQL, b.db.Pool), &river.Config{
		Logger:            slog.New(slog.DiscardHandler),
		Workers:           workers,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		FetchCooldown:     20 * time.Millisecond,
		FetchPollInterval: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = rc.Stop(ctx)
	})
	b.db.River = rc
}

// importFile uploads a file as c and waits until the worker has finished it.
func (c *client) importFile(t *testing.T, name string, data []byte) *response {
	t.Helper()
	created := c.do(t, "POST", "/api/v1/imports/enterprises", upload(name, data)).want(t, 202)
	id, _ := created.body["id"].(string)
	if loc := created.Header.Get("Location"); loc != "/api/v1/imports/"+id || created.body["status"] != "queued" {
		t.Fatalf("upload answered Location %q, body %s", loc, created.raw)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := c.do(t, "GET", "/api/v1/imports/"+id, nil).want(t, 200)
		if s := r.body["status"]; s == "done" || s == "failed" {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("import still %v after 30 s: %s", r.body["status"], r.raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// counts are an import's counters.
func counts(r *response) map[string]int {
	out := map[string]int{}
	for _, k := range []string{"total", "done", "failed", "created", "updated", "unchanged"} {
		n, _ := r.body[k].(float64)
		out[k] = int(n)
	}
	return out
}

// importErrors are an import's problems as "row field".
func importErrors(r *response) map[string]map[string]any {
	out := map[string]map[string]any{}
	list, _ := r.body["errors"].([]any)
	for _, e := range list {
		m := e.(map[string]any)
		out[fmt.Sprintf("%v %v", m["row"], m["field"])] = m
	}
	return out
}

// creditCode returns a valid credit code numbered n.
func creditCode(n int) string {
	first17 := fmt.Sprintf("91320500%09d", 700000000+n)
	c, _ := domain.CreditCodeCheckChar(first17)
	return first17 + string(c)
}

// workbook builds an .xlsx with rows on its first sheet.
func workbook(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func titles() []string {
	var out []string
	for _, c := range domain.EnterpriseColumns {
		out = append(out, c.Title)
	}
	return out
}

// readCSV parses an exported CSV, which must start with a UTF-8 byte-order mark.
func readCSV(t *testing.T, raw []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("the CSV has no UTF-8 BOM: %q", raw[:min(len(raw), 20)])
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// readXLSX returns the rows of a workbook's first sheet.
func readXLSX(t *testing.T, raw []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestEnterpriseImport(t *testing.T) {
	t.Parallel()

	t.Run("TemplateHasHeaderDropDownsAndInstructions", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := b.as(t, domain.RoleDispatcher).do(t, "GET", "/api/v1/imports/templates/enterprises.xlsx", nil).want(t, 200)
		if ct := r.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("Content-Type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''") {
			t.Fatalf("Content-Disposition %q", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.raw))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) < 2 || sheets[0] != "企业名录" || sheets[1] != "填写说明" {
			t.Fatalf("sheets %v, want 企业名录 then 填写说明", sheets)
		}
		rows, _ := f.GetRows("企业名录")
		if len(rows) != 2 || !slices.Equal(rows[0], titles()) {
			t.Fatalf("template rows %q, want the header and an example", rows)
		}
		help, _ := f.GetRows("填写说明")
		if len(help) <= len(domain.EnterpriseColumns) || help[2][0] != "统一社会信用代码" || help[2][2] == "" {
			t.Fatalf("the instructions do not explain the columns: %q", help[:min(3, len(help))])
		}

		// A drop-down for each coded column, listing the labels.
		dvs, err := f.GetDataValidations("企业名录")
		if err != nil {
			t.Fatal(err)
		}
		var industries []string
		for _, code := range domain.IndustryCodes() {
			industries = append(industries, code+" "+domain.Industries[code])
		}
		if industries[2] != "C 制造业" || len(industries) != 20 {
			t.Fatalf("industries %q", industries)
		}
		want := map[string][]string{"D": industries, "E": {"大型", "中型", "小型", "微型"}, "F": {"省级重点", "市级重点", "区级重点"}}
		for _, dv := range dvs {
			col := dv.Sqref[:1]
			values, ok := want[col]
			if !ok || dv.Type != "list" {
				continue
			}
			// The list is a range of the hidden list sheet: '代码表'!$A$1:$A$20.
			ref := strings.SplitN(dv.Formula1, "!", 2)
			sheet := strings.Trim(ref[0], "'")
			ends := strings.Split(strings.ReplaceAll(ref[1], "$", ""), ":")
			x, y1, _ := excelize.CellNameToCoordinates(ends[0])
			_, y2, _ := excelize.CellNameToCoordinates(ends[1])
			var list []string
			for y := y1; y <= y2; y++ {
				cell, _ := excelize.CoordinatesToCellName(x, y)
				v, _ := f.GetCellValue(sheet, cell)
				list = append(list, v)
			}
			if !slices.Equal(list, values) {
				t.Errorf("column %s drop-down runs %q, want %q", col, list, values)
			}
			delete(want, col)
		}
		if len(want) > 0 {
			t.Fatalf("no drop-down on columns %v; validations %+v", want, dvs)
		}

		// The template imports as it is: its example row is not an enterprise.
		b.work(t)
		done := b.as(t, domain.RoleDispatcher).importFile(t, "模板.xlsx", r.raw)
		if done.body["status"] != "done" || counts(done)["total"] != 0 {
			t.Fatalf("importing the untouched template: %s", done.raw)
		}
	})

	t.Run("XLSXReportsBadRowsAndReimportUpdatesByCreditCode", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.work(t)
		c := b.as(t, domain.RoleDispatcher)
		rows := [][]string{
			titles(),
			{"苏州甲精密制造有限公司", creditCode(1), "张伟", "C 制造业", "中型", "市级重点", "示例路 1 号", "金鸡湖街道", "专精特新", "王经理", "办公室主任", "13812341234", "wang@example.com"},
			{"苏州乙软件有限公司", strings.ToLower(creditCode(2)), "", "I", "small", "district", "", "斜塘街道", "高新技术企业, 软件", "", "", "", ""},
			{"苏州丙有限公司", creditCode(3)[:17] + "0", "", "C", "小型", "区级重点", "", "", "", "", "", "", ""},
			{"苏州丁有限公司", creditCode(4), "", "Z 外星产业", "小型", "区级重点", "", "", "", "", "", "", ""},
			{"", creditCode(5), "", "C", "小型", "区级重点", "", "", "", "", "", "", ""},
			{},
			{"苏州戊科技有限公司", creditCode(6), "", "M 科学研究和技术服务业", "微型", "省级重点", "", "", "", "李总\n赵工", "总经理\n工程师", "13900001111\n0512-66668888", "", ""},
		}
		r := c.importFile(t, "企业名录.xlsx", workbook(t, rows))
		if got, want := counts(r), map[string]int{"total": 6, "done": 3, "failed": 3, "created": 3}; !mapsEqual(got, want) {
			t.Fatalf("counts %v, want %v; %s", got, want, r.raw)
		}
		if r.body["status"] != "done" || r.body["file_name"] != "企业名录.xlsx" || r.body["finished_at"] == nil {
			t.Fatalf("finished import: %s", r.raw)
		}
		problems := importErrors(r)
		for key, column := range map[string]string{"4 credit_code": "统一社会信用代码", "5 industry": "行业门类", "6 name": "企业名称"} {
			p, ok := problems[key]
			if !ok {
				t.Fatalf("no problem %s reported; got %s", key, r.body["errors"])
			}
			if p["column"] != column || p["message"] == "" {
				t.Fatalf("problem %s: %v", key, p)
			}
		}
		if len(problems) != 3 {
			t.Fatalf("problems %v, want exactly the three bad rows", r.body["errors"])
		}

		list := c.do(t, "GET", "/api/v1/enterprises?sort=name&with_total=true", nil).want(t, 200)
		if list.body["total"] != float64(3) {
			t.Fatalf("enterprises after the import: %s", list.raw)
		}
		ids := map[string]string{}
		for _, it := range list.items() {
			ids[it["credit_code"].(string)] = it["id"].(string)
		}
		wu := c.do(t, "GET", "/api/v1/enterprises/"+ids[creditCode(6)], nil).want(t, 200)
		if wu.body["industry"] != "M" || wu.body["scale"] != "micro" || wu.body["key_level"] != "provincial" ||
			len(wu.body["contacts"].([]any)) != 2 {
			t.Fatalf("a row with labels and two contacts imported as %s", wu.raw)
		}

		// The same file again changes nothing and registers nothing twice.
		again := c.importFile(t, "企业名录.xlsx", workbook(t, rows))
		if got, want := counts(again), map[string]int{"total": 6, "done": 3, "failed": 3, "unchanged": 3}; !mapsEqual(got, want) {
			t.Fatalf("re-import counts %v, want %v; %s", got, want, again.raw)
		}

		// Corrected and edited, it updates the enterprise in place and registers the fixed row.
		rows[1][7] = "斜塘街道"
		rows[3][1] = creditCode(3)
		edited := c.importFile(t, "企业名录（改）.xlsx", workbook(t, rows))
		if got, want := counts(edited), map[string]int{"total": 6, "done": 4, "failed": 2, "created": 1, "updated": 1, "unchanged": 2}; !mapsEqual(got, want) {
			t.Fatalf("edited import counts %v, want %v; %s", got, want, edited.raw)
		}
		list = c.do(t, "GET", "/api/v1/enterprises?with_total=true", nil).want(t, 200)
		if list.body["total"] != float64(4) {
			t.Fatalf("enterprises after the edited import: %s", list.raw)
		}
		jia := c.do(t, "GET", "/api/v1/enterprises/"+ids[creditCode(1)], nil).want(t, 200)
		if jia.body["street"] != "斜塘街道" || jia.body["version"] != float64(2) || jia.Header.Get("ETag") != `"2"` {
			t.Fatalf("the updated enterprise: %s", jia.raw)
		}

		// Audited as the uploader: created, then updated with the street before and after.
		audit := b.as(t, domain.RoleAuditor).do(t, "GET", "/api/v1/audit?entity=enterprise&entity_id="+ids[creditCode(1)], nil).want(t, 200)
		var actions []string
		for _, it := range audit.items() {
			actions = append(actions, it["action"].(string))
			if it["action"] == "update" {
				before, after := it["before"].(map[string]any), it["after"].(map[string]any)
				if before["street"] != "金鸡湖街道" || after["street"] != "斜塘街道" || after["version"] != float64(2) {
					t.Fatalf("update audited as %v → %v", before, after)
				}
				if !strings.HasPrefix(it["request_id"].(string), "import-") || it["actor_role"] != "dispatcher" {
					t.Fatalf("update audited for %v (%v)", it["actor_role"], it["request_id"])
				}
			}
		}
		if !slices.Equal(actions, []string{"update", "create"}) {
			t.Fatalf("audit actions %v, want create then update", actions)
		}
	})

	t.Run("CSVInUTF8WithBOMAndInGB18030", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.work(t)
		c := b.as(t, domain.RoleDispatcher)
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write([]string{"企业名称", "统一社会信用代码", "行业门类", "企业规模", "重点级别", "联系电话", "联系人"}) // a subset, in any order
		w.Write([]string{"无锡己有限公司", creditCode(11), "C", "large", "provincial", "13812341234", "钱经理"})
		w.Write([]string{"无锡庚有限公司", creditCode(12), "F 批发和零售业", "微型企业", "市级", "not a phone", "孙经理"})
		w.Flush()
		utf8BOM := append([]byte("\xEF\xBB\xBF"), buf.Bytes()...)
		r := c.importFile(t, "名录.csv", utf8BOM)
		if got, want := counts(r), map[string]int{"total": 2, "done": 1, "failed": 1, "created": 1}; !mapsEqual(got, want) {
			t.Fatalf("counts %v, want %v; %s", got, want, r.raw)
		}
		if p := importErrors(r); p["3 contacts[0].phone"] == nil || p["3 contacts[0].phone"]["column"] != "联系电话" {
			t.Fatalf("problems %v", r.body["errors"])
		}

		buf.Reset()
		w = csv.NewWriter(&buf)
		w.Write([]string{"企业名称", "统一社会信用代码", "行业门类", "企业规模", "重点级别", "所属街道"})
		w.Write([]string{"常州辛有限公司", creditCode(13), "E 建筑业", "中型", "区级重点", "湖塘镇"})
		w.Flush()
		gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		r = c.importFile(t, "名录-gbk.CSV", gb)
		if got, want := counts(r), map[string]int{"total": 1, "done": 1, "created": 1}; !mapsEqual(got, want) {
			t.Fatalf("GB18030 counts %v, want %v; %s", got, want, r.raw)
		}
		list := c.do(t, "GET", "/api/v1/enterprises?q=常州", nil).want(t, 200)
		if items := list.items(); len(items) != 1 || items[0]["street"] != "湖塘镇" {
			t.Fatalf("the GB18030 row reads as %s", list.raw)
		}
	})

	t.Run("FileProblemsFailTheImportOrTheUpload", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.work(t)
		c := b.as(t, domain.RoleDispatcher)
		r := c.importFile(t, "名录.csv", []byte("名称,代码\n甲,1\n"))
		if p := importErrors(r)["1 file"]; r.body["status"] != "failed" || p == nil {
			t.Fatalf("a file without our header: %s", r.raw)
		}
		r = c.importFile(t, "名录.xlsx", []byte("PK\x03\x04 but not a workbook"))
		if r.body["status"] != "failed" {
			t.Fatalf("a broken workbook: %s", r.raw)
		}
		up := c.do(t, "POST", "/api/v1/imports/enterprises", upload("名录.xls", []byte("\xD0\xCF\x11\xE0 old excel"))).
			wantProblem(t, 422, "validation_failed")
		if !strings.Contains(up.fieldErrors()["file"], ".xlsx") {
			t.Fatalf("an .xls upload: %s", up.raw)
		}
		big := upload("大.csv", bytes.Repeat([]byte("a"), domain.MaxImportSize+1))
		up = c.do(t, "POST", "/api/v1/imports/enterprises", big).wantProblem(t, 413, "validation_failed")
		if up.fieldErrors()["file"] == "" {
			t.Fatalf("a file over 10 MB: %s", up.raw)
		}
		c.do(t, "POST", "/api/v1/imports/enterprises", map[string]any{"file": "x"}).wantProblem(t, 422, "validation_failed")
	})

	t.Run("ImportIsReadByItsCreatorAndDispatchersOnly", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		creator := b.user(t, domain.RoleDispatcher)
		as := domain.WithActor(context.Background(), &domain.Actor{UserID: creator.ID, Username: creator.Username, Role: domain.RoleDispatcher})
		imp, err := postgres.NewImportService(b.db).CreateImport(as, domain.ImportEnterprises, "名录.csv", []byte("企业名称\n"))
		if err != nil {
			t.Fatal(err)
		}
		b.login(t, creator.Username).do(t, "GET", "/api/v1/imports/"+imp.ID, nil).want(t, 200)
		b.as(t, domain.RoleDispatcher).do(t, "GET", "/api/v1/imports/"+imp.ID, nil).want(t, 200)
		b.as(t, domain.RoleSteward).do(t, "GET", "/api/v1/imports/"+imp.ID, nil).wantProblem(t, 404, "not_found")
		b.as(t, domain.RoleDispatcher).do(t, "GET", "/api/v1/imports/not-an-id", nil).wantProblem(t, 404, "not_found")
	})
}

func TestEnterpriseExport(t *testing.T) {
	t.Parallel()

	t.Run("BothFormatsParseBackWithTheCallersRowsAndMasking", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		mine := b.enterprise(t, "苏州管家服务的企业有限公司")
		other := b.enterprise(t, "苏州别人的企业有限公司")
		steward := b.user(t, domain.RoleSteward)
		b.assign(t, domain.SubjectEnterprise, mine.ID, b.user(t, domain.RoleLeader).ID, steward.ID)

		// A dispatcher sees every enterprise with full phone numbers, in both formats.
		d := b.as(t, domain.RoleDispatcher)
		x := d.do(t, "GET", "/api/v1/exports/enterprises?format=xlsx&sort=name", nil).want(t, 200)
		if cd := x.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95-") || !strings.HasSuffix(cd, ".xlsx") {
			t.Fatalf("Content-Disposition %q, want 企业名录-YYYYMMDD.xlsx", cd)
		}
		rows := readXLSX(t, x.raw)
		if len(rows) != 3 || !slices.Equal(rows[0], titles()) {
			t.Fatalf("xlsx rows %q", rows)
		}
		byName := map[string][]string{}
		for _, r := range rows[1:] {
			byName[r[0]] = r
		}
		if r := byName[mine.Name]; r[1] != mine.CreditCode || r[3] != "C 制造业" || r[4] != "小型" || r[5] != "区级重点" || r[9] != "王经理" || r[11] != "13812345678" {
			t.Fatalf("xlsx row %q", r)
		}
		c := d.do(t, "GET", "/api/v1/exports/enterprises?format=csv&q="+other.CreditCode, nil).want(t, 200)
		if ct := c.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("Content-Type %q", ct)
		}
		crows := readCSV(t, c.raw)
		if len(crows) != 2 || crows[1][0] != other.Name || crows[1][11] != "13812345678" {
			t.Fatalf("filtered csv %q", crows)
		}

		// An integration never exports the register (it looks enterprises up by credit code only).
		b.as(t, domain.RoleIntegration).do(t, "GET", "/api/v1/exports/enterprises?format=csv", nil).wantProblem(t, 403, "forbidden")

		// A steward exports their own portfolio only.
		rows = readXLSX(t, b.login(t, steward.Username).do(t, "GET", "/api/v1/exports/enterprises", nil).want(t, 200).raw)
		if len(rows) != 2 || rows[1][0] != mine.Name || rows[1][11] != "13812345678" {
			t.Fatalf("steward export %q", rows)
		}
	})

	t.Run("ManyPagesStream", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		const n = domain.MaxPageLimit + 7
		for i := range n {
			b.enterprise(t, fmt.Sprintf("批量企业%03d有限公司", i))
		}
		d := b.as(t, domain.RoleDispatcher)
		rows := readCSV(t, d.do(t, "GET", "/api/v1/exports/enterprises?format=csv", nil).want(t, 200).raw)
		xrows := readXLSX(t, d.do(t, "GET", "/api/v1/exports/enterprises?format=xlsx", nil).want(t, 200).raw)
		if len(rows) != n+1 || len(xrows) != n+1 {
			t.Fatalf("%d csv and %d xlsx rows, want %d", len(rows), len(xrows), n+1)
		}
		seen := map[string]bool{}
		for _, r := range rows[1:] {
			seen[r[1]] = true
		}
		if len(seen) != n {
			t.Fatalf("%d distinct enterprises across the pages, want %d", len(seen), n)
		}
	})

	t.Run("AnExportImportsBack", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.work(t)
		e := b.enterprise(t, "往返企业有限公司")
		d := b.as(t, domain.RoleDispatcher)
		x := d.do(t, "GET", "/api/v1/exports/enterprises", nil).want(t, 200)
		r := d.importFile(t, "导出.xlsx", x.raw)
		if got, want := counts(r), map[string]int{"total": 1, "done": 1, "unchanged": 1}; !mapsEqual(got, want) {
			t.Fatalf("re-importing an export of %s: %v, want %v; %s", e.Name, got, want, r.raw)
		}
	})
}

// systemImport stores an import made by the system, which only dispatchers may read; its job is
// not worked.
func (b *testBundle) systemImport(t *testing.T) string {
	t.Helper()
	imp, err := postgres.NewImportService(b.db).CreateImport(system, domain.ImportEnterprises, "系统导入.csv", []byte("企业名称\n"))
	if err != nil {
		t.Fatal(err)
	}
	return imp.ID
}

// exportedNames are the enterprise names of an exported CSV.
func exportedNames(raw []byte) []string {
	rows, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF")))).ReadAll()
	var names []string
	for _, r := range rows[min(1, len(rows)):] {
		names = append(names, r[0])
	}
	return names
}

func mapsEqual(got, want map[string]int) bool {
	for k, v := range got {
		if want[k] != v {
			return false
		}
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}
