// Pieces the supervision pages share: the month in the URL, a statistic's definition beside it,
// rates and days as words.
import type { ReactNode } from 'react';
import { DatePicker, Space, Tooltip } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useUrlFilters } from '../lib/urlFilters';
import { useT } from '../i18n';
import { currentMonth, isMonth } from './hooks';

/** useMonth is the page's month (?month=YYYY-MM, default this month) and its setter. */
export function useMonth(): [string, (m: string) => void] {
  const [f, set] = useUrlFilters(['month'] as const);
  const month = isMonth(f.month) ? f.month : currentMonth();
  return [month, (m) => set({ month: m === currentMonth() ? null : m })];
}

export function MonthPicker({ month, onChange }: { month: string; onChange: (m: string) => void }) {
  const t = useT();
  return (
    <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} aria-label={t('supervision.month')}
      disabledDate={(d) => d.isAfter(dayjs(), 'month')} onChange={(d) => d && onChange(d.format('YYYY-MM'))} />
  );
}

/** Help is a label with its definition in a tooltip behind a help icon (keyboard-reachable). */
export function Help({ label, def }: { label: ReactNode; def: string }) {
  return (
    <Space size={4}>
      {label}
      <Tooltip title={def}>
        <QuestionCircleOutlined tabIndex={0} aria-label={def} style={{ color: 'rgba(0,0,0,0.45)', cursor: 'help' }} />
      </Tooltip>
    </Space>
  );
}

/** pct is a rate as a percentage with one decimal, or a dash without one. */
export function pct(r?: number | null): string {
  return r == null ? '—' : `${(r * 100).toFixed(1)}%`;
}

/** days is a number of working days with one decimal, or a dash. */
export function days(d?: number | null): string {
  return d == null ? '—' : d.toFixed(1);
}

/** byRate sorts rows by a rate, rows without one last. */
export function byRate<T>(get: (r: T) => number | null | undefined) {
  return (a: T, b: T) => (get(a) ?? -1) - (get(b) ?? -1);
}
