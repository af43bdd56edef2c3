import { beforeAll, describe, expect, it } from 'vitest';
import { ensureLang, makeT, type TFunction } from '../i18n';
import '../i18n/zh';
import { calendarOf, clockState, clockWords, noCalendar, workingDaysAfter } from './clock';

const zh = makeT('zh-CN');
let en: TFunction;
beforeAll(async () => {
  await ensureLang('en');
  en = makeT('en');
});
// Beijing 09:00 on a day is 01:00 UTC.
const at = (date: string, hh = '01:00') => Date.parse(`${date}T${hh}:00Z`);
// A National Day week: 10-01…10-07 off (Thu–Wed), Saturday 10-10 a make-up workday.
const national = calendarOf([{ holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-10-10'] }]);

describe('the clocks in words', () => {
  it('counts working days left, skipping the weekend', () => {
    // Friday 12-04 → due Tuesday 12-08 18:00 Beijing: Mon and Tue are left.
    expect(clockWords(zh, '2026-12-08T10:00:00Z', at('2026-12-04'), noCalendar)).toBe('剩余 2 个工作日');
    expect(clockWords(en, '2026-12-08T10:00:00Z', at('2026-12-04'), noCalendar)).toBe('2 working days left');
  });
  it('says due today when the due time is later today', () => {
    expect(clockWords(zh, '2026-12-04T09:00:00Z', at('2026-12-04'), noCalendar)).toBe('今日到期');
  });
  it('counts working days overdue, and an hour overdue is one day', () => {
    // Due Tue 12-01, now Fri 12-04: Wed, Thu, Fri.
    expect(clockWords(zh, '2026-12-01T10:00:00Z', at('2026-12-04'), noCalendar)).toBe('已超期 3 个工作日');
    expect(clockWords(zh, '2026-12-04T00:30:00Z', at('2026-12-04'), noCalendar)).toBe('已超期 1 个工作日');
    expect(clockWords(en, '2026-12-01T10:00:00Z', at('2026-12-04'), noCalendar)).toBe('3 working days overdue');
  });
  it('follows the statutory calendar: holidays do not count, make-up workdays do', () => {
    expect(workingDaysAfter('2026-09-30', '2026-10-09', noCalendar)).toBe(7);
    expect(workingDaysAfter('2026-09-30', '2026-10-09', national)).toBe(2); // only Thu 10-08 and Fri 10-09 work
    expect(workingDaysAfter('2026-10-09', '2026-10-12', national)).toBe(2); // Sat 10-10 works, Mon 10-12
    expect(clockState('2026-10-09T10:00:00Z', at('2026-09-30'), national)).toEqual({ state: 'left', days: 2 });
  });
});

describe('workingDaysAfter', () => {
  // The count by arithmetic agrees with a day-by-day count over the calendar, ranges of every length.
  const slow = (from: string, to: string, cal: typeof national) => {
    let n = 0;
    for (let d = Date.parse(`${from}T00:00:00Z`) + 86_400_000, end = Date.parse(`${to}T00:00:00Z`); d <= end; d += 86_400_000) {
      const date = new Date(d).toISOString().slice(0, 10);
      if (cal.workdays.has(date) || (!cal.holidays.has(date) && ![0, 6].includes(new Date(d).getUTCDay()))) n++;
    }
    return n;
  };
  // A calendar that also makes a day both off and worked (the workday wins) and a weekend day off.
  const odd = calendarOf([{ holidays: ['2026-10-01', '2026-10-03', '2026-10-10', '2027-01-01'], workdays: ['2026-10-10', '2026-10-11', '2026-12-31'] }]);
  it('agrees with counting day by day', () => {
    const base = Date.parse('2026-09-01T00:00:00Z');
    const date = (i: number) => new Date(base + i * 86_400_000).toISOString().slice(0, 10);
    for (const cal of [noCalendar, national, odd]) {
      for (let i = 0; i < 60; i++) {
        for (const len of [0, 1, 2, 5, 6, 7, 8, 13, 14, 30, 45, 100, 200, 400]) {
          expect(workingDaysAfter(date(i), date(i + len), cal)).toBe(slow(date(i), date(i + len), cal));
        }
        expect(workingDaysAfter(date(i + 3), date(i), cal)).toBe(0);
      }
    }
  });
});
