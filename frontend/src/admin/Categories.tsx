// Categories (诉求类别) and their time limits in working days (admin). An edit sends the version
// it was read with; someone else's change in between keeps the form and offers a reload.
import { useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography, message } from 'antd';
import { applyFieldErrors, isApiError, problemMessage } from '../api/problem';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { useCategories, useCreateCategory, useDepartments, useSaveCategory, type Category } from './hooks';

type Values = { name: string; description?: string; default_department_id?: string; sign_days: number; resolve_days: number; active: boolean };

export default function Categories() {
  const t = useT();
  const cats = useCategories();
  const depts = useDepartments();
  const deptName = (id?: string | null) => depts.data?.items?.find((d) => d.id === id)?.name ?? '—';
  const [editing, setEditing] = useState<string | 'new'>();
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('admin.categories.title')}</Typography.Title>
        <Button type="primary" onClick={() => setEditing('new')}>{t('admin.categories.new')}</Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('admin.categories.intro')}</Typography.Paragraph>
      <PageState q={cats}>
        <Table<Category>
          rowKey="id" dataSource={cats.data?.items ?? []} pagination={false} scroll={{ x: true }}
          locale={{ emptyText: t('admin.categories.none') }}
          columns={[
            { title: t('admin.categories.name'), dataIndex: 'name' },
            { title: t('admin.categories.department'), dataIndex: 'default_department_id', render: deptName },
            { title: t('admin.categories.sign_days'), dataIndex: 'sign_days', render: (n) => t('admin.days', { n }) },
            { title: t('admin.categories.resolve_days'), dataIndex: 'resolve_days', render: (n) => t('admin.days', { n }) },
            { title: t('admin.categories.active'), dataIndex: 'active', render: (a) => (a ? <Tag color="green">{t('admin.categories.on')}</Tag> : <Tag>{t('admin.categories.off')}</Tag>) },
            { title: t('admin.actions'), key: 'a', render: (_, c) => <Button size="small" onClick={() => setEditing(c.id)} aria-label={`${t('admin.edit')} ${c.name}`}>{t('admin.edit')}</Button> },
          ]}
        />
      </PageState>
      {editing && <CategoryForm id={editing} categories={cats.data?.items ?? []} reload={() => cats.refetch()} onClose={() => setEditing(undefined)} />}
    </div>
  );
}

function CategoryForm({ id, categories, reload, onClose }: { id: string; categories: Category[]; reload: () => unknown; onClose: () => void }) {
  const t = useT();
  const depts = useDepartments();
  const cur = categories.find((c) => c.id === id);
  const [form] = Form.useForm<Values>();
  const save = useSaveCategory();
  const create = useCreateCategory();
  const [error, setError] = useState<string>();
  const [stale, setStale] = useState(false);
  const failed = (e: unknown) => {
    if (isApiError(e) && e.status === 412) { setStale(true); return; }
    setError([problemMessage(t, e), ...applyFieldErrors(form, e, t)].join(' '));
  };
  const [opened] = useState<Partial<Values> | undefined>(() => cur && { ...cur, default_department_id: cur.default_department_id ?? undefined });
  const submit = (v: Values) => {
    setError(undefined);
    const body = { ...v, default_department_id: v.default_department_id ?? '' };
    // Only what was changed in the form is sent: someone else's change to another field stays.
    const patch = Object.fromEntries(Object.entries(body).filter(([k, x]) => (opened?.[k as keyof Values] ?? '') !== x));
    if (cur) save.mutate({ cat: cur, patch }, { onSuccess: () => { message.success(t('admin.saved')); onClose(); }, onError: failed });
    else create.mutate({ ...body, default_department_id: v.default_department_id || undefined },
      { onSuccess: () => { message.success(t('admin.saved')); onClose(); }, onError: failed });
  };
  return (
    <Modal open title={cur ? `${t('admin.edit')} ${cur.name}` : t('admin.categories.new')} onCancel={onClose} onOk={() => form.submit()}
      okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={save.isPending || create.isPending}>
      {stale && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('admin.stale')} description={t('admin.stale.kept')}
        action={<Button onClick={async () => { await reload(); setStale(false); }}>{t('admin.stale.reload')}</Button>} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit}
        initialValues={cur ? { ...cur, default_department_id: cur.default_department_id ?? undefined } : { sign_days: 1, resolve_days: 5, active: true }}>
        <Form.Item name="name" label={t('admin.categories.name')} rules={[{ required: true, message: t('error.field.required') }]}><Input /></Form.Item>
        <Form.Item name="description" label={t('admin.categories.description')}><Input.TextArea rows={2} /></Form.Item>
        <Form.Item name="default_department_id" label={t('admin.categories.department')}>
          <Select allowClear options={(depts.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Space size="large">
          <Form.Item name="sign_days" label={t('admin.categories.sign_days')} rules={[{ required: true, message: t('error.field.required') }]}><InputNumber min={1} max={60} /></Form.Item>
          <Form.Item name="resolve_days" label={t('admin.categories.resolve_days')} rules={[{ required: true, message: t('error.field.required') }]}><InputNumber min={1} max={365} /></Form.Item>
          <Form.Item name="active" label={t('admin.categories.active')} valuePropName="checked"><Switch /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
