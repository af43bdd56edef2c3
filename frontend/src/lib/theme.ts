// The one theme token file (STYLE.md §9). Colours meet WCAG 2.1 AA contrast on white.
import type { ThemeConfig } from 'antd';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1458d6',
    colorSuccess: '#237804',
    colorWarning: '#ad6800',
    colorError: '#c4161c',
    colorTextTertiary: 'rgba(0,0,0,0.6)',
    colorTextDescription: 'rgba(0,0,0,0.6)',
    colorTextSecondary: 'rgba(0,0,0,0.65)',
    borderRadius: 6,
    fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif",
  },
};
