// The menu of each role (DESIGN.md §6 "Who sees what first"). Part 2 adds the portal,
// supervision and administration entries.
import type { ReactNode } from 'react';
import { AuditOutlined, BankOutlined, FileTextOutlined, HomeOutlined, NodeIndexOutlined, ProjectOutlined, SolutionOutlined } from '@ant-design/icons';
import type { Role } from './session';

export type MenuEntry = { path: string; label: string; icon: ReactNode };

const home: MenuEntry = { path: '/', label: 'menu.home', icon: <HomeOutlined /> };
const visits: MenuEntry = { path: '/visits', label: 'menu.visits', icon: <SolutionOutlined /> };
const enterprises: MenuEntry = { path: '/enterprises', label: 'menu.enterprises', icon: <BankOutlined /> };
const projects: MenuEntry = { path: '/projects', label: 'menu.projects', icon: <ProjectOutlined /> };
const tickets: MenuEntry = { path: '/tickets', label: 'menu.tickets', icon: <FileTextOutlined /> };
const planTemplates: MenuEntry = { path: '/admin/plan-templates', label: 'menu.planTemplates', icon: <NodeIndexOutlined /> };
const audit: MenuEntry = { path: '/', label: 'menu.audit', icon: <AuditOutlined /> };

export const menus: Record<Role, MenuEntry[]> = {
  steward: [home, visits, enterprises, projects, tickets],
  leader: [home, enterprises, projects, tickets, visits],
  dispatcher: [home, tickets, enterprises, projects, visits],
  officer: [home, tickets],
  admin: [home, enterprises, projects, planTemplates],
  auditor: [audit],
  enterprise: [home],
  integration: [home],
};
