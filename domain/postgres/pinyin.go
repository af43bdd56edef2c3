package postgres

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	// Letters and digits in a name (ABC科技) are kept as they are.
	a.Fallback = func(r rune, _ pinyin.Args) []string {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return []string{strings.ToLower(string(r))}
		}
		return nil
	}
	return a
}()

// namePinyin returns a name's full pinyin without tones or spaces (中国电力 → zhongguodianli) and
// its initials (zgdl), which search and pinyin ordering use.
func namePinyin(name string) (full, initials string) {
	var f, i strings.Builder
	for _, r := range name {
		syllables := pinyin.SinglePinyin(r, pinyinArgs)
		if len(syllables) == 0 || syllables[0] == "" {
			continue
		}
		s := syllables[0]
		f.WriteString(s)
		i.WriteByte(s[0])
	}
	return f.String(), i.String()
}

// isPinyinQuery reports whether a search text could be pinyin: only ASCII letters.
func isPinyinQuery(q string) bool {
	if q == "" {
		return false
	}
	for _, r := range q {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
