package domain

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Password policy of the security baseline (等保 2.0 level 3 practice, OWASP ASVS L2; DESIGN.md).
// Lengths count characters (runes), not bytes, so a Chinese character counts as one. The upper
// bound only stops absurd inputs; hashes are argon2id, which has no 72-byte limit like bcrypt.
const (
	passwordMinLen     = 8
	passwordMaxLen     = 128
	passwordMinClasses = 3
	// passwordMinUsername is the shortest username checked for: a one- or two-character name
	// would turn up inside many good passwords by chance.
	passwordMinUsername = 3
	// passwordMinStem is the shortest stem left after stripping trailing digits and symbols that
	// is looked up in the common list; shorter stems ("abc", "admin") would reject too much.
	passwordMinStem = 6
)

// CheckPassword reports whether password may be set for the user called username. It returns nil
// or an EINVALID *Error with one field error on "password" naming the first rule broken:
//
//   - 8 to 128 characters;
//   - at least 3 of 4 character classes: lower-case letters, upper-case letters, digits and
//     everything else (symbols, spaces, and letters without case such as Chinese characters);
//   - not containing the username, ignoring case, when the username has 3 or more characters;
//   - not a common password or a trivial variant of one (see isCommonPassword).
//
// The password is checked as given: it is not trimmed or normalized, so what is checked is
// exactly what will be hashed.
func CheckPassword(password, username string) error {
	var v Validation
	n := utf8.RuneCountInString(password)
	lower := strings.ToLower(password)
	switch {
	case n < passwordMinLen:
		v.Add("password", "must be at least %d characters long", passwordMinLen)
	case n > passwordMaxLen:
		v.Add("password", "must be at most %d characters long", passwordMaxLen)
	case passwordClasses(password) < passwordMinClasses:
		v.Add("password", "must contain at least %d of these: lower-case letters, upper-case letters, digits, symbols", passwordMinClasses)
	case utf8.RuneCountInString(username) >= passwordMinUsername && strings.Contains(lower, strings.ToLower(username)):
		v.Add("password", "must not contain the username")
	case isCommonPassword(lower):
		v.Add("password", "is too common and easy to guess; choose a less predictable password")
	}
	return v.Err()
}

// passwordClasses counts the character classes in password. Letters without case (Chinese
// characters among them) fall in the fourth class with the symbols: like symbols, they widen the
// alphabet an attacker must try, and a user typing a Chinese passphrase should not be told it has
// no "symbols".
func passwordClasses(password string) int {
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	n := 0
	for _, ok := range []bool{lower, upper, digit, other} {
		if ok {
			n++
		}
	}
	return n
}

// commonPasswordsText is the bundled list: one lower-case password a line. It mixes the global
// top lists, the passwords most often seen in Chinese leaks (pinyin, 5201314 and the like) and
// names users of this bureau are likely to reach for. Entries shorter than passwordMinStem cannot
// match under the current thresholds (a password has at least 8 characters and a stem at least
// 6); they are kept so that changing a threshold needs no change to the list.
//
//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is the bundled list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, strings.Count(commonPasswordsText, "\n")+1)
	for line := range strings.Lines(commonPasswordsText) {
		if w := strings.TrimSpace(line); w != "" {
			set[w] = struct{}{}
		}
	}
	return set
})

// leetReplacers undo the usual look-alike substitutions. "1" stands for either "i" or "l", so
// there are two; all other substitutions are the same in both.
var leetReplacers = [2]*strings.Replacer{
	strings.NewReplacer("@", "a", "0", "o", "1", "i", "3", "e", "$", "s", "5", "s", "7", "t", "!", "i"),
	strings.NewReplacer("@", "a", "0", "o", "1", "l", "3", "e", "$", "s", "5", "s", "7", "t", "!", "i"),
}

// isCommonPassword reports whether lower (a lower-cased password) is on the common list or is a
// trivial variant of an entry. Users meet a class rule by capitalizing the first letter, swapping
// letters for look-alike digits and symbols and appending a year or "!" ("P@ssw0rd2026",
// "Woaini1314!"), and attackers' guessing rules do exactly the same, so the check undoes those
// moves and looks up each result:
//
//   - the password itself (case was already folded by the caller);
//   - its stem: trailing digits and symbols stripped, when at least 6 characters remain;
//   - both of those with look-alikes replaced by letters.
//
// Stripping comes before replacing so that "Passw0rd!" becomes "passw0rd" and then "password"
// rather than "passwordi". A handful of exact lookups keeps the check cheap and predictable; it
// deliberately does not try every combination of substitutions.
func isCommonPassword(lower string) bool {
	set := commonPasswords()
	candidates := []string{lower}
	stem := strings.TrimRightFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if stem != lower && utf8.RuneCountInString(stem) >= passwordMinStem {
		candidates = append(candidates, stem)
	}
	for _, c := range candidates {
		if _, ok := set[c]; ok {
			return true
		}
		for _, r := range leetReplacers {
			if _, ok := set[r.Replace(c)]; ok {
				return true
			}
		}
	}
	return false
}
