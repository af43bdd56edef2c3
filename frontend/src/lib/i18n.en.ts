// English words of this feature (the Chinese table in i18n.ts names the keys).
import type zh from './i18n';

const en: Record<keyof typeof zh, string> = {
  'common.loading': 'Loading…',
  'common.empty': 'Nothing here yet',
  'common.more': 'Load more',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.confirm': 'OK',
  'common.submit': 'Submit',
  'common.search': 'Search',
  'common.reset': 'Reset',
  'common.delete': 'Delete',
  'common.close': 'Close',
  'common.back': 'Back',
  'common.all': 'All',
  'common.view': 'View',
  'common.copy': 'Copy',
  'common.copied': 'Copied',
  'common.none': 'None',
  'common.light.green': 'Green',
  'common.light.yellow': 'Yellow',
  'common.light.red': 'Red',
  'common.light.none': 'None',
  'role.admin': 'Administrator',
  'role.dispatcher': 'Dispatcher',
  'role.leader': 'Leader',
  'role.steward': 'Steward',
  'role.officer': 'Officer',
  'role.auditor': 'Auditor',
  'role.enterprise': 'Enterprise user',
  'role.integration': 'Integration',
};

export default en;
