package domain

import (
	"errors"
	"strings"
)

// creditCodeCharset is the alphabet of the unified social credit code (统一社会信用代码,
// GB 32100-2015): digits and upper-case letters without I, O, S, V and Z. A character's value is
// its index here.
const creditCodeCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the weights of the first 17 characters in the check-character sum.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeCreditCode trims and upper-cases s and checks it is a well-formed unified social credit
// code: 18 characters of the GB 32100 alphabet, a six-digit administrative division code in
// positions 3–8, and the right check character. The error message is meant for the user.
func NormalizeCreditCode(s string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	if len([]rune(code)) != 18 {
		return "", errors.New("must be 18 characters (统一社会信用代码)")
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(creditCodeCharset, code[i]) < 0 {
			return "", errors.New("may contain only digits and the letters A–Y without I, O, S, V (GB 32100)")
		}
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return "", errors.New("characters 3–8 must be the digits of an administrative division code")
		}
	}
	want, _ := CreditCodeCheckChar(code[:17])
	if code[17] != want {
		return "", errors.New("check character does not match; please re-check the code")
	}
	return code, nil
}

// CreditCodeCheckChar returns the check character (the 18th) for the first 17 characters of a
// unified social credit code, and false when first17 is not 17 characters of the alphabet.
func CreditCodeCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeCharset, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditCodeWeights[i]
	}
	return creditCodeCharset[(31-sum%31)%31], true
}
