import { describe, expect, it } from 'vitest';
import { beijingToday, colorOf, colors, dayStart, ganttOption, ganttRows, ganttSummary } from './gantt';
import type { Plan, PlanNode } from './hooks';

const node = (key: string, extra: Partial<PlanNode>): PlanNode => ({
  id: `id-${key}`, key, name: `节点${key}`, department_id: 'd', department_name: '区发展和改革局', days: 5, after: [],
  planned_start: '2026-09-01', planned_finish: '2026-09-07', forecast_start: '2026-09-01', forecast_finish: '2026-09-07',
  ready_on: null, due_on: null, due_at: null, started_on: null, finished_on: null, status: 'waiting', light: 'none',
  ticket_id: null, note: '', reason: '', actions: [], ...extra,
}) as PlanNode;

const plan = (nodes: PlanNode[], critical: string[] = []) => ({
  id: 'p', project_id: 'pr', project_name: '项目', enterprise_id: 'e', enterprise_name: '企业', template_id: 't', template_name: '模板',
  start: '2026-09-01', status: 'active', light: 'green', baseline_finish: '2026-09-14', forecast_finish: '2026-09-16', late_days: 2,
  critical_path: critical, version: 3, nodes, created_at: '', updated_at: '',
}) as unknown as Plan;

const words = { baseline: 'B', forecast: 'F', today: 'T', critical: 'C', status: (s: string) => s };

describe('the plan Gantt', () => {
  const done = node('a', { status: 'done', ready_on: '2026-09-01', started_on: '2026-09-02', finished_on: '2026-09-09', forecast_finish: '2026-09-09' });
  const running = node('b', { after: ['a'], status: 'in_progress', light: 'red', planned_start: '2026-09-08', planned_finish: '2026-09-14',
    ready_on: '2026-09-09', started_on: null, forecast_start: '2026-09-09', forecast_finish: '2026-09-16' });
  const waiting = node('c', { after: ['b'], planned_start: '2026-09-15', planned_finish: '2026-09-21', forecast_start: '2026-09-17', forecast_finish: '2026-09-23' });
  const p = plan([done, running, waiting], ['a', 'b', 'c']);

  it('draws from the day a node became ready to its finish, else its forecast, against the baseline', () => {
    const rows = ganttRows(p);
    expect(rows.map((r) => r.bar)).toEqual([['2026-09-01', '2026-09-09'], ['2026-09-09', '2026-09-16'], ['2026-09-17', '2026-09-23']]);
    expect(rows.map((r) => r.baseline)).toEqual([['2026-09-01', '2026-09-07'], ['2026-09-08', '2026-09-14'], ['2026-09-15', '2026-09-21']]);
    expect(rows.every((r) => r.critical)).toBe(true);
  });

  it('colours a bar by its state and light', () => {
    expect(colorOf({ status: 'done', light: 'none' })).toBe(colors.done);
    expect(colorOf({ status: 'in_progress', light: 'red' })).toBe(colors.red);
    expect(colorOf({ status: 'blocked', light: 'yellow' })).toBe(colors.yellow);
    expect(colorOf({ status: 'ready', light: 'green' })).toBe(colors.green);
    expect(colorOf({ status: 'waiting', light: 'none' })).toBe(colors.waiting);
    expect(colorOf({ status: 'waived', light: 'none' })).toBe(colors.waived);
  });

  it('puts each day whole on the time axis, today as a line, and outlines the critical path', () => {
    const o = ganttOption(plan([done, running, waiting], ['b']), '2026-09-10', words);
    const [baseline, forecast] = o.series;
    expect(baseline.data[1]).toEqual([1, dayStart('2026-09-08'), dayStart('2026-09-15')]);
    const bars = forecast.data as { value: number[]; itemStyle: { color: string; borderWidth: number } }[];
    expect(bars[1].value).toEqual([1, dayStart('2026-09-09'), dayStart('2026-09-17')]);
    expect(bars.map((b) => b.itemStyle.borderWidth)).toEqual([0, 2, 0]);
    expect(bars[1].itemStyle.color).toBe(colors.red);
    expect(o.yAxis.data).toEqual(['节点a', '★ 节点b', '节点c']);
    expect(forecast.markLine!.data[0].xAxis).toBeGreaterThan(dayStart('2026-09-10'));
    expect(forecast.markLine!.data[0].xAxis).toBeLessThan(dayStart('2026-09-11'));
    expect(o.xAxis.min).toBeLessThan(dayStart('2026-09-01'));
    expect(o.xAxis.max).toBeGreaterThan(dayStart('2026-09-23'));
  });

  it('moves when a node finishes: the summary follows the plan', () => {
    const before = ganttSummary(p);
    const after = ganttSummary(plan([done, { ...running, status: 'done', light: 'none', finished_on: '2026-09-11', forecast_finish: '2026-09-11' }, waiting]));
    expect(before.nodes[1]).toMatchObject({ status: 'in_progress', bar: ['2026-09-09', '2026-09-16'], color: colors.red });
    expect(after.nodes[1]).toMatchObject({ status: 'done', bar: ['2026-09-09', '2026-09-11'], color: colors.done });
  });

  it('reckons today in Beijing', () => {
    expect(beijingToday(Date.parse('2026-09-30T17:00:00Z'))).toBe('2026-10-01');
    expect(beijingToday(Date.parse('2026-09-30T15:00:00Z'))).toBe('2026-09-30');
  });
});
