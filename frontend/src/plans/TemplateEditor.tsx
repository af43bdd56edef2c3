// The approval-plan template editor: name, project kind and the nodes — each with its key, name,
// responsible department, committed limit in working days and predecessors (a multi-select of the
// other nodes' keys). The server checks the whole chain (unique keys, known predecessors, no
// cycle) and names the node at fault (nodes[3].after): its words go beside that node's field. A
// 412 (another administrator saved meanwhile) keeps the form and offers to save over the fresh one.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { fieldName, isApiError, problemMessage } from '../api/problem';
import { unwrap } from '../api/query';
import { PageState } from '../components/PageState';
import { useT, type TFunction } from '../i18n';
import { usePlanTemplate, useSaveTemplate, type TemplateInput, type TemplateNode } from './hooks';

const kinds = ['new', 'expansion', 'renovation'] as const;

/** templateFieldMessage says a template's field error in the user's language (the server writes English). */
export function templateFieldMessage(t: TFunction, message: string): string {
  if (t.lang === 'en') return message;
  const m = message.toLowerCase();
  const cycle = /makes a cycle: ([^(;]+)/i.exec(message);
  if (cycle) return t('plans.error.cycle', { cycle: cycle[1].trim() });
  if (m.includes('already the key')) return t('plans.error.duplicate');
  if (m.includes('not the key of a node')) return t('plans.error.unknown');
  if (m.includes('after itself')) return t('plans.error.self');
  if (m.includes('letters, digits')) return t('plans.error.key');
  if (m.includes('working days')) return t('plans.error.days');
  if (m.includes('department')) return t('plans.error.department');
  if (m.includes('at least one node')) return t('plans.error.noNodes');
  if (m.includes('characters')) return t('plans.error.length');
  return t('error.field.invalid');
}

const useDepartments = () => useQuery({
  queryKey: ['departments'],
  staleTime: 10 * 60_000,
  queryFn: async () => (await unwrap(api.GET('/api/v1/departments', { params: { query: { limit: 200 } } }))).items ?? [],
});

export default function TemplateEditor() {
  const { id = 'new' } = useParams();
  const creating = id === 'new';
  const q = usePlanTemplate(id, !creating);
  if (creating) return <Editor />;
  return <PageState q={q}>{q.data && <Editor key={q.data.id} current={q.data} />}</PageState>;
}

type Values = TemplateInput;

function Editor({ current }: { current?: ReturnType<typeof usePlanTemplate>['data'] }) {
  const t = useT();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveTemplate(current);
  const departments = (useDepartments().data ?? []).filter((d) => d.kind !== 'bureau');
  const nodes = (Form.useWatch('nodes', form) ?? []) as Partial<TemplateNode>[];
  const [rest, setRest] = useState<string[]>([]);
  const [stale, setStale] = useState(false);

  useEffect(() => {
    form.setFieldsValue(current
      ? { name: current.name, project_kind: current.project_kind, nodes: (current.nodes ?? []).map((n) => ({ ...n, after: n.after ?? [] })) }
      : { project_kind: 'new', nodes: [{ key: '', name: '', department_id: undefined as unknown as string, days: 10, after: [] }] });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current?.id]);

  const submit = async () => {
    const v = await form.validateFields();
    setRest([]);
    setStale(false);
    const body: TemplateInput = { name: v.name, project_kind: v.project_kind,
      nodes: (v.nodes ?? []).map((n) => ({ key: n.key?.trim(), name: n.name?.trim(), department_id: n.department_id, days: n.days, after: n.after ?? [] })) };
    save.mutate(body, {
      onSuccess: (fresh) => {
        message.success(t('plans.template.saved'));
        if (!current) nav(`/admin/plan-templates/${fresh.id}`, { replace: true });
      },
      onError: (e) => {
        if (isApiError(e) && e.status === 412) {
          setStale(true);
          return;
        }
        if (!isApiError(e) || !e.problem.errors?.length) return;
        // Each error beside its field (nodes[3].after → the after select of the fourth node).
        const fields: { name: (string | number)[]; errors: string[] }[] = [];
        const left: string[] = [];
        for (const fe of e.problem.errors) {
          const name = fieldName(fe.field);
          const words = templateFieldMessage(t, fe.message);
          if (name[0] === 'nodes' && typeof name[1] === 'number' && name.length === 3 && name[1] < (v.nodes ?? []).length) fields.push({ name, errors: [words] });
          else if (name.length === 1 && ['name', 'project_kind'].includes(String(name[0]))) fields.push({ name, errors: [words] });
          else left.push(words);
        }
        form.setFields(fields as Parameters<typeof form.setFields>[0]);
        setRest(left);
      },
    });
  };

  // A 412: take the fresh version's ETag and keep every field as typed; the next save goes over it.
  const takeFresh = async () => {
    await qc.invalidateQueries({ queryKey: ['plan-templates', current?.id] });
    setStale(false);
  };

  const keyOptions = (i: number) => nodes
    .map((n, j) => ({ n, j }))
    .filter(({ n, j }) => j !== i && !!n?.key?.trim())
    .map(({ n }) => ({ value: n.key!.trim(), label: n.name ? `${n.key} · ${n.name}` : n.key }));
  const shown = save.error && !stale && !(isApiError(save.error) && save.error.status === 422);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{current ? current.name : t('plans.templates.new')}</Typography.Title>
        <Space>
          <Button onClick={() => nav('/admin/plan-templates')}>{t('common.back')}</Button>
          <Button type="primary" loading={save.isPending} onClick={submit}>{t('common.save')}</Button>
        </Space>
      </Space>
      {stale && <Alert type="warning" showIcon title={t('plans.template.stale')}
        action={<Button size="small" onClick={takeFresh}>{t('plans.template.stale.keep')}</Button>} />}
      {shown && <Alert type="error" showIcon title={problemMessage(t, save.error)} />}
      {save.error && isApiError(save.error) && save.error.status === 422 && (
        <Alert type="error" showIcon title={t('error.validation_failed')} description={rest.length ? rest.join(' ') : undefined} data-testid="template-errors" />
      )}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Card size="small">
          <Row gutter={16}>
            <Col xs={24} md={16}>
              <Form.Item name="name" label={t('plans.template.name')} rules={[{ required: true, whitespace: true, message: t('error.field.required') }]}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="project_kind" label={t('plans.template.kind')} rules={[{ required: true, message: t('error.field.required') }]}>
                <Select options={kinds.map((k) => ({ value: k, label: t(`projects.kind.${k}`) }))} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Typography.Title level={5} style={{ marginTop: 16 }}>{t('plans.template.nodes')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('plans.template.nodes.help')}</Typography.Paragraph>
        <Form.List name="nodes">
          {(fields, { add, remove, move }) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              {fields.map((f, i) => (
                <Card key={f.key} size="small" data-testid={`template-node-${i}`}
                  title={t('plans.template.node', { n: i + 1, name: nodes[i]?.name || '' })}
                  extra={<Space size={2}>
                    <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} aria-label={t('plans.template.up')} onClick={() => move(i, i - 1)} />
                    <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} aria-label={t('plans.template.down')} onClick={() => move(i, i + 1)} />
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('plans.template.remove')} onClick={() => {
                      const gone = nodes[i]?.key;
                      remove(i);
                      // Nobody may wait on a node that is gone.
                      if (gone) form.setFieldValue('nodes', (form.getFieldValue('nodes') as TemplateNode[]).map((n) => ({ ...n, after: (n.after ?? []).filter((k) => k !== gone) })));
                    }} />
                  </Space>}>
                  <Row gutter={12}>
                    <Col xs={24} sm={8} md={4}>
                      <Form.Item name={[f.name, 'key']} label={t('plans.node.key')} tooltip={t('plans.node.key.help')}
                        rules={[{ required: true, whitespace: true, message: t('error.field.required') }, { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, message: t('plans.error.key') }]}>
                        <Input maxLength={32} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={16} md={8}>
                      <Form.Item name={[f.name, 'name']} label={t('plans.node.name')} rules={[{ required: true, whitespace: true, message: t('error.field.required') }]}>
                        <Input maxLength={100} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={16} md={8}>
                      <Form.Item name={[f.name, 'department_id']} label={t('plans.node.department')} rules={[{ required: true, message: t('error.field.required') }]}>
                        <Select showSearch optionFilterProp="label" options={departments.map((d) => ({ value: d.id, label: d.name }))} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={8} md={4}>
                      <Form.Item name={[f.name, 'days']} label={t('plans.node.limit')} rules={[{ required: true, message: t('error.field.required') }]}>
                        <InputNumber min={1} max={250} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={24}>
                      <Form.Item name={[f.name, 'after']} label={t('plans.node.after')} extra={t('plans.node.after.help')}>
                        <Select mode="multiple" allowClear options={keyOptions(i)} placeholder={t('plans.node.after.none')} optionFilterProp="label" />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ key: '', name: '', days: 10, after: [] })}>{t('plans.template.add')}</Button>
            </Space>
          )}
        </Form.List>
      </Form>
    </Space>
  );
}
