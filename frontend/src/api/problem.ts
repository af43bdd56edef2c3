// The one place that turns a problem+json answer (shared/API.md "Errors") into words for a person:
// field errors go beside their form fields, codes become translated messages, anything else a calm
// "出错了" with the request id to quote. No raw server English reaches the Chinese UI.
import type { FormInstance } from 'antd';
import type { Schemas } from './client';
import type { TFunction } from '../i18n';

export type Problem = Schemas['Problem'];

/** ApiError is what every hook throws for an answer that is not 2xx (or for no answer at all). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Partial<Problem> | undefined, requestId?: string) {
    const p: Problem = {
      title: problem?.title ?? 'Error',
      status: problem?.status ?? status,
      code: problem?.code ?? codeOf(status),
      detail: problem?.detail,
      errors: problem?.errors,
      request_id: problem?.request_id ?? requestId,
    };
    super(p.detail || p.title);
    this.name = 'ApiError';
    this.status = status;
    this.problem = p;
  }
  get code() {
    return this.problem.code;
  }
  /** offline is true when the request never reached the server. */
  get offline() {
    return this.status === 0;
  }
}

function codeOf(status: number): Problem['code'] {
  switch (status) {
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 412: return 'version_mismatch';
    case 422: return 'validation_failed';
    case 423: return 'locked';
    case 428: return 'precondition_required';
    case 429: return 'too_many_requests';
    case 503: return 'unavailable';
    default: return 'internal';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/**
 * problemMessage is the sentence to show for an error. A page may pass its own wording for a
 * code (`{ locked: t('login.locked') }`); otherwise the shared table of api/i18n.ts speaks.
 */
export function problemMessage(t: TFunction, e: unknown, own: Partial<Record<string, string>> = {}): string {
  if (!isApiError(e)) return t('error.generic', { id: '-' });
  if (e.offline) return t('error.offline');
  const mine = own[e.code];
  if (mine) return mine;
  const id = e.problem.request_id || '-';
  switch (e.code) {
    case 'validation_failed':
      return t('error.validation_failed');
    case 'internal':
      return t('error.generic', { id });
    default:
      return t(`error.${e.code}`, { id });
  }
}

/** The field name of a problem's field (`body.findings[0].title` → `findings`). */
export function fieldName(field: string): (string | number)[] {
  const path = field.replace(/^body\./, '').replace(/\[(\d+)\]/g, '.$1').split('.');
  return path.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * applyFieldErrors puts each field error of a 422 beside its antd Form field. It answers the
 * errors no field of the form could show, for a message above the form. The messages stay the
 * server's (they name the rule); the translation of the field's label is the form's.
 */
export function applyFieldErrors(form: FormInstance, e: unknown, t: TFunction): string[] {
  if (!isApiError(e) || !e.problem.errors?.length) return [];
  const rest: string[] = [];
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const fe of e.problem.errors) {
    const name = fieldName(fe.field);
    if (form.getFieldInstance(name) !== undefined || hasField(form, name)) {
      fields.push({ name, errors: [fieldMessage(t, fe.message)] });
    } else rest.push(fieldMessage(t, fe.message));
  }
  form.setFields(fields);
  return rest;
}

function hasField(form: FormInstance, name: (string | number)[]) {
  try {
    return form.getFieldValue(name) !== undefined;
  } catch {
    return false;
  }
}

/**
 * fieldMessage shows the server's message in the user's language: the server writes its field
 * messages in English, so the Chinese UI says a general sentence for the patterns it knows and a
 * generic "请检查此项" otherwise.
 */
export function fieldMessage(t: TFunction, message: string): string {
  const m = message.toLowerCase();
  if (t.lang === 'en') return message;
  if (m.includes('required') || m.includes('missing') || m.includes('empty')) return t('error.field.required');
  if (m.includes('credit code')) return t('error.field.credit_code');
  if (m.includes('too long') || m.includes('at most') || m.includes('maximum')) return t('error.field.too_long');
  if (m.includes('future')) return t('error.field.future');
  if (m.includes('password')) return t('error.field.password');
  return t('error.field.invalid');
}
