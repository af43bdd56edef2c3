// The dispatcher's home: intake (submitted), returned and accepted tickets to route, extension
// requests to rule on, and the overdue board.
import { Card, Col, Row, Typography } from 'antd';
import { Link } from 'react-router';
import { EnterpriseData } from '../components/EnterpriseData';
import { useT } from '../i18n';
import { NodesBoard } from '../plans/NodesOwed'; // not the barrel: it would bring the Gantt's charts
import { OpinionsOwed } from './OpinionsOwed';
import { TicketTable } from './TicketTable';

export default function DispatcherHome() {
  const t = useT();
  return (
    <EnterpriseData>
      <Typography.Title level={3}>{t('home.dispatcher')}</Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('tickets.home.intake')} extra={<Link to="/tickets?status=submitted">{t('tickets.home.all')}</Link>}>
            <TicketTable compact filters={{ status: 'submitted' }} testId="intake" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('tickets.home.returned')} extra={<Link to="/tickets?status=returned">{t('tickets.home.all')}</Link>}>
            <TicketTable compact later filters={{ status: 'returned' }} testId="returned" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('tickets.home.accepted')} extra={<Link to="/tickets?status=accepted">{t('tickets.home.all')}</Link>}>
            <TicketTable compact later filters={{ status: 'accepted' }} testId="accepted" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('tickets.home.extensions')}>
            <TicketTable compact later filters={{ status: 'in_progress', mine: true }} filter={(tk) => !!tk.extension} testId="extensions" />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('tickets.home.nodes.board')}>
            <NodesBoard />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('tickets.home.opinions.owed')}>
            <OpinionsOwed testId="opinions-owed" />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('tickets.home.overdue')} extra={<Link to="/tickets?light=red&sort=due">{t('tickets.home.all')}</Link>}>
            <TicketTable later filters={{ light: 'red', sort: 'due' }} testId="overdue" />
          </Card>
        </Col>
      </Row>
    </EnterpriseData>
  );
}
