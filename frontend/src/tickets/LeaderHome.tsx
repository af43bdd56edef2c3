// The leader's home: my red list, my portfolio's open tickets (to instruct on), links to the
// portfolio with lights (the enterprise and project pages).
import { Card, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { EnterpriseData } from '../components/EnterpriseData';
import { useT } from '../i18n';
import { PortfolioPlans } from '../plans/PortfolioPlans'; // not the barrel: it would bring the Gantt's charts
import { TicketTable } from './TicketTable';

export default function LeaderHome() {
  const t = useT();
  return (
    <EnterpriseData>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('home.leader')}</Typography.Title>
          <Space><Link to="/enterprises">{t('tickets.home.leader.portfolio')}</Link><Link to="/projects">{t('menu.projects')}</Link></Space>
        </Space>
        <Card size="small" title={t('tickets.home.leader.red')} extra={<Link to="/tickets?mine=true&light=red">{t('tickets.home.all')}</Link>}>
          <TicketTable compact filters={{ mine: true, light: 'red', sort: 'due' }} testId="leader-red" />
        </Card>
        <Card size="small" title={t('tickets.home.leader.open')} extra={<Link to="/tickets?mine=true">{t('tickets.home.all')}</Link>}>
          <TicketTable compact later filters={{ mine: true, sort: 'due' }} filter={(tk) => tk.light !== 'red'} testId="leader-open" />
        </Card>
        <Card size="small" title={t('tickets.home.leader.plans')} extra={<Link to="/projects">{t('tickets.home.all')}</Link>}>
          <PortfolioPlans />
        </Card>
      </Space>
    </EnterpriseData>
  );
}
