// The officer's home: the department inbox, red first, then everything else waiting on us, and the
// co-handling opinions our department owes other departments' tickets.
import { Card, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { EnterpriseData } from '../components/EnterpriseData';
import { useT } from '../i18n';
import { useUser } from '../shell/session';
import { NodesOwed } from '../plans/NodesOwed'; // not the barrel: it would bring the Gantt's charts
import { OpinionsOwed } from './OpinionsOwed';
import { TicketTable } from './TicketTable';

export default function OfficerHome() {
  const t = useT();
  const me = useUser();
  return (
    <EnterpriseData>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('home.officer')}</Typography.Title>
          <Typography.Text type="secondary">{t('tickets.home.officer.sub')}</Typography.Text>
        </div>
        <Card size="small" title={t('common.light.red')} extra={<Link to="/tickets?mine=true&light=red">{t('tickets.home.all')}</Link>}>
          <TicketTable compact filters={{ mine: true, light: 'red', sort: 'due' }} testId="inbox-red" />
        </Card>
        <Card size="small" title={t('tickets.home.officer')} extra={<Link to="/tickets?mine=true&sort=due">{t('tickets.home.all')}</Link>}>
          <TicketTable compact later filters={{ mine: true, sort: 'due' }} filter={(tk) => tk.light !== 'red'} testId="inbox" />
        </Card>
        <Card size="small" title={t('tickets.home.opinions')} extra={<Typography.Text type="secondary">{t('tickets.home.opinions.sub')}</Typography.Text>}>
          <OpinionsOwed department={me.department_id} testId="opinions-owed" />
        </Card>
        <Card size="small" title={t('tickets.home.nodes')} extra={<Typography.Text type="secondary">{t('tickets.home.opinions.sub')}</Typography.Text>}>
          <NodesOwed department={me.department_id} />
        </Card>
      </Space>
    </EnterpriseData>
  );
}
