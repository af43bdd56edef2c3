// One request as its enterprise sees it: its state and clock, the public timeline, files and
// comments, the rating once resolved (problem solved and attitude apart) and the rework that an
// unsatisfied rating starts. Another enterprise's request, or none, is "not found".
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, List, Rate, Result, Space, Steps, Tag, Timeline, Typography, Upload } from 'antd';
import { ArrowLeftOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError, problemMessage } from '../api/problem';
import type { Tagged } from '../api/query';
import { PageState } from '../components/PageState';
import { useT, type TFunction } from '../i18n';
import { formatDate, formatDateTime } from '../lib/format';
import { useAttachments, useComment, useRate, useTicket, useTicketEvents, useUpload, type Rating, type Ticket } from './hooks';
import { eventExtra, eventText, isRework, LightTag, StatusTag, stepOf } from './words';

/**
 * The rating's reason tags: the values the API stores and counts (domain.RatingTags, fixed by
 * shared/API.md), not display words — each is shown through the table as `portal.tag.<value>`.
 */
export const ratingTags = ['办事高效', '态度热情', '解释清楚', '主动服务', '推诿扯皮', '办理拖延', '问题未解决', '态度冷漠', '多头跑'];

export default function RequestPage() {
  const t = useT();
  const { id = '' } = useParams();
  const ticket = useTicket(id);
  if (ticket.isError && isApiError(ticket.error) && (ticket.error.status === 404 || ticket.error.status === 403)) {
    return <RequestNotFound />;
  }
  return (
    <>
      <Link to="/portal" style={{ display: 'inline-flex', alignItems: 'center', gap: 6, minHeight: 44 }}>
        <ArrowLeftOutlined />{t('portal.ticket.back')}
      </Link>
      <PageState q={ticket}>{ticket.data && <Request tk={ticket.data} />}</PageState>
    </>
  );
}

function RequestNotFound() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Card>
      <Result status="404" title={t('portal.ticket.notFound')} subTitle={t('portal.ticket.notFoundText')}
        extra={<Button type="primary" size="large" onClick={() => navigate('/portal')}>{t('portal.notFound.home')}</Button>} />
    </Card>
  );
}

