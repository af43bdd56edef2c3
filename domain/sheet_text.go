package domain

import "strings"

// formulaStarts are the first characters that make Excel, WPS or LibreOffice read a cell as a
// formula (or, for tab and carriage return, hide one behind them): OWASP's CSV injection list.
const formulaStarts = "=+-@\t\r"

// SheetText is s as a spreadsheet cell that is shown, never run: a value starting with = + - @,
// a tab or a carriage return gets a leading single quote (OWASP's rule for CSV and spreadsheet
// exports), so that an address of =HYPERLINK(…) or a contact of @SUM(…) stays text. A value that
// already starts with a quote gets another, so that FromSheetText gives s back exactly. Every
// cell of user text that Steward writes into a CSV or workbook goes through it.
func SheetText(s string) string {
	if s != "" && (strings.ContainsRune(formulaStarts, rune(s[0])) || s[0] == '\'') {
		return "'" + s
	}
	return s
}

// FromSheetText undoes SheetText on a cell read from an imported file, so that an export
// imported back changes nothing: a quote before a formula character or another quote goes.
func FromSheetText(cell string) string {
	if len(cell) >= 2 && cell[0] == '\'' && (strings.ContainsRune(formulaStarts, rune(cell[1])) || cell[1] == '\'') {
		return cell[1:]
	}
	return cell
}
