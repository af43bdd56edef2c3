// English words of this feature (the Chinese table in i18n.ts names the keys).
import type zh from './i18n';

const en: Record<keyof typeof zh, string> = {
  'error.generic': 'Something went wrong; please try again later. If you need help, quote {id}.',
  'error.offline': 'No network: check the connection and try again.',
  'error.validation_failed': 'Some fields need correcting: see the notes beside them.',
  'error.unauthenticated': 'Your session has ended; please log in again.',
  'error.forbidden': 'You may not do this.',
  'error.not_found': 'Not found: it may have been removed, or you may not see it.',
  'error.conflict': 'This conflicts with an existing record.',
  'error.invalid_transition': 'This cannot be done in the current state; reload to see it.',
  'error.version_mismatch': 'Someone else has updated this record.',
  'error.precondition_required': 'Please reload the page and try again.',
  'error.locked': 'The account is locked; ask an administrator to unlock it.',
  'error.too_many_requests': 'Too many attempts; please wait a little and try again.',
  'error.unavailable': 'The system is unavailable for a moment; please try again later.',
  'error.internal': 'Something went wrong; please try again later. If you need help, quote {id}.',
  'error.opinions_pending': 'A co-handling department has not given its opinion yet.',
  'error.field.required': 'Required',
  'error.field.invalid': 'Please check this field',
  'error.field.too_long': 'Too long',
  'error.field.future': 'Cannot be in the future',
  'error.field.credit_code': 'Not a valid unified social credit code',
  'error.field.password': 'The password does not meet the rules',
  'error.reload': 'Reload',
  'error.retry': 'Retry',
};

export default en;