function Request({ tk }: { tk: Tagged<Ticket> }) {
  const t = useT();
  const open = !['closed', 'rejected'].includes(tk.status);
  const running = open && tk.status !== 'resolved';
  return (
    <>
      <Card className="portal-card">
        <Typography.Text type="secondary" data-testid="portal-ticket-number">{tk.number}</Typography.Text>
        <Typography.Title level={3} style={{ margin: '4px 0 8px' }}>{tk.title}</Typography.Title>
        <Space size={[6, 6]} wrap>
          <StatusTag t={t} status={tk.status} />
          {running && <LightTag t={t} light={tk.light} />}
          {tk.priority === 'urgent' ? <Tag color="red">{t('portal.ticket.urgent')}</Tag>
            : tk.urgency_requested && <Tag>{t('portal.ticket.urgencyRequested')}</Tag>}
        </Space>
        {tk.status !== 'rejected' && (
          <Steps size="small" progressDot labelPlacement="vertical" responsive={false} current={stepOf(tk.status)} style={{ marginTop: 16 }}
            aria-label={t('portal.ticket.progress')}
            items={(['submitted', 'accepted', 'working', 'resolved', 'rated'] as const).map((s) => ({ title: t(`portal.step.${s}`) }))} />
        )}
      </Card>
      {isRework(tk) && (
        <Alert type="warning" showIcon className="portal-card" data-testid="portal-rework"
          message={tk.department_name
            ? t('portal.ticket.rework', { department: tk.department_name, n: tk.reopen_count, date: formatDate(tk.due_resolve_at) })
            : t('portal.ticket.reworkNoDept', { n: tk.reopen_count, date: formatDate(tk.due_resolve_at) })} />
      )}
      {tk.status === 'rejected' && <Alert type="info" showIcon className="portal-card" message={t('portal.ticket.rejected')} />}
      {tk.status === 'closed' && <Alert type="success" showIcon className="portal-card" message={t('portal.ticket.closed')} data-testid="portal-closed" />}
      <Card className="portal-card">
        <Descriptions column={1} size="small" items={[
          { key: 'c', label: t('portal.ticket.category'), children: tk.category_name },
          { key: 'd', label: t('portal.ticket.department'), children: tk.department_name || t('portal.ticket.departmentNone') },
          { key: 's', label: t('portal.ticket.submittedAt'), children: formatDateTime(tk.created_at) },
          ...(running && tk.due_resolve_at ? [{ key: 'r', label: t('portal.ticket.dueResolve'), children: formatDate(tk.due_resolve_at) }] : []),
        ]} />
        <Typography.Title level={5}>{t('portal.ticket.description')}</Typography.Title>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{tk.description}</Typography.Paragraph>
        {tk.resolution && (<>
          <Typography.Title level={5}>{t('portal.ticket.resolution')}</Typography.Title>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="portal-resolution">{tk.resolution}</Typography.Paragraph>
        </>)}
        {tk.rating && !tk.rating.none && tk.status === 'closed' && (
          <Typography.Paragraph type="secondary">
            {t('portal.rating.given')}：{t('portal.event.rating', { solved: tk.rating.solved ?? 0, attitude: tk.rating.attitude ?? 0 })}
            {tk.rating.comment ? ` · ${tk.rating.comment}` : ''}
          </Typography.Paragraph>
        )}
      </Card>
      {tk.status === 'resolved' && <RateForm tk={tk} />}
      <Events id={tk.id} />
      <Files id={tk.id} open={open} />
      {open && <CommentBox id={tk.id} />}
    </>
  );
}

function Events({ id }: { id: string }) {
  const t = useT();
  const events = useTicketEvents(id);
  return (
    <Card className="portal-card" title={t('portal.ticket.timeline')}>
      <PageState q={events}>
        {(events.data ?? []).length === 0 ? <Typography.Text type="secondary">{t('portal.ticket.timelineEmpty')}</Typography.Text> : (
          <Timeline data-testid="portal-timeline" items={[...(events.data ?? [])].reverse().map((e) => ({
            key: e.id,
            color: e.action === 'rework' ? 'orange' : e.action === 'resolve' || e.action === 'rate' ? 'green' : 'blue',
            children: (
              <div>
                <div><Typography.Text strong>{e.actor_name}</Typography.Text> {eventText(t, e)}</div>
                {e.body && <div style={{ whiteSpace: 'pre-wrap' }}>{e.body}</div>}
                {eventExtra(t, e) && <div className="portal-meta">{eventExtra(t, e)}</div>}
                <div className="portal-meta">{formatDateTime(e.at)}</div>
              </div>
            ),
          }))} />
        )}
      </PageState>
    </Card>
  );
}

function Files({ id, open }: { id: string; open: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const files = useAttachments(id);
  const upload = useUpload(id);
  return (
    <Card className="portal-card" title={t('portal.ticket.files')} extra={open && (
      <Upload showUploadList={false} beforeUpload={(f) => {
        upload.mutate(f, {
          onSuccess: (a) => message.success(t('portal.ticket.uploaded', { name: a.file_name })),
          onError: (e) => message.error(problemMessage(t, e)),
        });
        return false;
      }}>
        <Button icon={<PaperClipOutlined />} loading={upload.isPending} style={{ minHeight: 44 }}>{t('portal.ticket.upload')}</Button>
      </Upload>
    )}>
      <PageState q={files}>
        {(files.data ?? []).length === 0 ? <Typography.Text type="secondary">{t('portal.ticket.filesEmpty')}</Typography.Text> : (
          <List size="small" dataSource={files.data ?? []} renderItem={(f) => (
            <List.Item>
              <a href={`/api/v1/attachments/${f.id}`} download={f.file_name}>{f.file_name}</a>
              <span className="portal-meta">{f.uploaded_by_name} · {formatDate(f.created_at)}</span>
            </List.Item>
          )} />
        )}
      </PageState>
    </Card>
  );
}

function CommentBox({ id }: { id: string }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ body: string }>();
  const comment = useComment(id);
  return (
    <Card className="portal-card">
      <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => comment.mutate(v.body.trim(), {
        onSuccess: () => { form.resetFields(); message.success(t('portal.ticket.sent')); },
      })}>
        <Form.Item name="body" label={t('portal.ticket.comment')} extra={t('portal.ticket.commentHelp')}
          rules={[{ required: true, whitespace: true, message: t('error.field.required') }]}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        {comment.error && <Alert type="error" showIcon message={problemMessage(t, comment.error)} style={{ marginBottom: 12 }} />}
        <Button htmlType="submit" size="large" block loading={comment.isPending}>{t('portal.ticket.send')}</Button>
      </Form>
    </Card>
  );
}

