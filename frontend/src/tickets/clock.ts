// The clocks of a ticket in words: "剩余 2 个工作日", "今日到期", "已超期 3 个工作日". The server sets
// the due times in working days (domain/calendar); here we count the working days between now and
// a due time with the same calendar (GET /calendar/{year}: statutory days off, make-up workdays),
// in Beijing time, where the bureau works.
import type { TFunction } from '../i18n';

export type Calendar = { holidays: Set<string>; workdays: Set<string> };
export const noCalendar: Calendar = { holidays: new Set(), workdays: new Set() };

const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000;

/** beijingDate is the date (YYYY-MM-DD) in Beijing at instant `ms`. */
export function beijingDate(ms: number): string {
  return new Date(ms + BEIJING).toISOString().slice(0, 10);
}

/** isWorkingDay: a make-up workday works, a statutory day off or a weekend does not. */
export function isWorkingDay(date: string, cal: Calendar): boolean {
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const weekday = (day: number) => { const wd = (((day + 4) % 7) + 7) % 7; return wd !== 0 && wd !== 6; }; // day 0 was a Thursday

/**
 * workingDaysAfter counts the working days d with from < d ≤ to (dates as YYYY-MM-DD): the weekdays
 * by arithmetic, then the calendar's days off and make-up workdays in the range. A home lists a
 * hundred tickets, some a year overdue; a day-by-day count made their rendering take seconds.
 */
export function workingDaysAfter(from: string, to: string, cal: Calendar): number {
  const a = dayNumber(from), b = dayNumber(to);
  if (!(b > a)) return 0;
  const weeks = Math.floor((b - a) / 7);
  let n = weeks * 5;
  for (let d = a + weeks * 7 + 1; d <= b; d++) if (weekday(d)) n++;
  for (const h of cal.holidays) {
    const d = dayNumber(h);
    if (d > a && d <= b && weekday(d) && !cal.workdays.has(h)) n--;
  }
  for (const w of cal.workdays) {
    const d = dayNumber(w);
    if (d > a && d <= b && !weekday(d)) n++;
  }
  return n;
}

export type ClockState = { state: 'left'; days: number } | { state: 'today' } | { state: 'overdue'; days: number };

/** clockState is where a running clock stands at `now`. */
export function clockState(due: string, now: number, cal: Calendar): ClockState {
  const dueMs = Date.parse(due);
  const today = beijingDate(now), dueDay = beijingDate(dueMs);
  if (dueMs > now) {
    if (dueDay === today) return { state: 'today' };
    return { state: 'left', days: Math.max(1, workingDaysAfter(today, dueDay, cal)) };
  }
  return { state: 'overdue', days: Math.max(1, workingDaysAfter(dueDay, today, cal)) };
}

/** clockWords says a clock's state in the user's language. */
export function clockWords(t: TFunction, due: string, now: number, cal: Calendar): string {
  const s = clockState(due, now, cal);
  if (s.state === 'today') return t('tickets.clock.today');
  return t(s.state === 'left' ? 'tickets.clock.left' : 'tickets.clock.overdue', { n: s.days });
}

/** calendarOf turns the server's year answers into one Calendar. */
export function calendarOf(years: { holidays?: string[] | null; workdays?: string[] | null }[]): Calendar {
  return {
    holidays: new Set(years.flatMap((y) => y.holidays ?? [])),
    workdays: new Set(years.flatMap((y) => y.workdays ?? [])),
  };
}
