// The administrator's home: the administration's pages at a glance, and a warning when next
// year's holidays are not known yet (time limits reaching into it would be wrong).
import { Alert, Card, Col, Row, Typography } from 'antd';
import {
  ApartmentOutlined, ApiOutlined, CalendarOutlined, CloudUploadOutlined, DashboardOutlined, NodeIndexOutlined, SettingOutlined, TagsOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useT } from '../i18n';
import { useUser } from '../shell/session';
import { useCalendarYear } from './hooks';

const pages: { path: string; title: string; text: string; icon: ReactNode }[] = [
  { path: '/admin/users', title: 'admin.menu.users', text: 'admin.home.users', icon: <TeamOutlined /> },
  { path: '/admin/departments', title: 'admin.menu.departments', text: 'admin.home.departments', icon: <ApartmentOutlined /> },
  { path: '/admin/categories', title: 'admin.menu.categories', text: 'admin.home.categories', icon: <TagsOutlined /> },
  { path: '/admin/calendar', title: 'admin.menu.calendar', text: 'admin.home.calendar', icon: <CalendarOutlined /> },
  { path: '/admin/webhooks', title: 'admin.menu.webhooks', text: 'admin.home.webhooks', icon: <ApiOutlined /> },
  { path: '/admin/imports', title: 'admin.menu.imports', text: 'admin.home.imports', icon: <CloudUploadOutlined /> },
  { path: '/admin/plan-templates', title: 'menu.planTemplates', text: 'admin.home.planTemplates', icon: <NodeIndexOutlined /> },
  { path: '/admin/scorecard', title: 'supervision.menu.settings', text: 'admin.home.scorecard', icon: <SettingOutlined /> },
];

export default function AdminHome() {
  const t = useT();
  const me = useUser();
  const next = new Date().getFullYear() + 1;
  const cal = useCalendarYear(next);
  return (
    <div>
      <Typography.Title level={3}>{t('admin.home.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.home.hello', { name: me.display_name })}</Typography.Paragraph>
      {cal.data && !cal.data.covered && cal.data.source !== 'override' && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('admin.calendar.uncovered', { year: next })}
          action={<Link to={`/admin/calendar?year=${next}`}>{t('admin.home.enter')}</Link>} />
      )}
      <Row gutter={[16, 16]}>
        {pages.map((p) => (
          <Col key={p.path} xs={24} sm={12} lg={8}>
            <Link to={p.path} style={{ display: 'block', height: '100%' }}>
              <Card hoverable style={{ height: '100%' }} title={<span>{p.icon} {t(p.title)}</span>}>
                <Typography.Text type="secondary">{t(p.text)}</Typography.Text>
              </Card>
            </Link>
          </Col>
        ))}
        <Col xs={24} sm={12} lg={8}>
          <a href="/admin/river/" target="_blank" rel="noreferrer" style={{ display: 'block', height: '100%' }}>
            <Card hoverable style={{ height: '100%' }} title={<span><DashboardOutlined /> {t('admin.river')}</span>}>
              <Typography.Text type="secondary">{t('admin.home.river')}</Typography.Text>
            </Card>
          </a>
        </Col>
      </Row>
    </div>
  );
}