function rateLabels(t: TFunction) {
  return [1, 2, 3, 4, 5].map((n) => t(`portal.rate.${n}`));
}

function RateForm({ tk }: { tk: Tagged<Ticket> }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Rating>();
  const rate = useRate(tk);
  const [stale, setStale] = useState(false);
  const solved = Form.useWatch('solved', form);
  const labels = rateLabels(t);
  return (
    <Card className="portal-card" title={t('portal.rate.title')} data-testid="portal-rate">
      <Typography.Paragraph type="secondary">{t('portal.rate.intro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ tags: [], comment: '' }}
        onFinish={(v) => {
          setStale(false);
          rate.mutate({ solved: v.solved, attitude: v.attitude, tags: v.tags ?? [], comment: (v.comment ?? '').trim() }, {
            onSuccess: (fresh) => {
              message.success(t(fresh.status === 'closed' ? 'portal.rate.done' : 'portal.rate.reworked'));
              window.scrollTo(0, 0);
            },
            onError: (e) => { if (isApiError(e) && e.status === 412) setStale(true); },
          });
        }}>
        <Form.Item name="solved" label={t('portal.rate.solved')} rules={[{ required: true, message: t('portal.rate.required') }]}
          data-testid="rate-solved">
          <Rate tooltips={labels} aria-label={t('portal.rate.solved')} style={{ fontSize: 32 }} />
        </Form.Item>
        <Form.Item name="attitude" label={t('portal.rate.attitude')} rules={[{ required: true, message: t('portal.rate.required') }]}
          data-testid="rate-attitude">
          <Rate tooltips={labels} aria-label={t('portal.rate.attitude')} style={{ fontSize: 32 }} />
        </Form.Item>
        {solved !== undefined && solved < 3 && <Alert type="warning" showIcon message={t('portal.rate.reworkWarn')} style={{ marginBottom: 12 }} />}
        <Form.Item name="tags" label={t('portal.rate.tags')}>
          <TagPicker t={t} />
        </Form.Item>
        <Form.Item name="comment" label={t('portal.rate.comment')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        {stale && <Alert type="info" showIcon message={t('portal.rate.stale')} style={{ marginBottom: 12 }} />}
        {rate.error && !stale && <Alert type="error" showIcon message={problemMessage(t, rate.error)} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" size="large" block loading={rate.isPending}>{t('portal.rate.submit')}</Button>
      </Form>
    </Card>
  );
}

function TagPicker({ t, value = [], onChange }: { t: TFunction; value?: string[]; onChange?: (v: string[]) => void }) {
  return (
    <Checkbox.Group value={value} onChange={(v) => onChange?.(v as string[])} aria-label={t('portal.rate.tags')}
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
      options={ratingTags.map((tag) => ({ value: tag, label: t(`portal.tag.${tag}`), style: { padding: '8px 12px', border: '1px solid #d9d9d9', borderRadius: 6, margin: 0 } }))} />
  );
}
