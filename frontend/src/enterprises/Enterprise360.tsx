// The enterprise 360 page: profile (phones masked, 显示 reveals them and is audited), 包保 history,
// projects with their stage, planned against completed investment, visits, tickets, one timeline.
import { useMemo, useState } from 'react';
import { Button, Card, Col, Descriptions, Empty, List, Row, Table, Tabs, Tag, Timeline, Typography, message } from 'antd';
import { EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { problemMessage } from '../api/problem';
import { Chart } from '../components/Chart';
import { EnterpriseData } from '../components/EnterpriseData';
import { Light } from '../components/Light';
import { PageState } from '../components/PageState';
import { useT, type TFunction } from '../i18n';
import { formatDate, formatDateTime } from '../lib/format';
import { useUser } from '../shell/session';
import {
  useAssignments, useEnterprise, useEnterpriseProjects, useEnterpriseTickets, useEnterpriseTimeline, useEnterpriseVisits, useReveal,
  type Enterprise, type Project,
} from './hooks';
import { StageSteps } from './StageSteps';

export default function Enterprise360() {
  const { id = '' } = useParams();
  const t = useT();
  const user = useUser();
  const navigate = useNavigate();
  const ent = useEnterprise(id);
  const reveal = useReveal(id);
  const [revealed, setRevealed] = useState<Enterprise>();
  const shown = revealed ?? ent.data;

  async function show() {
    try {
      setRevealed(await reveal.mutateAsync());
    } catch (e) {
      message.error(problemMessage(t, e));
    }
  }

  return (
    <EnterpriseData>
      <PageState q={ent}>
        {shown && (
          <>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 12 }}>
              <Typography.Title level={3} style={{ margin: 0 }}>{shown.name}</Typography.Title>
              <Tag color="blue">{t(`enterprises.key_level.${shown.key_level}`)}</Tag>
              {shown.status === 'archived' && <Tag>{t('enterprises.archived')}</Tag>}
              {user.role === 'steward' && (
                <Button type="primary" icon={<PlusOutlined />} style={{ marginLeft: 'auto' }} onClick={() => navigate(`/visits/new?enterprise_id=${id}`)}>{t('visits.new')}</Button>
              )}
            </div>
            <Tabs
              items={[
                { key: 'profile', label: t('enterprises.tab.profile'), children: <Profile e={shown} revealed={!!revealed} onReveal={show} revealing={reveal.isPending} /> },
                { key: 'projects', label: t('enterprises.tab.projects'), children: <Projects enterpriseId={id} /> },
                { key: 'visits', label: t('enterprises.tab.visits'), children: <Visits enterpriseId={id} /> },
                { key: 'tickets', label: t('enterprises.tab.tickets'), children: <Tickets enterpriseId={id} /> },
                { key: 'timeline', label: t('enterprises.tab.timeline'), children: <EnterpriseTimeline enterpriseId={id} /> },
              ]}
            />
          </>
        )}
      </PageState>
    </EnterpriseData>
  );
}

function Profile({ e, revealed, onReveal, revealing }: { e: Enterprise; revealed: boolean; onReveal: () => void; revealing: boolean }) {
  const t = useT();
  const assignments = useAssignments('enterprise', e.id);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card size="small" title={t('enterprises.profile')}>
          <Descriptions column={{ xs: 1, sm: 2 }} size="small" items={[
            { key: 'c', label: t('enterprises.credit_code'), children: e.credit_code },
            { key: 'l', label: t('enterprises.legal'), children: e.legal_representative },
            { key: 'i', label: t('enterprises.industry'), children: e.industry },
            { key: 's', label: t('enterprises.scale'), children: t(`enterprises.scale.${e.scale}`) },
            { key: 'st', label: t('enterprises.street'), children: e.street },
            { key: 'a', label: t('enterprises.address'), children: e.address },
            { key: 'tg', label: t('enterprises.tags'), children: (e.tags ?? []).map((x) => <Tag key={x}>{x}</Tag>) },
          ]} />
        </Card>
        <Card size="small" title={t('enterprises.contacts')} style={{ marginTop: 16 }}
          extra={!revealed && (e.contacts ?? []).some((c) => c.phone?.includes('*')) && (
            <Button size="small" icon={<EyeOutlined />} loading={revealing} onClick={onReveal}>{t('enterprises.reveal')}</Button>
          )}>
          {revealed && <Typography.Paragraph type="secondary">{t('enterprises.reveal.audited')}</Typography.Paragraph>}
          <List size="small" dataSource={e.contacts ?? []} locale={{ emptyText: t('common.empty') }}
            renderItem={(c) => <List.Item><span>{c.name} <Typography.Text type="secondary">{c.title}</Typography.Text></span><span data-testid="contact-phone">{c.phone}</span></List.Item>} />
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('enterprises.assignments')}>
          <PageState q={assignments}>
            <Timeline items={(assignments.data ?? []).map((a) => ({
              color: a.active ? 'green' : 'gray',
              content: <>
                <div><Typography.Text strong>{t('enterprises.assignment.people', { leader: a.leader_name, steward: a.steward_name })}</Typography.Text>{a.active && <Tag color="green" style={{ marginLeft: 8 }}>{t('enterprises.assignment.current')}</Tag>}</div>
                <Typography.Text type="secondary">{formatDate(a.from)} – {a.to ? formatDate(a.to) : t('enterprises.assignment.now')}{a.reason ? ` · ${a.reason}` : ''}</Typography.Text>
              </>,
            }))} />
            {(assignments.data ?? []).length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.assignment.none')} />}
          </PageState>
        </Card>
      </Col>
    </Row>
  );
}

