/** Each page's path below /console/{org}/, for links between pages (routes.tsx maps them to pages). */
export const PATHS = {
  overview: '',
  sso: 'identity/sso',
  provisioning: 'identity/provisioning',
  apiKeys: 'api-keys',
  members: 'members',
  groups: 'groups',
  activity: 'provisioning/activity',
  webhooks: 'webhooks',
  audit: 'audit-trail',
  settings: 'settings',
} as const;
