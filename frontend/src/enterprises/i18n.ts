// Enterprises and projects: lists, the 360 page, the project page.
const zh = {
  'enterprises.title': '企业',
};
const en: Record<keyof typeof zh, string> = {
  'enterprises.title': 'Enterprises',
};
export default { 'zh-CN': zh, en };
