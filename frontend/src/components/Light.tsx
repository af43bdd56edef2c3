// Light shows a red/yellow/green light (亮灯) as a tag with its word, never by colour alone.
import { Tag } from 'antd';
import { useT } from '../i18n';

const colors: Record<string, string> = { red: 'error', yellow: 'warning', green: 'success', none: 'default' };

export function Light({ light }: { light?: string | null }) {
  const t = useT();
  const l = light ?? 'none';
  return <Tag color={colors[l] ?? 'default'}>{t(`common.light.${l}`)}</Tag>;
}
