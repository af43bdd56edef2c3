// 企业信息: my enterprise as the bureau registered it, and its contacts, which the enterprise
// keeps up to date itself (PATCH with If-Match; a 412 keeps what was typed).
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Form, Input, List, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { applyFieldErrors, isApiError, problemMessage } from '../api/problem';
import type { Tagged } from '../api/query';
import { PageState } from '../components/PageState';
import { useT } from '../i18n';
import { Link } from 'react-router';
import { useMyEnterprise, useMyProjects, useSaveContacts, type Contact, type MyEnterprise } from './hooks';

const phoneRule = /^\+?[0-9][0-9 -]{3,24}$/;

export default function Profile() {
  const t = useT();
  const me = useMyEnterprise();
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('portal.profile.title')}</Typography.Title>
      <PageState q={me}>{me.data && <ProfileBody me={me.data} />}</PageState>
    </>
  );
}

function ProfileBody({ me }: { me: Tagged<MyEnterprise> }) {
  const t = useT();
  const e = me.enterprise;
  const [editing, setEditing] = useState(false);
  return (
    <>
      <Card className="portal-card">
        <Typography.Paragraph type="secondary">{t('portal.profile.intro')}</Typography.Paragraph>
        <Descriptions column={1} size="small" items={[
          { key: 'n', label: t('portal.profile.name'), children: e.name },
          { key: 'c', label: t('portal.profile.creditCode'), children: e.credit_code },
          { key: 'l', label: t('portal.profile.legal'), children: e.legal_representative || '—' },
          { key: 's', label: t('portal.profile.scale'), children: t(`enterprises.scale.${e.scale}`) },
          { key: 'k', label: t('portal.profile.keyLevel'), children: t(`enterprises.key_level.${e.key_level}`) },
          { key: 'a', label: t('portal.profile.address'), children: e.address || '—' },
          { key: 'st', label: t('portal.profile.street'), children: e.street || '—' },
          ...(e.tags?.length ? [{ key: 't', label: t('portal.profile.tags'), children: <Space size={4} wrap>{e.tags.map((x) => <Tag key={x}>{x}</Tag>)}</Space> }] : []),
        ]} />
      </Card>
      <Card className="portal-card" title={t('portal.profile.contacts')}
        extra={!editing && <Button icon={<EditOutlined />} onClick={() => setEditing(true)} style={{ minHeight: 44 }}>{t('portal.profile.edit')}</Button>}>
        {editing ? <ContactsForm me={me} onDone={() => setEditing(false)} /> : (
          (e.contacts ?? []).length === 0 ? <Empty description={t('common.none')} /> : (
            <List data-testid="portal-contacts" dataSource={e.contacts ?? []} renderItem={(c) => (
              <List.Item>
                <List.Item.Meta title={<>{c.name}{c.title && <Typography.Text type="secondary"> · {c.title}</Typography.Text>}</>}
                  description={<>{c.phone && <a href={`tel:${c.phone.replace(/[\s-]/g, '')}`}>{c.phone}</a>}{c.email && <div>{c.email}</div>}</>} />
              </List.Item>
            )} />
          )
        )}
      </Card>
      <Projects />
    </>
  );
}

/** Projects lists my enterprise's projects, each with the way to its approval plan. */
function Projects() {
  const t = useT();
  const projects = useMyProjects();
  return (
    <Card className="portal-card" title={t('portal.profile.projects')}>
      <PageState q={projects}>
        {(projects.data ?? []).length === 0 ? <Typography.Text type="secondary">{t('portal.profile.projectsEmpty')}</Typography.Text> : (
          <List data-testid="portal-projects" dataSource={projects.data ?? []} renderItem={(p) => (
            <List.Item actions={[<Link key="plan" to={`/portal/projects/${p.id}`} style={{ display: 'inline-block', minHeight: 44, lineHeight: '44px' }}
              aria-label={`${p.name} ${t('portal.profile.viewPlan')}`}>{t('portal.profile.viewPlan')}</Link>]}>
              <List.Item.Meta title={p.name} description={t(`projects.stage.${p.stage}`)} />
            </List.Item>
          )} />
        )}
      </PageState>
    </Card>
  );
}

function ContactsForm({ me, onDone }: { me: Tagged<MyEnterprise>; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ contacts: Contact[] }>();
  const save = useSaveContacts();
  const [rest, setRest] = useState<string[]>([]);
  const [stale, setStale] = useState(false);
  return (
    <Form form={form} layout="vertical" requiredMark={false} initialValues={{ contacts: me.enterprise.contacts?.length ? me.enterprise.contacts : [{ name: '' }] }}
      onFinish={(v) => {
        setRest([]);
        setStale(false);
        const contacts = (v.contacts ?? []).map((c) => ({ name: c.name.trim(), title: c.title?.trim() || undefined,
          phone: c.phone?.trim() || undefined, email: c.email?.trim() || undefined }));
        save.mutate({ me, contacts }, {
          onSuccess: () => { message.success(t('portal.profile.saved')); onDone(); },
          onError: (e) => {
            if (isApiError(e) && e.status === 412) setStale(true);
            else setRest(applyFieldErrors(form, e, t));
          },
        });
      }}>
      <Form.List name="contacts">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Card key={f.key} size="small" className="portal-card" title={t('portal.profile.contactN', { n: i + 1 })}
                extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={t('portal.profile.removeContact', { n: i + 1 })} onClick={() => remove(f.name)} />}>
                <Form.Item name={[f.name, 'name']} label={t('portal.profile.contactName')} rules={[{ required: true, whitespace: true, message: t('portal.profile.nameRequired') }]}>
                  <Input size="large" maxLength={50} />
                </Form.Item>
                <Form.Item name={[f.name, 'title']} label={t('portal.profile.contactTitle')}><Input size="large" maxLength={50} /></Form.Item>
                <Form.Item name={[f.name, 'phone']} label={t('portal.profile.contactPhone')}
                  rules={[{ pattern: phoneRule, message: t('portal.profile.phoneInvalid') }]}>
                  <Input size="large" inputMode="tel" maxLength={30} />
                </Form.Item>
                <Form.Item name={[f.name, 'email']} label={t('portal.profile.contactEmail')} rules={[{ type: 'email', message: t('portal.profile.emailInvalid') }]}>
                  <Input size="large" inputMode="email" maxLength={200} />
                </Form.Item>
              </Card>
            ))}
            {fields.length < 20 && <Button block size="large" icon={<PlusOutlined />} onClick={() => add({ name: '' })} style={{ marginBottom: 12 }}>{t('portal.profile.addContact')}</Button>}
          </>
        )}
      </Form.List>
      {stale && <Alert type="info" showIcon message={t('portal.profile.stale')} style={{ marginBottom: 12 }} />}
      {rest.map((r) => <Alert key={r} type="error" showIcon message={r} style={{ marginBottom: 12 }} />)}
      {save.error && !stale && !rest.length && !(isApiError(save.error) && save.error.status === 422) &&
        <Alert type="error" showIcon message={t('portal.profile.failed')} description={problemMessage(t, save.error)} style={{ marginBottom: 12 }} />}
      <Flex gap={8}>
        <Button onClick={onDone} size="large" style={{ flex: 1 }}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" size="large" loading={save.isPending} style={{ flex: 2 }}>{t('portal.profile.save')}</Button>
      </Flex>
    </Form>
  );
}
