// 部门考核得分: the month's department scorecard (the month in the URL) with its 红榜 and 黑榜,
// the weights in force and how the score is made, and the monthly report to download.
import { useMemo } from 'react';
import { Alert, Button, Card, Col, Empty, Row, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Chart } from '../components/Chart';
import { EnterpriseData } from '../components/EnterpriseData';
import { PageState } from '../components/PageState';
import { useUser } from '../shell/session';
import { useT } from '../i18n';
import { reportURL, useScorecard, type ScorecardRow } from './hooks';
import { byRate, Help, MonthPicker, pct, useMonth } from './parts';

export function ListTag({ list }: { list?: string | null }) {
  const t = useT();
  if (list === 'red') return <Tag color="red">{t('supervision.scorecard.red')}</Tag>;
  if (list === 'black') return <Tag color="#262626">{t('supervision.scorecard.black')}</Tag>;
  return null;
}

export default function ScorecardPage() {
  const t = useT();
  const user = useUser();
  const [month, setMonth] = useMonth();
  const card = useScorecard(month);
  const c = card.data;
  const rows = c?.departments ?? [];
  const red = rows.filter((r) => r.list === 'red');
  const black = rows.filter((r) => r.list === 'black');

  const option = useMemo(() => {
    const scored = rows.filter((r) => r.score != null);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: { type: 'category', inverse: true, data: scored.map((r) => r.name) },
      series: [{
        name: t('supervision.scorecard.col.score'), type: 'bar', label: { show: true, position: 'right' },
        data: scored.map((r) => ({ value: r.score, itemStyle: { color: r.list === 'red' ? '#cf1322' : r.list === 'black' ? '#262626' : '#1458d6' } })),
      }],
    };
  }, [rows, t]);

  const h = (label: string, def: string) => <Help label={label} def={t(def)} />;
  const columns = [
    { title: t('supervision.scorecard.col.rank'), key: 'rank', width: 72, render: (r: ScorecardRow) => r.rank ?? '—',
      sorter: (a: ScorecardRow, b: ScorecardRow) => (a.rank ?? 9999) - (b.rank ?? 9999), defaultSortOrder: 'ascend' as const },
    { title: t('supervision.col.department'), key: 'name', render: (r: ScorecardRow) => r.name },
    { title: h(t('supervision.scorecard.col.score'), 'supervision.scorecard.definition'), key: 'score',
      sorter: byRate<ScorecardRow>((r) => r.score), render: (r: ScorecardRow) => <Typography.Text strong>{r.score == null ? '—' : r.score.toFixed(1)}</Typography.Text> },
    { title: h(t('supervision.col.on_time_rate'), 'supervision.def.on_time_rate'), key: 'on_time', sorter: byRate<ScorecardRow>((r) => r.on_time_rate), render: (r: ScorecardRow) => pct(r.on_time_rate) },
    { title: h(t('supervision.col.satisfaction_rate'), 'supervision.def.satisfaction_rate'), key: 'satisfaction', sorter: byRate<ScorecardRow>((r) => r.satisfaction_rate), render: (r: ScorecardRow) => pct(r.satisfaction_rate) },
    { title: h(t('supervision.scorecard.col.returns'), 'supervision.def.dept_return_rate'), key: 'returns', sorter: byRate<ScorecardRow>((r) => r.return_rate),
      render: (r: ScorecardRow) => `${r.returns} / ${r.held} (${pct(r.return_rate)})` },
    { title: h(t('supervision.scorecard.col.node_on_time_rate'), 'supervision.def.node_on_time_rate'), key: 'nodes', sorter: byRate<ScorecardRow>((r) => r.node_on_time_rate), render: (r: ScorecardRow) => pct(r.node_on_time_rate) },
    { title: t('supervision.scorecard.col.list'), key: 'list', render: (r: ScorecardRow) => <ListTag list={r.list} /> },
  ];

  const names = (list: ScorecardRow[]) => list.length === 0
    ? <Typography.Text type="secondary">{t('supervision.scorecard.listNone')}</Typography.Text>
    : <Space wrap>{list.map((r) => <span key={r.department_id}>{r.name}{r.score != null && <Typography.Text type="secondary">（{r.score.toFixed(1)}）</Typography.Text>}</span>)}</Space>;

  return (
    <EnterpriseData>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            <Help label={t('supervision.scorecard.title')} def={t('supervision.scorecard.definition')} />
          </Typography.Title>
          <Space wrap>
            <MonthPicker month={month} onChange={setMonth} />
            {user.role === 'dispatcher' && (
              <Button icon={<DownloadOutlined />} href={reportURL(month)} download>{t('supervision.download')}</Button>
            )}
          </Space>
        </Space>
        <PageState q={card}>
          {c && (
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              <Alert type="info" showIcon message={t('supervision.scorecard.weights', { ...c.weights, red: c.red, black: c.black })}
                description={t('supervision.scorecard.definition')} />
              <Row gutter={[16, 16]}>
                <Col xs={24} md={12}>
                  <Card size="small" data-testid="red-list" title={<Space><ListTag list="red" /><Typography.Text type="secondary">{t('supervision.scorecard.redHint', { n: c.red })}</Typography.Text></Space>}>{names(red)}</Card>
                </Col>
                <Col xs={24} md={12}>
                  <Card size="small" data-testid="black-list" title={<Space><ListTag list="black" /><Typography.Text type="secondary">{t('supervision.scorecard.blackHint', { n: c.black })}</Typography.Text></Space>}>{names(black)}</Card>
                </Col>
              </Row>
              {rows.length === 0 ? <Card><Empty description={t('supervision.scorecard.empty')} /></Card> : (
                <>
                  <Card size="small" title={t('supervision.scorecard.chart')}>
                    <Chart option={option} height={Math.max(160, rows.length * 32 + 24)} label={t('supervision.scorecard.chart')} />
                  </Card>
                  <Table<ScorecardRow> size="small" rowKey="department_id" columns={columns} dataSource={rows} pagination={false}
                    scroll={{ x: 'max-content' }} data-testid="scorecard" />
                </>
              )}
            </Space>
          )}
        </PageState>
      </Space>
    </EnterpriseData>
  );
}
