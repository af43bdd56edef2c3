package domain

import "testing"

func TestSheetText(t *testing.T) {
	for in, want := range map[string]string{
		"":            "",
		"苏州示例有限公司":    "苏州示例有限公司",
		"=1+1":        "'=1+1",
		"+86 138":     "'+86 138",
		"-2":          "'-2",
		"@SUM(A1)":    "'@SUM(A1)",
		"\t=cmd":      "'\t=cmd",
		"\r=cmd":      "'\r=cmd",
		"'=already":   "''=already",
		"'quoted":     "''quoted",
		"a=b":         "a=b",
		"王经理\n=HYPER": "王经理\n=HYPER",
	} {
		if got := SheetText(in); got != want {
			t.Errorf("SheetText(%q) = %q, want %q", in, got, want)
		}
		if back := FromSheetText(SheetText(in)); back != in {
			t.Errorf("FromSheetText(SheetText(%q)) = %q", in, back)
		}
	}
	// A quote a person typed before ordinary text stays.
	if got := FromSheetText("'0512"); got != "'0512" {
		t.Errorf("FromSheetText('0512) = %q", got)
	}
}
