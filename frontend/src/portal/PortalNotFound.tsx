// A portal address that leads nowhere: said plainly, with the way back.
import { Button, Card, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../i18n';

export default function PortalNotFound() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Card>
      <Result status="404" title={t('portal.notFound.title')} subTitle={t('portal.notFound.text')}
        extra={<Button type="primary" size="large" onClick={() => navigate('/portal')}>{t('portal.notFound.home')}</Button>} />
    </Card>
  );
}
