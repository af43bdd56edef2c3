// 监督统计: the district at a glance (a leader: their portfolio; the API scopes it) — overview
// cards, monthly trends, rankings by department and steward, visit coverage, projects by stage
// and light, the overdue tickets by department — for the month in the URL, each statistic with
// its definition beside it.
import { useMemo } from 'react';
import { Button, Card, Col, Empty, Progress, Row, Space, Statistic, Table, Tabs, Typography } from 'antd';
import { DownloadOutlined, TrophyOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { Chart } from '../components/Chart';
import { EnterpriseData } from '../components/EnterpriseData';
import { PageState } from '../components/PageState';
import { useUser } from '../shell/session';
import { useT } from '../i18n';
import {
  periodOf, reportURL, useDepartmentStats, useOverview, useStewardStats, useTrends,
  type DepartmentStats, type StewardStats,
} from './hooks';
import { byRate, days, Help, MonthPicker, pct, useMonth } from './parts';

const stages = ['negotiating', 'signed', 'permitting', 'under_construction', 'completed', 'operating', 'at_capacity', 'suspended', 'cancelled'];

export default function SupervisionPage() {
  const t = useT();
  const user = useUser();
  const navigate = useNavigate();
  const [month, setMonth] = useMonth();
  const period = useMemo(() => periodOf(month), [month]);
  const overview = useOverview(period);
  const o = overview.data;

  return (
    <EnterpriseData>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Space direction="vertical" size={0}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('supervision.title')}{user.role === 'leader' && <Typography.Text type="secondary"> · {t('supervision.portfolio')}</Typography.Text>}
            </Typography.Title>
            <Typography.Text type="secondary">
              {t('supervision.period', { from: period.from, to: lastDay(period.to) })}
            </Typography.Text>
          </Space>
          <Space wrap>
            <MonthPicker month={month} onChange={setMonth} />
            <Button icon={<TrophyOutlined />} onClick={() => navigate(`/supervision/scorecard?month=${month}`)}>{t('supervision.toScorecard')}</Button>
            {user.role === 'dispatcher' && (
              <Button icon={<DownloadOutlined />} href={reportURL(month)} download>{t('supervision.download')}</Button>
            )}
          </Space>
        </Space>
        <PageState q={overview}>
          {o && <Cards o={o} />}
        </PageState>
        <Trends />
        <Rankings period={period} />
        {o && (
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}><Coverage visits={o.visits} /></Col>
            <Col xs={24} lg={16}><Projects byStage={o.projects.by_stage} red={o.projects.red} /></Col>
          </Row>
        )}
        <Overdue period={period} />
      </Space>
    </EnterpriseData>
  );
}

