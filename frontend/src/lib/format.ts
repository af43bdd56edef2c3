// Dates and times, in one place: Beijing time as the server means it, in the user's language.
import dayjs from 'dayjs';

export function formatDate(s?: string | null): string {
  return s ? dayjs(s).format('YYYY-MM-DD') : '';
}

export function formatDateTime(s?: string | null): string {
  return s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '';
}

/** today is the date as YYYY-MM-DD in the browser's zone (the watermark's date). */
export function today(): string {
  return dayjs().format('YYYY-MM-DD');
}
