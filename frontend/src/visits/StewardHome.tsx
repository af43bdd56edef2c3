// The steward's home: 走访登记, the outbox, due and overdue visits, my tickets by light, my portfolio.
import { Button, Card, Col, Empty, List, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import { unwrap } from '../api/query';
import { EnterpriseData } from '../components/EnterpriseData';
import { useT } from '../i18n';
import { formatDate } from '../lib/format';
import { useUser } from '../shell/session';
import { useCategories, useDueVisits, usePortfolio } from './hooks';
import { OutboxPanel } from './OutboxPanel';

const lights = ['red', 'yellow', 'green'] as const;

export default function StewardHome() {
  const t = useT();
  const user = useUser();
  const navigate = useNavigate();
  const due = useDueVisits(user.id);
  const portfolio = usePortfolio(user.id);
  useCategories(); // read now, so that 走访登记 has them without a network later
  const counts = useQueries({
    queries: lights.map((light) => ({
      queryKey: ['tickets', 'count', 'mine', light],
      queryFn: () => unwrap(api.GET('/api/v1/tickets', { params: { query: { mine: true, light, limit: 1, with_total: true } } })),
    })),
  });

  return (
    <EnterpriseData>
      <Typography.Title level={3}>{t('home.steward')}</Typography.Title>
      <Button type="primary" size="large" block icon={<PlusOutlined />} onClick={() => navigate('/visits/new')}
        style={{ height: 56, fontSize: 18, marginBottom: 16 }}>{t('visits.new')}</Button>
      <OutboxPanel userId={user.id} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('visits.due.title')} size="small">
            <div data-testid="due-visits">{due.isPending ? <Skeleton active /> : (
              <List
                size="small"
                dataSource={due.data ?? []}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('visits.due.none')} /> }}
                renderItem={(d) => (
                  <List.Item actions={[<Link key="v" to={`/visits/new?enterprise_id=${d.enterprise_id}`}>{t('visits.due.log')}</Link>]}>
                    <List.Item.Meta
                      title={<Link to={d.subject_type === 'project' ? `/projects/${d.subject_id}` : `/enterprises/${d.subject_id}`}>{d.subject_name}</Link>}
                      description={<>
                        <Tag color={d.state === 'overdue' ? 'error' : 'warning'}>{t(`visits.due.${d.state}`)}</Tag>
                        {t('visits.due.on', { date: formatDate(d.due_on) })}
                        {' · '}{d.last_visit_at ? t('visits.due.last', { date: formatDate(d.last_visit_at) }) : t('visits.due.never')}
                      </>}
                    />
                  </List.Item>
                )}
              />
            )}</div>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('tickets.mine')} size="small" style={{ marginBottom: 16 }}>
            <Row gutter={8}>
              {lights.map((l, i) => (
                <Col span={8} key={l}>
                  <Link to={`/tickets?mine=true&light=${l}`}>
                    <Statistic title={t(`common.light.${l}`)} value={counts[i].data?.total ?? (counts[i].isPending ? '…' : '-')}
                      styles={{ content: { color: l === 'red' ? '#c4161c' : l === 'yellow' ? '#ad6800' : '#237804' } }} />
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
          <Card title={t('visits.portfolio')} size="small"
            extra={<Link to={`/enterprises?steward_id=${user.id}`}>{t('visits.portfolio.all', { n: portfolio.data?.length ?? 0 })}</Link>}>
            {portfolio.isPending ? <Skeleton active /> : (
              <List
                size="small"
                dataSource={(portfolio.data ?? []).slice(0, 8)}
                locale={{ emptyText: t('visits.portfolio.none') }}
                renderItem={(e) => (
                  <List.Item><Link to={`/enterprises/${e.id}`}>{e.name}</Link><Typography.Text type="secondary">{e.street}</Typography.Text></List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
    </EnterpriseData>
  );
}
