// The Chinese tables of the logged-in pages, registered when this module is first imported:
// shell/Layout and portal/PortalLayout import it, so the login route loads only its own words
// (tables.ts). A new feature adds its line here and in en.ts.
import { addChinese } from './tables';
import visits from '../visits/i18n';
import enterprises from '../enterprises/i18n';
import tickets from '../tickets/i18n';
import supervision from '../supervision/i18n';
import portal from '../portal/i18n';
import admin from '../admin/i18n';
import audit from '../audit/i18n';
import plans from '../plans/i18n';

addChinese({ visits, enterprises, tickets, supervision, portal, admin, audit, plans });