/** lastDay is the day before an exclusive end date. */
function lastDay(to: string): string {
  const d = new Date(`${to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function Cards({ o }: { o: NonNullable<ReturnType<typeof useOverview>['data']> }) {
  const t = useT();
  const tk = o.tickets;
  const cards: { key: string; value: string | number; def: string; danger?: boolean; suffix?: string }[] = [
    { key: 'total', value: tk.total, def: 'total' },
    { key: 'open', value: tk.open, def: 'open' },
    { key: 'red', value: tk.red, def: 'red', danger: tk.red > 0 },
    { key: 'on_time_rate', value: pct(tk.on_time_rate), def: 'on_time_rate' },
    { key: 'avg_days', value: days(tk.avg_resolve_working_days), def: 'avg_days',
      suffix: tk.avg_resolve_working_days == null ? undefined : t('supervision.days.suffix') },
    { key: 'satisfaction_rate', value: pct(tk.satisfaction_rate), def: 'satisfaction_rate' },
    { key: 'first_time_rate', value: pct(tk.first_time_rate), def: 'first_time_rate' },
    { key: 'return_rate', value: pct(tk.return_rate), def: 'return_rate' },
    { key: 'visits', value: o.visits.count, def: 'visits' },
    { key: 'coverage_rate', value: pct(o.visits.coverage_rate), def: 'coverage_rate' },
    { key: 'projects_red', value: o.projects.red, def: 'projects', danger: o.projects.red > 0 },
  ];
  return (
    <Row gutter={[12, 12]}>
      {cards.map((c) => (
        <Col key={c.key} xs={12} sm={8} lg={6} xl={4}>
          <Card size="small" data-testid={`card-${c.key}`}>
            <Statistic title={<Help label={t(`supervision.card.${c.key}`)} def={t(`supervision.def.${c.def}`)} />} value={c.value}
              suffix={c.suffix && <span style={{ fontSize: 14 }}>{c.suffix}</span>} valueStyle={c.danger ? { color: '#cf1322' } : undefined} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function Trends() {
  const t = useT();
  const trends = useTrends(6);
  const option = useMemo(() => {
    const rows = trends.data ?? [];
    const p = (r?: number | null) => (r == null ? null : Math.round(r * 1000) / 10);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll', data: [t('supervision.trends.total'), t('supervision.card.on_time_rate'), t('supervision.card.satisfaction_rate'), t('supervision.card.first_time_rate'), t('supervision.card.coverage_rate')] },
      grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => r.month) },
      yAxis: [{ type: 'value', name: t('supervision.trends.total'), minInterval: 1 }, { type: 'value', name: '%', max: 100, min: 0 }],
      series: [
        { name: t('supervision.trends.total'), type: 'bar', data: rows.map((r) => r.tickets.total), itemStyle: { color: '#8fb4f5' } },
        { name: t('supervision.card.on_time_rate'), type: 'line', yAxisIndex: 1, connectNulls: true, data: rows.map((r) => p(r.tickets.on_time_rate)) },
        { name: t('supervision.card.satisfaction_rate'), type: 'line', yAxisIndex: 1, connectNulls: true, data: rows.map((r) => p(r.tickets.satisfaction_rate)) },
        { name: t('supervision.card.first_time_rate'), type: 'line', yAxisIndex: 1, connectNulls: true, data: rows.map((r) => p(r.tickets.first_time_rate)) },
        { name: t('supervision.card.coverage_rate'), type: 'line', yAxisIndex: 1, connectNulls: true, data: rows.map((r) => p(r.visits.coverage_rate)) },
      ],
    };
  }, [trends.data, t]);
  return (
    <Card size="small" title={t('supervision.trends')}>
      <PageState q={trends}>
        <Chart option={option} label={t('supervision.trends')} />
      </PageState>
    </Card>
  );
}

function Rankings({ period }: { period: { from: string; to: string } }) {
  const t = useT();
  const depts = useDepartmentStats(period);
  const stewards = useStewardStats(period);
  const h = (key: string, def: string) => <Help label={t(`supervision.col.${key}`)} def={t(`supervision.def.${def}`)} />;
  const ticketCols = <T extends { tickets: DepartmentStats['tickets'] }>() => [
    { title: t('supervision.col.total'), key: 'total', sorter: (a: T, b: T) => a.tickets.total - b.tickets.total, render: (r: T) => r.tickets.total },
    { title: h('on_time_rate', 'on_time_rate'), key: 'on_time', sorter: byRate<T>((r) => r.tickets.on_time_rate), render: (r: T) => pct(r.tickets.on_time_rate) },
    { title: h('avg_days', 'avg_days'), key: 'days', sorter: byRate<T>((r) => r.tickets.avg_resolve_working_days), render: (r: T) => days(r.tickets.avg_resolve_working_days) },
    { title: h('satisfaction_rate', 'satisfaction_rate'), key: 'satisfaction', sorter: byRate<T>((r) => r.tickets.satisfaction_rate), render: (r: T) => pct(r.tickets.satisfaction_rate) },
    { title: h('first_time_rate', 'first_time_rate'), key: 'first_time', sorter: byRate<T>((r) => r.tickets.first_time_rate), render: (r: T) => pct(r.tickets.first_time_rate) },
  ];
  const deptCols = [
    { title: t('supervision.col.department'), key: 'name', render: (r: DepartmentStats) => r.department_name, sorter: (a: DepartmentStats, b: DepartmentStats) => a.department_name.localeCompare(b.department_name, 'zh-CN') },
    ...ticketCols<DepartmentStats>(),
    { title: h('returns', 'dept_return_rate'), key: 'returns', sorter: byRate<DepartmentStats>((r) => r.returns.return_rate),
      render: (r: DepartmentStats) => `${r.returns.returned} / ${r.returns.held} (${pct(r.returns.return_rate)})` },
    { title: h('opinion_rate', 'opinion_rate'), key: 'opinions', sorter: byRate<DepartmentStats>((r) => r.opinions.on_time_rate), render: (r: DepartmentStats) => pct(r.opinions.on_time_rate) },
  ];
  const stewardCols = [
    { title: t('supervision.col.steward'), key: 'name', render: (r: StewardStats) => r.steward_name, sorter: (a: StewardStats, b: StewardStats) => a.steward_name.localeCompare(b.steward_name, 'zh-CN') },
    ...ticketCols<StewardStats>(),
    { title: h('returns', 'return_rate'), key: 'returned', sorter: (a: StewardStats, b: StewardStats) => a.tickets.returned - b.tickets.returned, render: (r: StewardStats) => r.tickets.returned },
    { title: h('visits', 'visits'), key: 'visits', sorter: (a: StewardStats, b: StewardStats) => a.visits.count - b.visits.count, render: (r: StewardStats) => r.visits.count },
    { title: h('coverage_rate', 'coverage_rate'), key: 'coverage', sorter: byRate<StewardStats>((r) => r.visits.coverage_rate), render: (r: StewardStats) => pct(r.visits.coverage_rate) },
  ];
  return (
    <Card size="small" title={t('supervision.rankings')}>
      <Tabs items={[
        { key: 'departments', label: t('supervision.rankings.departments'), children: (
          <PageState q={depts}>
            <Table<DepartmentStats> size="small" rowKey="department_id" columns={deptCols} dataSource={depts.data} pagination={false}
              scroll={{ x: 'max-content' }} locale={{ emptyText: <Empty description={t('supervision.empty')} /> }} data-testid="rank-departments" />
          </PageState>
        ) },
        { key: 'stewards', label: t('supervision.rankings.stewards'), children: (
          <PageState q={stewards}>
            <Table<StewardStats> size="small" rowKey="steward_id" columns={stewardCols} dataSource={stewards.data} pagination={false}
              scroll={{ x: 'max-content' }} locale={{ emptyText: <Empty description={t('supervision.empty')} /> }} data-testid="rank-stewards" />
          </PageState>
        ) },
      ]} />
    </Card>
  );
}

function Coverage({ visits }: { visits: { assigned: number; covered: number; coverage_rate?: number | null } }) {
  const t = useT();
  return (
    <Card size="small" title={<Help label={t('supervision.coverage')} def={t('supervision.def.coverage_rate')} />} style={{ height: '100%' }}>
      <Space direction="vertical" align="center" style={{ width: '100%' }}>
        <Progress type="dashboard" percent={Math.round((visits.coverage_rate ?? 0) * 1000) / 10}
          format={() => pct(visits.coverage_rate)} aria-label={t('supervision.card.coverage_rate')} />
        <Typography.Text type="secondary">{t('supervision.coverage.summary', { assigned: visits.assigned, covered: visits.covered })}</Typography.Text>
      </Space>
    </Card>
  );
}

function Projects({ byStage, red }: { byStage: Record<string, number>; red: number }) {
  const t = useT();
  const option = useMemo(() => ({
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: stages.map((s) => t(`projects.stage.${s}`)), axisLabel: { interval: 0, rotate: t.lang === 'en' ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: t('supervision.projects.count'), type: 'bar', data: stages.map((s) => byStage[s] ?? 0), itemStyle: { color: '#1458d6' } }],
  }), [byStage, t]);
  return (
    <Card size="small" title={<Help label={t('supervision.projects')} def={t('supervision.def.projects')} />}
      extra={<Link to="/projects">{t('supervision.projects.red', { n: red })}</Link>}>
      <Chart option={option} height={220} label={t('supervision.projects')} />
    </Card>
  );
}

function Overdue({ period }: { period: { from: string; to: string } }) {
  const t = useT();
  const depts = useDepartmentStats(period);
  const red = (depts.data ?? []).filter((d) => d.tickets.red > 0).sort((a, b) => b.tickets.red - a.tickets.red);
  const option = useMemo(() => ({
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: red.map((d) => d.department_name) },
    series: [{ name: t('supervision.card.red'), type: 'bar', data: red.map((d) => d.tickets.red), itemStyle: { color: '#cf1322' } }],
  }), [red, t]);
  return (
    <Card size="small" title={<Help label={t('supervision.overdue')} def={t('supervision.def.overdue')} />}
      extra={<Link to="/tickets?light=red&sort=due">{t('supervision.overdue.all')}</Link>}>
      <PageState q={depts}>
        {red.length === 0
          ? <Empty description={t('supervision.overdue.none')} />
          : (
            <>
              <Typography.Text type="secondary">{t('supervision.overdue.byDepartment')}</Typography.Text>
              <Chart option={option} height={Math.max(120, red.length * 36 + 24)} label={t('supervision.overdue.byDepartment')} />
            </>
          )}
      </PageState>
    </Card>
  );
}
