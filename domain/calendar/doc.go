// Package calendar is the working-day calendar of mainland China that ticket clocks run on.
//
// The rule is the ordinary one: Monday to Friday are working days, Saturday and Sunday are not,
// except that a statutory holiday (法定节假日) is a day off even on a weekday, and a make-up
// working day (调休上班, the weekend day the State Council moves work to when it bridges a holiday)
// is a working day even on a weekend.
//
// The holidays and make-up days of each year come from the data of github.com/6tail/lunar-go,
// which follows the State Council's yearly notice. An administrator can replace the arrangement of
// a whole year with an override (Year) — to correct the data, or to enter next year's arrangement
// before the library has it. For a year that neither the library nor an override covers
// (Calendar.Covers reports false), only weekends are days off.
//
// Dates are civil dates reckoned in Asia/Shanghai (Location): an instant belongs to the day it
// falls on in Beijing time, whatever zone it was written in. A clock of N working days started on
// day D ends at 18:00 Beijing time on the N-th working day after D (Calendar.Deadline); the start
// day itself is never counted, the government convention of 起算日不计入.
//
// The package is pure: no clock, no I/O. A Calendar never changes once built; installing overrides
// makes a new one, so a program shares the current Calendar through an atomic.Pointer and swaps it
// whole when an administrator edits a year.
package calendar
