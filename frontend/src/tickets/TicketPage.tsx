// Ticket detail: number, status, light and both clocks in words, the actions this user may take,
// instructions with answers, the timeline (public and internal marked), comments, attachments.
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, List, Progress, Row, Space, Switch, Tag, Timeline, Typography, Upload } from 'antd';
import { Link, useParams } from 'react-router';
import { Light } from '../components/Light';
import { EnterpriseData } from '../components/EnterpriseData';
import { PageState } from '../components/PageState';
import { applyFieldErrors, problemMessage } from '../api/problem';
import { formatDateTime } from '../lib/format';
import { useT } from '../i18n';
import { useUser } from '../shell/session';
import { clockWords } from './clock';
import { ActionDialog } from './ActionDialog';
import { useAnswer, useAttachments, useCalendar, useComment, useInstruct, useInstructions, useOpinions, useTicket, useTicketEvents, useUpload, type MoveInput } from './hooks';
import { OpinionsCard } from './Opinions';
import { allowedActions, moves, seesOpinions, type Ticket } from './rules';
import { StatusTag } from './TicketTable';

export default function TicketPage() {
  const { id = '' } = useParams();
  const q = useTicket(id);
  return <EnterpriseData><PageState q={q}>{q.data && <Detail ticket={q.data} />}</PageState></EnterpriseData>;
}

function Clock({ due, running }: { due?: string | null; running: boolean }) {
  const t = useT();
  const cal = useCalendar();
  if (!due) return <>—</>;
  const words = running ? clockWords(t, due, Date.now(), cal) : t('tickets.clock.stopped');
  const overdue = running && Date.parse(due) < Date.now();
  return <Typography.Text type={overdue ? 'danger' : undefined}>{words} <Typography.Text type="secondary">({formatDateTime(due)})</Typography.Text></Typography.Text>;
}

