import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../i18n';

export default function NotFound() {
  const t = useT();
  const navigate = useNavigate();
  return <Result status="404" title={t('notfound.title')} extra={<Button type="primary" onClick={() => navigate('/')}>{t('notfound.home')}</Button>} />;
}
