package domain

import (
	"slices"
	"sort"
	"strings"
	"unicode"
)

// The enterprise spreadsheet (企业名录) has one layout for the import template, imports and
// exports, so that an export can be edited and imported back.

// SheetColumn is one column of a spreadsheet.
type SheetColumn struct {
	// Title is the header cell, as users know the field.
	Title string
	// Field is the API field the column fills (snake_case; contacts[0].phone for the contacts).
	Field string
	// Required columns must be in the header and filled on every row.
	Required bool
	// Help explains the column on the template's instructions sheet.
	Help string
	// Example is the column's value in the template's example row.
	Example string
}

// EnterpriseColumns are the columns of the enterprise spreadsheet, in order. The contact columns
// hold one line per contact (a line break inside the cell), the lines of the four columns
// matching up.
var EnterpriseColumns = []SheetColumn{
	{Title: "企业名称", Field: "name", Required: true, Example: "苏州示例精密制造有限公司",
		Help: "企业登记注册的全称，2–200 个字。"},
	{Title: "统一社会信用代码", Field: "credit_code", Required: true, Example: "91320500MA1EXAMPLW",
		Help: "18 位，按 GB 32100 校验。它是企业的唯一标识：同一代码再次导入时更新该企业，不会重复登记。"},
	{Title: "法定代表人", Field: "legal_representative", Example: "张伟",
		Help: "不超过 50 个字。"},
	{Title: "行业门类", Field: "industry", Required: true, Example: IndustryLabel("C"),
		Help: "国民经济行业分类（GB/T 4754）门类，从下拉列表选择，如“C 制造业”；也可只填字母 C 或门类名称。"},
	{Title: "企业规模", Field: "scale", Required: true, Example: ScaleLabels[ScaleMedium],
		Help: "大型、中型、小型或微型（也可填 large、medium、small、micro）。"},
	{Title: "重点级别", Field: "key_level", Required: true, Example: KeyLevelLabels[KeyMunicipal],
		Help: "省级重点、市级重点或区级重点（也可填 provincial、municipal、district）。"},
	{Title: "地址", Field: "address", Example: "苏州工业园区示例路 88 号",
		Help: "不超过 200 个字。"},
	{Title: "所属街道", Field: "street", Example: "金鸡湖街道",
		Help: "企业所在的街道（乡镇），不超过 50 个字。"},
	{Title: "标签", Field: "tags", Example: "专精特新、高新技术企业",
		Help: "多个标签用顿号、逗号或分号分隔；每个不超过 20 个字，最多 20 个。"},
	{Title: "联系人", Field: "contacts[0].name", Example: "王经理",
		Help: "联系人姓名。有多位联系人时，每人占单元格内的一行（Alt+Enter 换行），四个联系人列逐行对应。"},
	{Title: "联系人职务", Field: "contacts[0].title", Example: "办公室主任",
		Help: "不超过 50 个字。"},
	{Title: "联系电话", Field: "contacts[0].phone", Example: "13812341234",
		Help: "手机或座机号码，可含 +、- 和空格。"},
	{Title: "联系邮箱", Field: "contacts[0].email", Example: "wang@example.com",
		Help: "电子邮箱地址。"},
}

// EnterpriseColumn returns the column of field ("contacts[2].phone" is the phone column) and
// whether there is one.
func EnterpriseColumn(field string) (SheetColumn, bool) {
	if strings.HasPrefix(field, "contacts[") {
		if i := strings.Index(field, "]."); i > 0 {
			field = "contacts[0]" + field[i+1:]
		}
	}
	for _, c := range EnterpriseColumns {
		if c.Field == field {
			return c, true
		}
	}
	return SheetColumn{}, false
}

// MatchEnterpriseHeader maps a header row to fields: fields[i] is the field of column i, or ""
// for a column that is not ours (ignored). A header cell may be the title or the field name,
// with a trailing * (a required mark) or spaces. missing lists the titles of required columns the
// header lacks.
func MatchEnterpriseHeader(header []string) (fields []string, missing []string) {
	fields = make([]string, len(header))
	found := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "*＊"))
		for _, c := range EnterpriseColumns {
			if (h == c.Title || strings.EqualFold(h, c.Field)) && !found[c.Field] {
				fields[i] = c.Field
				found[c.Field] = true
				break
			}
		}
	}
	for _, c := range EnterpriseColumns {
		if c.Required && !found[c.Field] {
			missing = append(missing, c.Title)
		}
	}
	return fields, missing
}