function Detail({ ticket }: { ticket: Ticket & { $etag?: string } }) {
  const t = useT();
  const { message } = App.useApp();
  const me = useUser();
  const allowed = allowedActions(me, ticket);
  const [action, setAction] = useState<MoveInput['action'] | null>(null);
  const open = ['accepted', 'assigned', 'in_progress', 'returned'].includes(ticket.status);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>{ticket.title}</Typography.Title>
          <StatusTag status={ticket.status} /><Light light={ticket.light} />
          {ticket.priority === 'urgent' && <Tag color="red">{t('tickets.priority.urgent')}</Tag>}
          {ticket.urgency_requested && ticket.priority !== 'urgent' && <Tag color="orange">{t('tickets.urgency_requested')}</Tag>}
        </Space>
        <Descriptions size="small" style={{ marginTop: 12 }} column={{ xs: 1, md: 2, xl: 3 }} items={[
          { key: 'n', label: t('tickets.col.number'), children: <span data-testid="ticket-number">{ticket.number}</span> },
          { key: 'e', label: t('tickets.col.enterprise'), children: <Link to={`/enterprises/${ticket.enterprise_id}`}>{ticket.enterprise_name}</Link> },
          { key: 'c', label: t('tickets.col.category'), children: ticket.category_name },
          { key: 'd', label: t('tickets.col.department'), children: ticket.department_name || '—' },
          ...((ticket.co_department_ids ?? []).length ? [{ key: 'co', label: t('tickets.opinions.co'), children: <CoDepartments ticket={ticket} /> }] : []),
          { key: 'h', label: t('tickets.detail.handler'), children: ticket.handler_name || '—' },
          { key: 's', label: t('tickets.detail.source'), children: t(`tickets.source.${ticket.source}`) },
          { key: 'cs', label: t('tickets.clock.sign'), children: <Clock due={ticket.due_sign_at} running={ticket.status === 'assigned'} /> },
          { key: 'cr', label: t('tickets.clock.resolve'), children: <Clock due={ticket.due_resolve_at} running={open} /> },
          { key: 't', label: t('tickets.col.created'), children: formatDateTime(ticket.created_at) },
          ...(ticket.plan_node_id && ticket.project_id ? [{ key: 'plan', label: t('tickets.detail.planNode'),
            children: <Link to={`/projects/${ticket.project_id}`}>{t('tickets.detail.planNode.link')}</Link> }] : []),
        ]} />
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>{ticket.description}</Typography.Paragraph>
        {ticket.resolution && <Alert type="success" message={t('tickets.detail.resolution')} description={ticket.resolution} />}
        {ticket.extension && <Alert type="warning" style={{ marginTop: 8 }} message={t('tickets.detail.extension', { n: ticket.extension.days, reason: ticket.extension.reason })} />}
        <div style={{ marginTop: 12 }} data-testid="ticket-actions">
          <Space wrap>
            {allowed.filter((a) => moves.includes(a)).map((a, i) => (
              <Button key={a} type={i === 0 ? 'primary' : 'default'} danger={a === 'reject' || a === 'deny-extension'}
                onClick={() => setAction(a as MoveInput['action'])}>{t(`tickets.action.${a}`)}</Button>
            ))}
          </Space>
        </div>
      </Card>
      <ActionDialog ticket={ticket} action={action} onClose={() => setAction(null)}
        onDone={(a) => { setAction(null); message.success(t('tickets.action.done', { action: t(`tickets.action.${a}`) })); }} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {seesOpinions(me) && <OpinionsCard ticket={ticket} />}
            <Instructions ticket={ticket} canInstruct={allowed.includes('instruct')} canAnswer={allowed.includes('answer')} />
            <Events ticket={ticket} staff={seesOpinions(me)} />
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {allowed.includes('comment') && <CommentBox id={ticket.id} staff={me.role !== 'enterprise'} />}
            <Attachments id={ticket.id} canUpload={allowed.includes('comment')} staff={me.role !== 'enterprise'} />
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

function Instructions({ ticket, canInstruct, canAnswer }: { ticket: Ticket; canInstruct: boolean; canAnswer: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const q = useInstructions(ticket.id);
  const give = useInstruct(ticket.id);
  const [form] = Form.useForm();
  if (!canInstruct && !canAnswer && !(q.data ?? []).length) return null;
  return (
    <Card title={t('tickets.instructions')} size="small" data-testid="instructions">
      <List dataSource={q.data ?? []} loading={q.isPending} locale={{ emptyText: t('tickets.instructions.empty') }}
        renderItem={(ins) => <InstructionItem ticketId={ticket.id} ins={ins} canAnswer={canAnswer} />} />
      {canInstruct && (
        <Form form={form} layout="vertical" style={{ marginTop: 12 }}
          onFinish={(v) => give.mutate(v.body, {
            onSuccess: () => { form.resetFields(); message.success(t('tickets.instructions.sent')); },
            onError: (e) => applyFieldErrors(form, e, t),
          })}>
          <Form.Item name="body" label={t('tickets.instructions.body')} rules={[{ required: true, whitespace: true, message: t('tickets.field.required') }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          {give.error && <Alert type="error" message={problemMessage(t, give.error)} style={{ marginBottom: 8 }} />}
          <Button htmlType="submit" type="primary" loading={give.isPending}>{t('tickets.instructions.give')}</Button>
        </Form>
      )}
    </Card>
  );
}

function InstructionItem({ ticketId, ins, canAnswer }: { ticketId: string; ins: import('./hooks').Instruction; canAnswer: boolean }) {
  const t = useT();
  const answer = useAnswer(ticketId);
  const [text, setText] = useState('');
  return (
    <List.Item>
      <div style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text strong>{t('tickets.instructions.by', { name: ins.leader_name })}</Typography.Text>
          <Typography.Text type="secondary">{formatDateTime(ins.at)}</Typography.Text>
          {ins.answered_at ? <Tag color="green">{t('tickets.instructions.answered')}</Tag> : <Tag color="orange">{t('tickets.instructions.waiting')}</Tag>}
        </Space>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0' }}>{ins.body}</Typography.Paragraph>
        {ins.answered_at && <Alert type="info" message={`${t('tickets.instructions.answer')}（${formatDateTime(ins.answered_at)}）`} description={ins.answer} />}
        {!ins.answered_at && canAnswer && (
          <Space.Compact style={{ width: '100%' }}>
            <Input aria-label={t('tickets.instructions.answerBody')} placeholder={t('tickets.instructions.answerBody')} value={text} onChange={(e) => setText(e.target.value)} maxLength={5000} />
            <Button type="primary" loading={answer.isPending} disabled={!text.trim()}
              onClick={() => answer.mutate({ instruction: ins.id, answer: text.trim() }, { onSuccess: () => setText('') })}>{t('tickets.instructions.answer')}</Button>
          </Space.Compact>
        )}
        {answer.error && <Typography.Text type="danger">{problemMessage(t, answer.error)}</Typography.Text>}
      </div>
    </List.Item>
  );
}

/** CoDepartments names the co-handling departments (协办). */
function CoDepartments({ ticket }: { ticket: Ticket }) {
  const q = useOpinions(ticket.id);
  return <>{(q.data ?? []).map((o) => o.department_name).join('、') || '…'}</>;
}

function Events({ ticket, staff }: { ticket: Ticket; staff: boolean }) {
  const t = useT();
  const id = ticket.id;
  const q = useTicketEvents(id);
  // An opinion's event names its department (the event's data says which).
  const names = Object.fromEntries((useOpinions(id, staff && (ticket.co_department_ids ?? []).length > 0).data ?? [])
    .map((o) => [o.department_id, o.department_name]));
  const deptOf = (e: { data?: Record<string, unknown> | null }) => names[String(e.data?.department_id ?? '')];
  return (
    <Card title={t('tickets.timeline')} size="small" data-testid="timeline">
      {q.isPending ? null : !(q.data ?? []).length ? <Empty description={t('tickets.timeline.empty')} /> : (
        <Timeline items={(q.data ?? []).map((e) => ({
          key: e.id,
          color: e.public ? 'blue' : 'gray',
          children: (
            <div>
              <Space wrap size={4}>
                <Typography.Text strong>{t(`tickets.event.${e.action}`)}{deptOf(e) ? ` · ${deptOf(e)}` : ''}</Typography.Text>
                <Tag color={e.public ? 'blue' : 'default'}>{e.public ? t('tickets.timeline.public') : t('tickets.timeline.internal')}</Tag>
                <Typography.Text type="secondary">{e.actor_name} · {formatDateTime(e.at)}</Typography.Text>
              </Space>
              {e.body && <div style={{ whiteSpace: 'pre-wrap' }}>{e.body}</div>}
            </div>
          ),
        }))} />
      )}
    </Card>
  );
}

function CommentBox({ id, staff }: { id: string; staff: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const c = useComment(id);
  const [form] = Form.useForm();
  return (
    <Card title={t('tickets.comments')} size="small">
      <Form form={form} layout="vertical" initialValues={{ internal: staff }}
        onFinish={(v) => c.mutate({ body: v.body, internal: !!v.internal }, {
          onSuccess: () => { form.resetFields(); message.success(t('tickets.comment.sent')); },
          onError: (e) => applyFieldErrors(form, e, t),
        })}>
        <Form.Item name="body" rules={[{ required: true, whitespace: true, message: t('tickets.field.required') }]}>
          <Input.TextArea rows={3} placeholder={t('tickets.comment.placeholder')} aria-label={t('tickets.comments')} maxLength={5000} />
        </Form.Item>
        <Space>
          {staff && <Form.Item name="internal" valuePropName="checked" noStyle><Switch aria-label={t('tickets.comment.internal')} /></Form.Item>}
          {staff && <span>{t('tickets.comment.internal')}</span>}
          <Button htmlType="submit" loading={c.isPending}>{t('tickets.comment.send')}</Button>
        </Space>
        {c.error && <Alert type="error" message={problemMessage(t, c.error)} style={{ marginTop: 8 }} />}
      </Form>
    </Card>
  );
}

function Attachments({ id, canUpload, staff }: { id: string; canUpload: boolean; staff: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const q = useAttachments(id);
  const [percent, setPercent] = useState<number>();
  const [internal, setInternal] = useState(false);
  const up = useUpload(id, setPercent);
  return (
    <Card title={t('tickets.attachments')} size="small">
      <List size="small" dataSource={q.data ?? []} loading={q.isPending} locale={{ emptyText: t('tickets.attachments.empty') }}
        renderItem={(a) => (
          <List.Item actions={[<a key="d" href={`/api/v1/attachments/${a.id}`} download={a.file_name}>{t('tickets.attachments.download')}</a>]}>
            <Space wrap size={4}>
              <span>{a.file_name}</span>
              {a.internal && <Tag>{t('tickets.timeline.internal')}</Tag>}
              <Typography.Text type="secondary">{(a.size / 1024).toFixed(0)} KB · {a.uploaded_by_name}</Typography.Text>
            </Space>
          </List.Item>
        )} />
      {canUpload && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
          <Space>
            <Upload showUploadList={false} customRequest={({ file }) => {
              setPercent(0);
              up.mutate({ file: file as File, internal }, {
                onSuccess: () => { setPercent(undefined); message.success(t('tickets.attachments.uploaded')); },
                onError: () => setPercent(undefined),
              });
            }}>
              <Button loading={up.isPending}>{t('tickets.attachments.upload')}</Button>
            </Upload>
            {staff && <><Switch size="small" checked={internal} onChange={setInternal} aria-label={t('tickets.attachments.internal')} />{t('tickets.attachments.internal')}</>}
          </Space>
          {percent !== undefined && <Progress percent={percent} size="small" />}
          {up.error && <Typography.Text type="danger">{problemMessage(t, up.error)}</Typography.Text>}
        </Space>
      )}
    </Card>
  );
}
