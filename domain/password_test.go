package domain_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"steward/domain"
)

func TestCheckPassword(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, password, username string
		errHas                   string // "" when the password must be accepted
	}{
		{name: "Good", password: "Gx7#mRq2vL", username: "zhangsan"},
		{name: "ExactlyMinLength", password: "Gx7#mRq2", username: "zhangsan"},
		{name: "ExactlyMaxLength", password: strings.Repeat("Gx7#mRq2", 16), username: "zhangsan"},
		{name: "SpacesCountAsSymbols", password: "green Tea at 9", username: "zhangsan"},

		// Chinese characters are letters without case, so they count as the fourth class
		// ("symbols"), and length counts characters, not bytes.
		{name: "ChinesePassphraseWithDigitsAndSymbols", password: "项目管家Ab#2026xyz", username: "zhangsan"},
		{name: "ChineseCharactersCountAsOneClass", password: "项目管家ab2026", username: "zhangsan"},
		{name: "ChineseAndDigitsOnlyIsTwoClasses", password: "项目管家2026", username: "zhangsan", errHas: "at least 3 of"},
		{name: "ChineseLengthCountsCharactersNotBytes", password: "管家Ab1", username: "zhangsan", errHas: "at least 8 characters"},

		{name: "TooShort", password: "short1A", username: "zhangsan", errHas: "at least 8 characters"},
		{name: "Empty", password: "", username: "zhangsan", errHas: "at least 8 characters"},
		{name: "TooLong", password: strings.Repeat("Gx7#mRq2", 16) + "x", username: "zhangsan", errHas: "at most 128 characters"},
		{name: "OnlyTwoClasses", password: "alllowercase123", username: "zhangsan", errHas: "at least 3 of"},
		{name: "OnlyOneClass", password: "abcdefghijkl", username: "zhangsan", errHas: "at least 3 of"},

		{name: "ContainsUsername", password: "zhangsan-2026A", username: "zhangsan", errHas: "username"},
		{name: "ContainsUsernameInOtherCase", password: "Gx7#ZHANGSAN", username: "ZhangSan", errHas: "username"},
		{name: "ShortUsernameNotChecked", password: "Li#Gx7mRq2", username: "li"},

		{name: "CommonExact", password: "Qwer1234", username: "zhangsan", errHas: "too common"},
		{name: "CommonKeyboardWalk", password: "1qaz@WSX", username: "zhangsan", errHas: "too common"},
		{name: "CommonAdmin", password: "Admin@123", username: "zhangsan", errHas: "too common"},
		{name: "CommonLeetAndSymbol", password: "Passw0rd!", username: "zhangsan", errHas: "too common"},
		{name: "CommonLeetAndYear", password: "P@ssw0rd2026", username: "zhangsan", errHas: "too common"},
		{name: "CommonLeetDollars", password: "Pa$$w0rd", username: "zhangsan", errHas: "too common"},
		{name: "CommonLeetOneForL", password: "L1verpool#9", username: "zhangsan", errHas: "too common"},
		{name: "CommonPinyinWithSuffix", password: "Woaini1314!", username: "zhangsan", errHas: "too common"},
		{name: "CommonPinyinPlace", password: "Zhongguo#2026", username: "zhangsan", errHas: "too common"},
		{name: "CommonBureauName", password: "Steward2026!", username: "zhangsan", errHas: "too common"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := domain.CheckPassword(tt.password, tt.username)
			if tt.errHas == "" {
				if err != nil {
					t.Fatalf("CheckPassword(%q, %q) = %v, want nil", tt.password, tt.username, err)
				}
				return
			}
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.EINVALID {
				t.Fatalf("CheckPassword(%q, %q) = %v, want an %s *domain.Error", tt.password, tt.username, err, domain.EINVALID)
			}
			if len(e.Fields) != 1 || e.Fields[0].Field != "password" || !strings.Contains(e.Fields[0].Message, tt.errHas) {
				t.Fatalf("CheckPassword(%q, %q) fields = %+v, want one on \"password\" mentioning %q", tt.password, tt.username, e.Fields, tt.errHas)
			}
		})
	}
}

// An entry with upper-case letters or stray spaces would never match, because the check looks up
// lower-cased passwords exactly.
func TestCommonPasswordsListIsLowerCaseAndUnique(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("common_passwords.txt")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		switch {
		case line == "":
			t.Errorf("line %d is blank", i+1)
		case line != strings.ToLower(strings.TrimSpace(line)):
			t.Errorf("line %d %q is not trimmed and lower-case", i+1, line)
		case seen[line] != 0:
			t.Errorf("line %d %q repeats line %d", i+1, line, seen[line])
		}
		seen[line] = i + 1
	}
}
