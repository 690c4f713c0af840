/** Who is signed in to which organization: the queries every page shares. */
import { useQuery } from '@tanstack/react-query';
import { api, ok } from './api/client';
import { useLocation } from './router';

/** The organization of the URL (the shell renders pages only when there is one). */
export function useOrg(): string {
  const { org } = useLocation();
  if (!org) throw new Error('No organization in the URL');
  return org;
}

export function useMe(org: string) {
  return useQuery({
    queryKey: ['me', org],
    queryFn: () => ok(api.GET('/api/v1/orgs/{org}/members/me', { params: { path: { org } } })),
  });
}

export function useOrganization(org: string) {
  return useQuery({
    queryKey: ['organization', org],
    queryFn: () => ok(api.GET('/api/v1/orgs/{org}', { params: { path: { org } } })),
  });
}
