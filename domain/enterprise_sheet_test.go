package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestCodedColumnsTakeCodesAndLabels(t *testing.T) {
	t.Parallel()
	industries := map[string]string{"C": "C", "c": "C", "C 制造业": "C", "C-制造业": "C", "C：制造业": "C", "制造业": "C",
		" I 信息传输、软件和信息技术服务业 ": "I", "T": "T", "Z": "", "C 建筑业": "", "制造": "", "": ""}
	for in, want := range industries {
		if got, ok := ParseIndustry(in); got != want || ok != (want != "") {
			t.Errorf("ParseIndustry(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	scales := map[string]Scale{"large": ScaleLarge, "Micro": ScaleMicro, "大型": ScaleLarge, "微型企业": ScaleMicro, "巨型": "", "": ""}
	for in, want := range scales {
		if got, ok := ParseScale(in); got != want || ok != (want != "") {
			t.Errorf("ParseScale(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	levels := map[string]KeyLevel{"provincial": KeyProvincial, "省级重点": KeyProvincial, "市级": KeyMunicipal,
		"区重点": KeyDistrict, "县级重点": "", "": ""}
	for in, want := range levels {
		if got, ok := ParseKeyLevel(in); got != want || ok != (want != "") {
			t.Errorf("ParseKeyLevel(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

const sheetCode = "91320500MA1EXAMPLW"

func sheetCells() map[string]string {
	return map[string]string{"name": "示例有限公司", "credit_code": strings.ToLower(sheetCode), "industry": "C 制造业",
		"scale": "中型", "key_level": "市级重点", "tags": "专精特新、高新技术企业; 专精特新",
		"contacts[0].name": "王经理\n李工", "contacts[0].title": "\n工程师", "contacts[0].phone": "13812341234\n0512-66668888"}
}

func TestEnterpriseFromSheet(t *testing.T) {
	t.Parallel()

	t.Run("ReadsLabelsTagsAndContactLines", func(t *testing.T) {
		t.Parallel()
		e, err := EnterpriseFromSheet(sheetCells())
		if err != nil {
			t.Fatal(err)
		}
		if e.CreditCode != sheetCode || e.Industry != "C" || e.Scale != ScaleMedium || e.KeyLevel != KeyMunicipal {
			t.Fatalf("coded fields: %+v", e)
		}
		if !slices.Equal(e.Tags, []string{"专精特新", "高新技术企业"}) {
			t.Fatalf("tags %q", e.Tags)
		}
		want := []Contact{{Name: "王经理", Phone: "13812341234"}, {Name: "李工", Title: "工程师", Phone: "0512-66668888"}}
		if !slices.Equal(e.Contacts, want) {
			t.Fatalf("contacts %+v, want %+v", e.Contacts, want)
		}
		// Written out, it reads back the same.
		row := EnterpriseSheetRow(e)
		cells := map[string]string{}
		for i, c := range EnterpriseColumns {
			cells[c.Field] = row[i]
		}
		back, err := EnterpriseFromSheet(cells)
		if err != nil || !slices.Equal(back.Contacts, e.Contacts) || back.Industry != "C" || !slices.Equal(back.Tags, e.Tags) {
			t.Fatalf("round trip of %q: %+v, %v", row, back, err)
		}
	})

	t.Run("NamesEveryBadFieldOnce", func(t *testing.T) {
		t.Parallel()
		cells := sheetCells()
		cells["name"], cells["industry"], cells["scale"] = "", "Z 外星产业", "巨型"
		cells["credit_code"] = sheetCode[:17] + "0"
		cells["contacts[0].phone"] = "138****1234"
		_, err := EnterpriseFromSheet(cells)
		e, ok := err.(*Error)
		if !ok || e.Code != EINVALID {
			t.Fatalf("error %v", err)
		}
		got := map[string]int{}
		for _, f := range e.Fields {
			got[f.Field]++
		}
		want := map[string]int{"name": 1, "industry": 1, "scale": 1, "credit_code": 1, "contacts[0].phone": 1}
		if len(got) != len(want) {
			t.Fatalf("fields %v, want %v", e.Fields, want)
		}
		for f, n := range want {
			if got[f] != n {
				t.Fatalf("fields %v, want each of %v once", e.Fields, want)
			}
		}
	})
}

func TestMergeKeepsWhatTheRowLeavesEmpty(t *testing.T) {
	t.Parallel()
	stored := &Enterprise{Name: "示例有限公司", CreditCode: sheetCode, LegalRepresentative: "张伟", Industry: "C",
		Scale: ScaleMedium, KeyLevel: KeyMunicipal, Street: "金鸡湖街道", Tags: []string{"专精特新"}, Status: EnterpriseArchived,
		Contacts: []Contact{{Name: "王经理", Phone: "13812341234", Email: "wang@example.com"}}}
	same := *stored
	same.LegalRepresentative, same.Street, same.Tags = "", "", nil
	same.Contacts = []Contact{{Name: "王经理"}}
	if changed, err := stored.Merge(&same); err != nil || changed {
		t.Fatalf("a row with empty cells changed the enterprise: %v %v", changed, err)
	}
	row := &Enterprise{Name: "示例有限公司", CreditCode: sheetCode, Industry: "M", Scale: ScaleMedium, KeyLevel: KeyMunicipal,
		Contacts: []Contact{{Name: "王经理", Phone: "13900001111"}, {Name: "李工"}}}
	changed, err := stored.Merge(row)
	if err != nil || !changed {
		t.Fatalf("merge: %v %v", changed, err)
	}
	want := []Contact{{Name: "王经理", Phone: "13900001111", Email: "wang@example.com"}, {Name: "李工"}}
	if stored.Industry != "M" || stored.LegalRepresentative != "张伟" || stored.Street != "金鸡湖街道" ||
		!slices.Equal(stored.Tags, []string{"专精特新"}) || !slices.Equal(stored.Contacts, want) || stored.Status != EnterpriseArchived {
		t.Fatalf("merged: %+v", stored)
	}
}

func TestCheckImportFile(t *testing.T) {
	t.Parallel()
	xlsx := []byte("PK\x03\x04rest")
	for _, c := range []struct {
		name   string
		data   []byte
		format ImportFormat
		clean  string
	}{
		{`C:\Users\王\Desktop\名录.XLSX`, xlsx, ImportXLSX, "名录.XLSX"},
		{"名录.csv", []byte("企业名称\n"), ImportCSV, "名录.csv"},
		{"名录.xlsx", []byte("企业名称\n"), "", ""},
		{"名录.xls", []byte("\xD0\xCF\x11\xE0"), "", ""},
		{"名录.csv", xlsx, "", ""},
		{"名录.pdf", []byte("%PDF"), "", ""},
		{"名录.csv", nil, "", ""},
		{"名录.csv", make([]byte, MaxImportSize+1), "", ""},
	} {
		name, format, err := CheckImportFile(c.name, c.data)
		if format != c.format || name != c.clean || (err == nil) != (c.format != "") {
			t.Errorf("CheckImportFile(%q, %d bytes) = %q, %q, %v", c.name, len(c.data), name, format, err)
		}
		if err != nil && err.(*Error).Fields[0].Field != "file" {
			t.Errorf("%q: error on %v, want file", c.name, err)
		}
	}
}
