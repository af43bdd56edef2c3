// The menu of each role (DESIGN.md §6 "Who sees what first"). Part 2 adds the portal,
// supervision and administration entries.
import type { ReactNode } from 'react';
import {
  ApartmentOutlined, ApiOutlined, AuditOutlined, BankOutlined, BarChartOutlined, CalendarOutlined, CloudUploadOutlined,
  FileTextOutlined, HomeOutlined, NodeIndexOutlined, ProjectOutlined, SettingOutlined, SolutionOutlined, TagsOutlined,
  TeamOutlined, TrophyOutlined,
} from '@ant-design/icons';
import type { Role } from './session';

export type MenuEntry = { path: string; label: string; icon: ReactNode };

const home: MenuEntry = { path: '/', label: 'menu.home', icon: <HomeOutlined /> };
const visits: MenuEntry = { path: '/visits', label: 'menu.visits', icon: <SolutionOutlined /> };
const enterprises: MenuEntry = { path: '/enterprises', label: 'menu.enterprises', icon: <BankOutlined /> };
const projects: MenuEntry = { path: '/projects', label: 'menu.projects', icon: <ProjectOutlined /> };
const tickets: MenuEntry = { path: '/tickets', label: 'menu.tickets', icon: <FileTextOutlined /> };
const audit: MenuEntry = { path: '/audit', label: 'menu.audit', icon: <AuditOutlined /> };
const adminUsers: MenuEntry = { path: '/admin/users', label: 'admin.menu.users', icon: <TeamOutlined /> };
const adminDepartments: MenuEntry = { path: '/admin/departments', label: 'admin.menu.departments', icon: <ApartmentOutlined /> };
const adminCategories: MenuEntry = { path: '/admin/categories', label: 'admin.menu.categories', icon: <TagsOutlined /> };
const adminCalendar: MenuEntry = { path: '/admin/calendar', label: 'admin.menu.calendar', icon: <CalendarOutlined /> };
const adminWebhooks: MenuEntry = { path: '/admin/webhooks', label: 'admin.menu.webhooks', icon: <ApiOutlined /> };
const adminImports: MenuEntry = { path: '/admin/imports', label: 'admin.menu.imports', icon: <CloudUploadOutlined /> };
const supervision: MenuEntry = { path: '/supervision', label: 'supervision.menu', icon: <BarChartOutlined /> };
const scorecard: MenuEntry = { path: '/supervision/scorecard', label: 'supervision.menu.scorecard', icon: <TrophyOutlined /> };
const scorecardSettings: MenuEntry = { path: '/admin/scorecard', label: 'supervision.menu.settings', icon: <SettingOutlined /> };
const planTemplates: MenuEntry = { path: '/admin/plan-templates', label: 'menu.planTemplates', icon: <NodeIndexOutlined /> };

export const menus: Record<Role, MenuEntry[]> = {
  steward: [home, visits, enterprises, projects, tickets],
  leader: [home, enterprises, projects, tickets, visits, supervision, scorecard],
  dispatcher: [home, tickets, enterprises, projects, visits, supervision, scorecard],
  officer: [home, tickets],
  // Administrators may not read the register (三权分立): configuration only.
  admin: [home, adminUsers, adminDepartments, adminCategories, adminCalendar, adminWebhooks, adminImports, planTemplates, scorecardSettings],
  auditor: [audit],
  enterprise: [home],
  integration: [home],
};
