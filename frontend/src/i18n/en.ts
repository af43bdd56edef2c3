// The English tables of every feature, one chunk loaded when English is chosen (tables.ts).
import api from '../api/i18n.en';
import shell from '../shell/i18n.en';
import common from '../lib/i18n.en';
import visits from '../visits/i18n.en';
import enterprises from '../enterprises/i18n.en';
import tickets from '../tickets/i18n.en';
import supervision from '../supervision/i18n.en';
import portal from '../portal/i18n.en';
import admin from '../admin/i18n.en';
import audit from '../audit/i18n.en';
import plans from '../plans/i18n.en';
import type { Table } from './tables';

export const enFeatures: Record<string, Table> = { api, shell, common, visits, enterprises, tickets, supervision, portal, admin, audit, plans };
