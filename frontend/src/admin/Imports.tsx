// Enterprise import (admin): download the template, upload a file, follow its progress, read the
// problem of each refused row, and download the refused rows to correct and upload again.
import { useState } from 'react';
import { Alert, Button, Card, Progress, Result, Space, Statistic, Table, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { api } from '../api/client';
import { fieldMessage, problemMessage } from '../api/problem';
import { unwrap } from '../api/query';
import { useT } from '../i18n';
import { useImport, type Import } from './hooks';

type ImportError = NonNullable<Import['errors']>[number];

export default function Imports() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? undefined;
  const imp = useImport(id);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string>();

  const upload = async (file: File) => {
    setUploading(true);
    setError(undefined);
    try {
      const form = new FormData();
      form.append('file', file);
      const r = await unwrap(api.POST('/api/v1/imports/enterprises', {
        body: {} as never, bodySerializer: () => form,
      }));
      setParams({ id: r.id });
    } catch (e) {
      setError(problemMessage(t, e));
    } finally {
      setUploading(false);
    }
    return false;
  };

  const d = imp.data;
  const finished = d && (d.status === 'done' || d.status === 'failed');
  const percent = d && d.total > 0 ? Math.round(((d.done + d.failed) / d.total) * 100) : finished ? 100 : 0;
  return (
    <div>
      <Typography.Title level={3}>{t('admin.imports.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('admin.imports.intro')} <Typography.Link href="/api/v1/imports/templates/enterprises.xlsx" download>{t('admin.imports.template')}</Typography.Link>
      </Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Upload.Dragger accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => { void upload(f); return false; }} disabled={uploading}>
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p className="ant-upload-text">{uploading ? t('admin.imports.uploading') : t('admin.imports.drop')}</p>
          <p className="ant-upload-hint">{t('admin.imports.hint')}</p>
        </Upload.Dragger>
      </Card>
      {id && imp.isError && <Result status="warning" title={problemMessage(t, imp.error)} />}
      {d && (
        <Card title={`${t('admin.imports.file')}: ${d.file_name}`}>
          <Progress percent={percent} status={d.status === 'failed' ? 'exception' : finished ? (d.failed ? 'normal' : 'success') : 'active'}
            aria-label={t('admin.imports.progress')} />
          <Typography.Paragraph role="status">{t(`admin.imports.status.${d.status}`)}</Typography.Paragraph>
          <Space size="large" wrap style={{ marginBottom: 16 }}>
            <Statistic title={t('admin.imports.total')} value={d.total} />
            <Statistic title={t('admin.imports.created')} value={d.created} />
            <Statistic title={t('admin.imports.updated')} value={d.updated} />
            <Statistic title={t('admin.imports.unchanged')} value={d.unchanged} />
            <Statistic title={t('admin.imports.failed')} value={d.failed} valueStyle={d.failed ? { color: '#cf1322' } : undefined} />
          </Space>
          {finished && d.failed > 0 && (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('admin.imports.some_failed', { n: d.failed })}
              action={<Button href={`/api/v1/imports/${d.id}/failed.xlsx`} download>{t('admin.imports.download_failed')}</Button>} />
          )}
          {d.errors_truncated && <Alert type="info" showIcon title={t('admin.imports.truncated')} style={{ marginBottom: 12 }} />}
          {(d.errors?.length ?? 0) > 0 && (
            <Table<ImportError>
              rowKey={(e) => `${e.row}-${e.field}-${e.message}`} dataSource={d.errors ?? []} size="small" pagination={{ pageSize: 50, hideOnSinglePage: true }}
              caption={t('admin.imports.errors')}
              columns={[
                { title: t('admin.imports.row'), dataIndex: 'row', width: 80, render: (r) => (r ? r : t('admin.imports.whole_file')) },
                { title: t('admin.imports.column'), key: 'col', render: (_, e) => e.column || e.field },
                { title: t('admin.imports.problem'), dataIndex: 'message', render: (m: string) => (t.lang === 'en' ? m : (
                  <span>{fieldMessage(t, m)} <Typography.Text type="secondary">（{m}）</Typography.Text></span>)) },
              ]}
            />
          )}
          {finished && d.failed === 0 && d.status === 'done' && <Alert type="success" showIcon title={t('admin.imports.all_ok')} />}
        </Card>
      )}
    </div>
  );
}
