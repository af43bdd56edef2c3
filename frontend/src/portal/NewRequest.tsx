// 提交诉求: a category picker that explains each category and its time limits, the request, an
// optional urgency request, attachments, and a confirmation with the ticket's number. The same
// Idempotency-Key goes with a double tap or a retry of the same request: one ticket.
import { useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, Radio, Result, Skeleton, Switch, Typography, Upload, type UploadFile } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { applyFieldErrors, problemMessage } from '../api/problem';
import { useT } from '../i18n';
import { uploadFile, useCategories, useSubmitRequest, type Ticket } from './hooks';

type Values = { category_id: string; title: string; description: string; urgent?: boolean };

export default function NewRequest() {
  const t = useT();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const categories = useCategories();
  const submit = useSubmitRequest();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [rest, setRest] = useState<string[]>([]);
  const [done, setDone] = useState<{ ticket: Ticket; failed: number } | undefined>();
  const [uploading, setUploading] = useState(false);
  const busy = useRef(false);

  async function onFinish(v: Values) {
    if (busy.current) return; // a second tap while the first is under way
    busy.current = true;
    setRest([]);
    const body = { category_id: v.category_id, title: v.title.trim(), description: v.description.trim(), priority: v.urgent ? 'urgent' as const : 'normal' as const };
    try {
      const ticket = await submit.mutateAsync({ body, key: submit.keyFor(body) });
      let failed = 0;
      if (files.length) {
        setUploading(true);
        for (const f of files) {
          try { await uploadFile(ticket.id, f.originFileObj as File); } catch { failed++; }
        }
        setUploading(false);
      }
      setDone({ ticket, failed });
      window.scrollTo(0, 0);
    } catch (e) {
      setRest(applyFieldErrors(form, e, t));
    } finally {
      busy.current = false;
    }
  }

  if (done) {
    return (
      <Card>
        <Result status="success" title={t('portal.new.doneTitle')}
          subTitle={<>
            <Typography.Title level={4} data-testid="portal-new-number" style={{ margin: '8px 0' }}>{t('portal.new.doneNumber', { number: done.ticket.number })}</Typography.Title>
            <div>{t('portal.new.doneText')}</div>
            {done.ticket.urgency_requested && <div>{t('portal.new.doneUrgent')}</div>}
          </>}
          extra={<div className="portal-big" style={{ display: 'grid', gap: 8 }}>
            {done.failed > 0 && <Alert type="warning" showIcon message={t('portal.new.filesFailed', { n: done.failed })} />}
            <Button type="primary" size="large" block onClick={() => navigate(`/portal/tickets/${done.ticket.id}`)}>{t('portal.new.follow')}</Button>
            <Button size="large" block onClick={() => { form.resetFields(); setFiles([]); setDone(undefined); }}>{t('portal.new.another')}</Button>
          </div>} />
      </Card>
    );
  }

  const active = (categories.data ?? []).filter((c) => c.active);
  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('portal.new.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('portal.new.intro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} scrollToFirstError>
        <Form.Item name="category_id" label={t('portal.new.category')} rules={[{ required: true, message: t('portal.new.categoryRequired') }]}>
          {categories.isPending ? <Skeleton active /> : categories.isError ? (
            <Alert type="warning" message={problemMessage(t, categories.error)} action={<Button onClick={() => categories.refetch()}>{t('error.retry')}</Button>} />
          ) : (
            <Radio.Group className="portal-category" style={{ width: '100%' }} aria-label={t('portal.new.category')}>
              {active.map((c) => (
                <Radio key={c.id} value={c.id}>
                  <div><Typography.Text strong>{c.name}</Typography.Text></div>
                  {c.description && <div className="portal-meta">{c.description}</div>}
                  <div className="portal-meta">{t('portal.new.limits', { sign: c.sign_days, resolve: c.resolve_days })}</div>
                </Radio>
              ))}
            </Radio.Group>
          )}
        </Form.Item>
        <Form.Item name="title" label={t('portal.new.subject')} extra={t('portal.new.subjectHelp')}
          rules={[{ required: true, whitespace: true, min: 4, message: t('portal.new.subjectRequired') }]}>
          <Input size="large" maxLength={100} showCount />
        </Form.Item>
        <Form.Item name="description" label={t('portal.new.description')} extra={t('portal.new.descriptionHelp')}
          rules={[{ required: true, whitespace: true, min: 10, message: t('portal.new.descriptionRequired') }]}>
          <Input.TextArea rows={6} maxLength={5000} />
        </Form.Item>
        <Form.Item name="urgent" label={t('portal.new.urgent')} valuePropName="checked" extra={t('portal.new.urgentHelp')}>
          <Switch aria-label={t('portal.new.urgent')} />
        </Form.Item>
        <Form.Item label={t('portal.new.files')} extra={t('portal.new.filesHelp')}>
          <Upload multiple fileList={files} beforeUpload={() => false}
            accept="image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt,.csv"
            onChange={({ fileList }) => setFiles(fileList)}>
            <Button size="large" icon={<PaperClipOutlined />}>{t('portal.new.addFile')}</Button>
          </Upload>
        </Form.Item>
        {rest.map((r) => <Alert key={r} type="error" showIcon message={r} style={{ marginBottom: 12 }} />)}
        {submit.error && !rest.length && !submit.isPending &&
          <Alert type="error" showIcon message={t('portal.new.failed')} description={problemMessage(t, submit.error)} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" size="large" block loading={submit.isPending || uploading} data-testid="portal-submit"
          style={{ minHeight: 52, fontSize: 17 }}>
          {t('portal.new.submit')}
        </Button>
      </Form>
    </Card>
  );
}
