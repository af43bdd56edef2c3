package domain_test

import (
	"strings"
	"testing"

	"steward/domain"
)

func TestNormalizeCreditCode(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, in, want, errHas string
	}{
		// The published code of State Grid Corporation of China.
		{name: "StateGrid", in: "9111000071093123XX", want: "9111000071093123XX"},
		{name: "Valid", in: "91350100M000100Y43", want: "91350100M000100Y43"},
		{name: "LowerCaseAndSpacesNormalized", in: "  91350100m000100y43 ", want: "91350100M000100Y43"},
		{name: "CheckCharacterZero", in: "911100001000000000", errHas: "check character"},
		{name: "TooShort", in: "91350100M000100Y4", errHas: "18 characters"},
		{name: "TooLong", in: "91350100M000100Y431", errHas: "18 characters"},
		{name: "ForbiddenLetterI", in: "91350100I000100Y43", errHas: "letters"},
		{name: "ForbiddenLetterO", in: "9135010OM000100Y43", errHas: "letters"},
		{name: "DivisionCodeNotDigits", in: "9135A100M000100Y43", errHas: "administrative division"},
		{name: "WrongCheckCharacter", in: "91350100M000100Y44", errHas: "check character"},
		{name: "ChineseCharacters", in: "统一社会信用代码统一社会信用代码统一", errHas: "letters"},
		{name: "Empty", in: "", errHas: "18 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := domain.NormalizeCreditCode(tt.in)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("NormalizeCreditCode(%q) error = %v, want one mentioning %q", tt.in, err, tt.errHas)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeCreditCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCreditCodeCheckCharMakesValidCodes(t *testing.T) {
	t.Parallel()
	for _, first17 := range []string{"91110000100000000", "12100000400000624", "93440300MA5D00000", "Y1320506000000000"} {
		c, ok := domain.CreditCodeCheckChar(first17)
		if !ok {
			t.Fatalf("CreditCodeCheckChar(%q) not ok", first17)
		}
		if _, err := domain.NormalizeCreditCode(first17 + string(c)); err != nil {
			t.Errorf("code built with its own check character %q is rejected: %v", first17+string(c), err)
		}
		// Any other last character must be rejected.
		other := byte('0')
		if c == '0' {
			other = '1'
		}
		if _, err := domain.NormalizeCreditCode(first17 + string(other)); err == nil {
			t.Errorf("code %q with a wrong check character accepted", first17+string(other))
		}
	}
}

func FuzzNormalizeCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "911100001000000000", "", "统一社会信用代码", "91350100m000100y43"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := domain.NormalizeCreditCode(s)
		if err != nil {
			return
		}
		// Whatever is accepted is 18 characters of the alphabet, is its own normal form, and
		// changing its check character makes it invalid.
		if len(code) != 18 {
			t.Fatalf("accepted %q of length %d", code, len(code))
		}
		again, err := domain.NormalizeCreditCode(code)
		if err != nil || again != code {
			t.Fatalf("normal form %q not stable: %q, %v", code, again, err)
		}
		want, ok := domain.CreditCodeCheckChar(code[:17])
		if !ok || want != code[17] {
			t.Fatalf("accepted %q whose check character should be %q", code, want)
		}
		for _, c := range []byte("0123456789ABCDEFGHJKLMNPQRTUWXY") {
			if c != code[17] {
				if _, err := domain.NormalizeCreditCode(code[:17] + string(c)); err == nil {
					t.Fatalf("accepted %q with a changed check character", code[:17]+string(c))
				}
			}
		}
	})
}
