// The plan's Gantt chart as an ECharts option (drawn by src/components/Chart.tsx): one row per
// node in template order; behind, a thin grey bar for the baseline (planned start → finish);
// in front, the forecast or actual bar (ready → finished, or forecast finish) coloured by the
// node's light or state; the critical path outlined; a dashed line for today. Pure, so it is
// tested without a browser.
import type { Plan, PlanNode } from './hooks';

const DAY = 86_400_000;
/** dayStart is the instant a Beijing date begins; a bar covers its last day whole. */
export const dayStart = (d: string) => Date.parse(`${d}T00:00:00+08:00`);
const dayEnd = (d: string) => dayStart(d) + DAY;

/** beijingToday is today's date in Beijing (YYYY-MM-DD), where the plan's dates are reckoned. */
export function beijingToday(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

export const colors = {
  baseline: '#bfbfbf',
  red: '#c4161c',
  yellow: '#d48806',
  green: '#389e0d',
  done: '#1458d6',
  waiting: '#8fb4f5',
  waived: '#e8e8e8',
  critical: '#1f1f1f',
  today: '#c4161c',
};

export type GanttRow = {
  key: string;
  name: string;
  department: string;
  status: PlanNode['status'];
  light: PlanNode['light'];
  critical: boolean;
  /** baseline and bar are [from, to] as Beijing dates, inclusive. */
  baseline: [string, string];
  bar: [string, string];
};

/**
 * barOf is where a node stands on the chart: from the day it became ready (its clock started:
 * the department answers from then, not from when it chose to start) to the day it finished, else
 * its forecast finish.
 */
function barOf(n: PlanNode): [string, string] {
  const from = n.ready_on ?? n.forecast_start ?? n.planned_start;
  const to = n.finished_on ?? n.forecast_finish ?? n.planned_finish;
  return from <= to ? [from, to] : [to, to];
}

export function ganttRows(plan: Plan): GanttRow[] {
  const critical = new Set(plan.critical_path ?? []);
  return (plan.nodes ?? []).map((n) => ({
    key: n.key, name: n.name, department: n.department_name, status: n.status, light: n.light, critical: critical.has(n.key),
    baseline: [n.planned_start, n.planned_finish], bar: barOf(n),
  }));
}

/** colorOf is the bar's colour: done blue, waived pale, a running clock its light, waiting light blue. */
export function colorOf(r: Pick<GanttRow, 'status' | 'light'>): string {
  if (r.status === 'done') return colors.done;
  if (r.status === 'waived') return colors.waived;
  if (r.status === 'waiting') return colors.waiting;
  return colors[r.light as 'red' | 'yellow' | 'green'] ?? colors.waiting;
}

type Words = { baseline: string; forecast: string; today: string; critical: string; status: (s: PlanNode['status']) => string };

type RenderApi = { value: (i: number) => number; coord: (v: number[]) => number[]; size: (v: number[]) => number[]; style: () => object };

/** band draws a bar in the part [top, top+height] (fractions) of its row's band. */
function band(top: number, height: number) {
  return (_: unknown, api: RenderApi) => {
    const row = api.value(0);
    const from = api.coord([api.value(1), row]);
    const to = api.coord([api.value(2), row]);
    const h = api.size([0, 1])[1];
    return { type: 'rect', shape: { x: from[0], y: from[1] - h / 2 + h * top, width: Math.max(to[0] - from[0], 3), height: h * height }, style: api.style() };
  };
}

/** ganttOption is the chart of plan as of today (YYYY-MM-DD, Beijing). */
export function ganttOption(plan: Plan, today: string, w: Words, narrow = false) {
  const rows = ganttRows(plan);
  const all = rows.flatMap((r) => [...r.baseline, ...r.bar]).concat(today);
  const min = dayStart(all.reduce((a, b) => (a < b ? a : b))) - 2 * DAY;
  const max = dayEnd(all.reduce((a, b) => (a > b ? a : b))) + 2 * DAY;
  const label = (r: GanttRow) => (r.critical ? `★ ${r.name}` : r.name);
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number; seriesIndex: number }) => {
        const r = rows[p.dataIndex];
        const range = p.seriesIndex === 0 ? r.baseline : r.bar;
        return `${r.name}${r.critical ? `（${w.critical}）` : ''}<br/>${r.department} · ${w.status(r.status)}<br/>` +
          `${p.seriesIndex === 0 ? w.baseline : w.forecast}：${range[0]} → ${range[1]}`;
      },
    },
    legend: { data: [w.baseline, w.forecast], top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'time', min, max, splitLine: { show: true, lineStyle: { color: '#f0f0f0' } },
      axisLabel: { hideOverlap: true, formatter: '{MM}-{dd}' } },
    yAxis: { type: 'category', inverse: true, data: rows.map(label),
      axisLabel: { width: narrow ? 84 : 180, overflow: 'truncate', fontWeight: 'normal' }, axisTick: { show: false } },
    series: [
      {
        name: w.baseline, type: 'custom', renderItem: band(0.14, 0.22), encode: { x: [1, 2], y: 0 },
        itemStyle: { color: colors.baseline },
        data: rows.map((r, i) => [i, dayStart(r.baseline[0]), dayEnd(r.baseline[1])]),
      },
      {
        name: w.forecast, type: 'custom', renderItem: band(0.4, 0.46), encode: { x: [1, 2], y: 0 },
        itemStyle: { color: colors.waiting },
        data: rows.map((r, i) => ({
          value: [i, dayStart(r.bar[0]), dayEnd(r.bar[1])],
          itemStyle: { color: colorOf(r), borderColor: r.critical ? colors.critical : colorOf(r), borderWidth: r.critical ? 2 : 0 },
        })),
        markLine: {
          silent: true, symbol: 'none', animation: false,
          lineStyle: { color: colors.today, type: 'dashed', width: 1.5 },
          label: { formatter: w.today, position: 'start', color: colors.today },
          data: [{ xAxis: dayStart(today) + DAY / 2 }],
        },
      },
    ],
  };
}

/** ganttSummary is what the chart shows, in a few words for a data attribute (tests, assistive tools). */
export function ganttSummary(plan: Plan) {
  return { forecast_finish: plan.forecast_finish, baseline_finish: plan.baseline_finish,
    nodes: ganttRows(plan).map((r) => ({ key: r.key, status: r.status, light: r.light, critical: r.critical, bar: r.bar, color: colorOf(r) })) };
}
