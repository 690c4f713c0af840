/**
 * Every page of the console, one line each: where it lives (under /console/{org}/), its label in
 * the navigation (as the identity providers' set-up guides word it), the navigation section, and
 * who may open it. A page is one file in pages/.
 */
import type { ComponentType } from 'react';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuditTrailPage } from './pages/AuditTrailPage';
import { GroupsPage } from './pages/GroupsPage';
import { MembersPage } from './pages/MembersPage';
import { OverviewPage } from './pages/OverviewPage';
import { ProvisioningActivityPage } from './pages/ProvisioningActivityPage';
import { ProvisioningPage } from './pages/ProvisioningPage';
import { SettingsPage } from './pages/SettingsPage';
import { SsoPage } from './pages/SsoPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { PATHS } from './paths';

export interface PageRoute {
  /** Below /console/{org}/; '' is the organization's home. */
  path: string;
  label: string;
  /** The navigation group it is listed under; none: at the top. */
  section?: string;
  /** `manager`: hidden from other members, and answered with "managers only" if opened. */
  access: 'member' | 'manager';
  component: ComponentType;
}

export const IDENTITY = 'Identity Configuration';

export const ROUTES: PageRoute[] = [
  { path: PATHS.overview, label: 'Overview', access: 'member', component: OverviewPage },
  { path: PATHS.sso, label: 'SSO', section: IDENTITY, access: 'manager', component: SsoPage },
  {
    path: PATHS.provisioning,
    label: 'Provisioning',
    section: IDENTITY,
    access: 'manager',
    component: ProvisioningPage,
  },
  { path: PATHS.apiKeys, label: 'API Keys', access: 'manager', component: ApiKeysPage },
  { path: PATHS.members, label: 'Members', access: 'manager', component: MembersPage },
  { path: PATHS.groups, label: 'Groups', access: 'manager', component: GroupsPage },
  {
    path: PATHS.activity,
    label: 'Provisioning activity',
    access: 'manager',
    component: ProvisioningActivityPage,
  },
  { path: PATHS.webhooks, label: 'Webhooks', access: 'manager', component: WebhooksPage },
  { path: PATHS.audit, label: 'Audit trail', access: 'manager', component: AuditTrailPage },
  { path: PATHS.settings, label: 'Organization settings', access: 'manager', component: SettingsPage },
];
