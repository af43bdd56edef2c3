// The supervision screens' API hooks (监督统计): every call goes through the generated client.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api, type Schemas } from '../api/client';
import { ifMatch, unwrap, unwrapTagged, type Tagged } from '../api/query';

export type Overview = Schemas['OverviewBody'];
export type TicketStats = Schemas['TicketStatsBody'];
export type DepartmentStats = Schemas['DepartmentStatsBody'];
export type StewardStats = Schemas['StewardStatsBody'];
export type MonthStats = Schemas['MonthStatsBody'];
export type Scorecard = Schemas['ScorecardBody'];
export type ScorecardRow = Schemas['ScorecardRowBody'];
export type ScorecardSettings = Schemas['ScorecardSettingsOut'];
export type ScorecardSettingsInput = Schemas['ScorecardSettingsBody'];

/** Period is a month as the statistics take it: from its first day to the day after its last (or tomorrow, this month). */
export type Period = { from: string; to: string };

export function periodOf(month: string): Period {
  const first = dayjs(`${month}-01`);
  const next = first.add(1, 'month');
  const tomorrow = dayjs().add(1, 'day').startOf('day');
  return { from: first.format('YYYY-MM-DD'), to: (next.isAfter(tomorrow) ? tomorrow : next).format('YYYY-MM-DD') };
}

/** currentMonth is this month as YYYY-MM. */
export const currentMonth = () => dayjs().format('YYYY-MM');

/** isMonth says whether s is a month YYYY-MM the pages accept from the URL. */
export const isMonth = (s?: string | null): s is string => !!s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

export const useOverview = (p: Period) => useQuery({
  queryKey: ['stats', 'overview', p],
  queryFn: () => unwrap(api.GET('/api/v1/stats/overview', { params: { query: p } })),
});

export const useDepartmentStats = (p: Period) => useQuery({
  queryKey: ['stats', 'departments', p],
  queryFn: async () => (await unwrap(api.GET('/api/v1/stats/departments', { params: { query: p } }))).items ?? [],
});

export const useStewardStats = (p: Period) => useQuery({
  queryKey: ['stats', 'stewards', p],
  queryFn: async () => (await unwrap(api.GET('/api/v1/stats/stewards', { params: { query: p } }))).items ?? [],
});

export const useTrends = (months: number) => useQuery({
  queryKey: ['stats', 'trends', months],
  queryFn: async () => (await unwrap(api.GET('/api/v1/stats/trends', { params: { query: { months } } }))).items ?? [],
});

export const useScorecard = (month: string) => useQuery({
  queryKey: ['stats', 'scorecard', month],
  queryFn: () => unwrap(api.GET('/api/v1/stats/scorecard', { params: { query: { month } } })),
});

export const useScorecardSettings = () => useQuery({
  queryKey: ['settings', 'scorecard'],
  queryFn: () => unwrapTagged(api.GET('/api/v1/settings/scorecard')),
});

export const useSaveScorecardSettings = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ current, body }: { current: Tagged<ScorecardSettings>; body: ScorecardSettingsInput }) =>
      unwrapTagged(api.PUT('/api/v1/settings/scorecard', { params: { header: ifMatch(current) }, body })),
    onSuccess: (saved) => {
      qc.setQueryData(['settings', 'scorecard'], saved);
      void qc.invalidateQueries({ queryKey: ['stats', 'scorecard'] });
    },
  });
};

/** reportURL is where the month's report (营商环境监督通报, .xlsx) downloads from. */
export const reportURL = (month: string) => `/api/v1/reports/monthly?month=${encodeURIComponent(month)}`;
