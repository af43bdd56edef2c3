// The home of roles whose pages come in part 2 (administration, audit, the enterprise portal).
import { Result } from 'antd';
import { useT } from '../i18n';
import { useUser } from './session';

export default function OtherHome() {
  const t = useT();
  const user = useUser();
  return <Result status="info" title={t('home.welcome', { name: user.display_name })} subTitle={t('home.later')} />;
}