// ScaleLabels are the Chinese names of the scales.
var ScaleLabels = map[Scale]string{ScaleLarge: "大型", ScaleMedium: "中型", ScaleSmall: "小型", ScaleMicro: "微型"}

// KeyLevelLabels are the Chinese names of the key levels.
var KeyLevelLabels = map[KeyLevel]string{KeyProvincial: "省级重点", KeyMunicipal: "市级重点", KeyDistrict: "区级重点"}

// IndustryCodes lists the GB/T 4754 section letters in order.
func IndustryCodes() []string {
	codes := make([]string, 0, len(Industries))
	for c := range Industries {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// IndustryLabel is how a section shows in spreadsheets: "C 制造业". An unknown code stays as it is.
func IndustryLabel(code string) string {
	if name, ok := Industries[code]; ok {
		return code + " " + name
	}
	return code
}

// ParseIndustry reads an industry as people write it: the letter (C or c), the label
// ("C 制造业", "C-制造业") or the name alone (制造业).
func ParseIndustry(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	r := []rune(s)
	if code := strings.ToUpper(string(r[0])); Industries[code] != "" {
		rest := strings.TrimFunc(string(r[1:]), func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune("-－—:：、.．", r)
		})
		if rest == "" || rest == Industries[code] {
			return code, true
		}
	}
	for code, name := range Industries {
		if s == name {
			return code, true
		}
	}
	return "", false
}

// ParseScale reads a scale given as its code (micro) or Chinese name (微型, 微型企业).
func ParseScale(s string) (Scale, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, sc := range Scales {
		if l := ScaleLabels[sc]; s == string(sc) || s == l || s == l+"企业" {
			return sc, true
		}
	}
	return "", false
}

// ParseKeyLevel reads a key level given as its code (district) or Chinese name (区级重点, 区级,
// 区重点).
func ParseKeyLevel(s string) (KeyLevel, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, k := range KeyLevels {
		l := KeyLevelLabels[k] // 区级重点
		short := strings.TrimSuffix(l, "重点")
		if s == string(k) || s == l || s == short || s == strings.TrimSuffix(short, "级")+"重点" {
			return k, true
		}
	}
	return "", false
}

// tagSeparators split the tags of a cell.
const tagSeparators = "、,，;；\n"

// cellLines splits a multi-line cell into its trimmed lines, without trailing empty ones.
func cellLines(s string) []string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// EnterpriseFromSheet builds an enterprise from one spreadsheet row, given as its cells by field
// (see MatchEnterpriseHeader). Coded columns take the code or the Chinese label. It returns the
// enterprise validated (Validate), or an EINVALID *Error naming each bad field once.
func EnterpriseFromSheet(cells map[string]string) (*Enterprise, error) {
	var v Validation
	unquoted := make(map[string]string, len(cells))
	for f, c := range cells {
		unquoted[f] = FromSheetText(c)
	}
	cells = unquoted
	bad := map[string]bool{}
	add := func(field, format string, args ...any) {
		v.Add(field, format, args...)
		bad[field] = true
	}
	cell := func(field string) string { return strings.TrimSpace(cells[field]) }
	for _, c := range EnterpriseColumns {
		if c.Required && cell(c.Field) == "" {
			add(c.Field, "is required (column %s)", c.Title)
		}
	}
	e := &Enterprise{
		Name: cell("name"), CreditCode: cell("credit_code"), LegalRepresentative: cell("legal_representative"),
		Address: cell("address"), Street: cell("street"),
	}
	if s := cell("industry"); s != "" {
		if code, ok := ParseIndustry(s); ok {
			e.Industry = code
		} else {
			add("industry", "%q is not a GB/T 4754 section: choose one from the list, e.g. %q, or write its letter A–T", s, IndustryLabel("C"))
		}
	}
	if s := cell("scale"); s != "" {
		if sc, ok := ParseScale(s); ok {
			e.Scale = sc
		} else {
			add("scale", "%q is not a scale: write 大型, 中型, 小型 or 微型 (or large, medium, small, micro)", s)
		}
	}
	if s := cell("key_level"); s != "" {
		if k, ok := ParseKeyLevel(s); ok {
			e.KeyLevel = k
		} else {
			add("key_level", "%q is not a key level: write 省级重点, 市级重点 or 区级重点 (or provincial, municipal, district)", s)
		}
	}
	e.Tags = strings.FieldsFunc(cells["tags"], func(r rune) bool { return strings.ContainsRune(tagSeparators, r) })

	names, titles := cellLines(cells["contacts[0].name"]), cellLines(cells["contacts[0].title"])
	phones, emails := cellLines(cells["contacts[0].phone"]), cellLines(cells["contacts[0].email"])
	n := max(len(names), len(titles), len(phones), len(emails))
	line := func(lines []string, i int) string {
		if i < len(lines) {
			return lines[i]
		}
		return ""
	}
	for i := range n {
		c := Contact{Name: line(names, i), Title: line(titles, i), Phone: line(phones, i), Email: line(emails, i)}
		if c == (Contact{}) {
			continue
		}
		if strings.ContainsAny(c.Phone, "*＊") {
			add(fieldIndex("contacts", len(e.Contacts), "phone"), "is masked (%s): use an export with full phone numbers, or leave the cell empty", c.Phone)
		}
		e.Contacts = append(e.Contacts, c)
	}

	if err := e.Validate(); err != nil {
		for _, f := range err.(*Error).Fields {
			if !bad[f.Field] {
				add(f.Field, "%s", f.Message)
			}
		}
	}
	return e, v.Err()
}

// EnterpriseSheetRow is e as a spreadsheet row, cell by cell in the order of EnterpriseColumns:
// codes shown by their Chinese labels, tags joined by 、, one line per contact, and every cell
// through SheetText, so that no cell runs as a formula where the file is opened.
func EnterpriseSheetRow(e *Enterprise) []string {
	scale, ok := ScaleLabels[e.Scale]
	if !ok {
		scale = string(e.Scale)
	}
	level, ok := KeyLevelLabels[e.KeyLevel]
	if !ok {
		level = string(e.KeyLevel)
	}
	var names, titles, phones, emails []string
	for _, c := range e.Contacts {
		names, titles = append(names, c.Name), append(titles, c.Title)
		phones, emails = append(phones, c.Phone), append(emails, c.Email)
	}
	lines := func(s []string) string { return strings.TrimRight(strings.Join(s, "\n"), "\n") }
	row := []string{
		e.Name, e.CreditCode, e.LegalRepresentative, IndustryLabel(e.Industry), scale, level,
		e.Address, e.Street, strings.Join(e.Tags, "、"),
		lines(names), lines(titles), lines(phones), lines(emails),
	}
	for i := range row {
		row[i] = SheetText(row[i])
	}
	return row
}

// Merge applies an imported row (in, validated, with the same credit code) to the enterprise on
// file: filled cells replace the stored values while empty ones keep them, the row's tags replace
// the stored tags when there are any, and each of the row's contacts replaces the stored contact
// of the same name (its empty cells keep the stored values) or is added. Status is kept. It
// reports whether anything changed and validates the result.
func (e *Enterprise) Merge(in *Enterprise) (changed bool, err error) {
	before := *e
	before.Tags, before.Contacts = slices.Clone(e.Tags), slices.Clone(e.Contacts)
	keep := func(dst *string, src string) {
		if src != "" {
			*dst = src
		}
	}
	keep(&e.Name, in.Name)
	keep(&e.LegalRepresentative, in.LegalRepresentative)
	keep(&e.Industry, in.Industry)
	keep((*string)(&e.Scale), string(in.Scale))
	keep((*string)(&e.KeyLevel), string(in.KeyLevel))
	keep(&e.Address, in.Address)
	keep(&e.Street, in.Street)
	if len(in.Tags) > 0 {
		e.Tags = slices.Clone(in.Tags)
	}
	e.Contacts = slices.Clone(e.Contacts)
	for _, c := range in.Contacts {
		i := slices.IndexFunc(e.Contacts, func(x Contact) bool { return x.Name == c.Name })
		if i < 0 {
			e.Contacts = append(e.Contacts, c)
			continue
		}
		keep(&e.Contacts[i].Title, c.Title)
		keep(&e.Contacts[i].Phone, c.Phone)
		keep(&e.Contacts[i].Email, c.Email)
	}
	if err := e.Validate(); err != nil {
		return false, err
	}
	changed = e.Name != before.Name || e.LegalRepresentative != before.LegalRepresentative ||
		e.Industry != before.Industry || e.Scale != before.Scale || e.KeyLevel != before.KeyLevel ||
		e.Address != before.Address || e.Street != before.Street ||
		!slices.Equal(e.Tags, before.Tags) || !slices.Equal(e.Contacts, before.Contacts)
	return changed, nil
}