export function investmentOption(t: TFunction, projects: Project[]) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: [t('projects.planned'), t('projects.completed')] },
    grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: projects.map((p) => p.name), axisLabel: { interval: 0, width: 90, overflow: 'truncate' } },
    yAxis: { type: 'value', name: t('projects.unit') },
    series: [
      { name: t('projects.planned'), type: 'bar', data: projects.map((p) => p.planned_investment), itemStyle: { color: '#8fb4f5' } },
      { name: t('projects.completed'), type: 'bar', data: projects.map((p) => p.completed_investment), itemStyle: { color: '#1458d6' } },
    ],
  };
}

function Projects({ enterpriseId }: { enterpriseId: string }) {
  const t = useT();
  const projects = useEnterpriseProjects(enterpriseId);
  const option = useMemo(() => investmentOption(t, projects.data ?? []), [t, projects.data]);
  return (
    <PageState q={projects}>
      {(projects.data ?? []).length === 0 ? <Empty description={t('projects.none')} /> : (
        <>
          <Card size="small" title={t('projects.investment')} style={{ marginBottom: 16 }}>
            <Chart option={option} label={t('projects.investment')} />
          </Card>
          {(projects.data ?? []).map((p) => (
            <Card key={p.id} size="small" style={{ marginBottom: 12 }}
              title={<Link to={`/projects/${p.id}`}>{p.name}</Link>}
              extra={<Light light={p.progress?.light} />}>
              <StageSteps stage={p.stage} />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('projects.money', { done: p.completed_investment, plan: p.planned_investment })}
              </Typography.Paragraph>
            </Card>
          ))}
        </>
      )}
    </PageState>
  );
}

function Visits({ enterpriseId }: { enterpriseId: string }) {
  const t = useT();
  const visits = useEnterpriseVisits(enterpriseId);
  return (
    <PageState q={visits}>
      <List dataSource={visits.data ?? []} locale={{ emptyText: t('visits.list.none') }}
        footer={<Link to={`/visits?enterprise_id=${enterpriseId}`}>{t('enterprises.visits.all')}</Link>}
        renderItem={(v) => (
          <List.Item>
            <List.Item.Meta title={`${formatDateTime(v.visited_at)} · ${t(`visits.kind.${v.kind}`)} · ${v.steward_name}`} description={v.summary} />
          </List.Item>
        )} />
    </PageState>
  );
}

function Tickets({ enterpriseId }: { enterpriseId: string }) {
  const t = useT();
  const tickets = useEnterpriseTickets(enterpriseId);
  return (
    <PageState q={tickets}>
      <Table rowKey="id" size="small" dataSource={tickets.data ?? []} pagination={false} scroll={{ x: 600 }}
        locale={{ emptyText: t('enterprises.tickets.none') }}
        columns={[
          { title: t('enterprises.ticket.number'), dataIndex: 'number', render: (n, r) => <Link to={`/tickets/${r.id}`}>{n}</Link>, width: 150 },
          { title: t('enterprises.ticket.title'), dataIndex: 'title' },
          { title: t('enterprises.ticket.status'), dataIndex: 'status', width: 100, render: (s) => t(`enterprises.ticket.status.${s}`) },
          { title: t('enterprises.ticket.light'), dataIndex: 'light', width: 80, render: (l) => <Light light={l} /> },
        ]} />
    </PageState>
  );
}

export function timelineText(t: TFunction, e: { kind: string; subject_name?: string; from_stage?: string; to_stage?: string; visit_kind?: string;
  ticket_number?: string; steward_name?: string; leader_name?: string; actor_name?: string; note?: string; reason?: string }) {
  switch (e.kind) {
    case 'stage_move':
      return t('timeline.stage', { project: e.subject_name ?? '', from: e.from_stage ? t(`projects.stage.${e.from_stage}`) : '—', to: t(`projects.stage.${e.to_stage}`) });
    case 'visit':
      return t('timeline.visit', { who: e.actor_name ?? e.steward_name ?? '', kind: e.visit_kind ? t(`visits.kind.${e.visit_kind}`) : '' });
    case 'ticket':
      return t('timeline.ticket', { number: e.ticket_number ?? '' });
    case 'assignment_start':
      return t('timeline.assignment_start', { leader: e.leader_name ?? '', steward: e.steward_name ?? '' });
    case 'assignment_end':
      return t('timeline.assignment_end', { leader: e.leader_name ?? '', steward: e.steward_name ?? '' });
    default:
      return e.kind;
  }
}

function EnterpriseTimeline({ enterpriseId }: { enterpriseId: string }) {
  const t = useT();
  const tl = useEnterpriseTimeline(enterpriseId);
  const colors: Record<string, string> = { stage_move: 'blue', visit: 'green', ticket: 'red', assignment_start: 'gray', assignment_end: 'gray' };
  return (
    <PageState q={tl}>
      {(tl.data ?? []).length === 0 ? <Empty description={t('common.empty')} /> : (
        <Timeline items={(tl.data ?? []).map((e) => ({
          color: colors[e.kind] ?? 'gray',
          content: <>
            <div>{timelineText(t, e)}</div>
            <Typography.Text type="secondary">{formatDate(e.date || e.at)}{e.note ? ` · ${e.note}` : ''}{e.reason ? ` · ${e.reason}` : ''}</Typography.Text>
          </>,
        }))} />
      )}
    </PageState>
  );
}
