/**
 * The SCIM endpoint a run provisions into and how to authenticate to it. Here, below both the run
 * and Roster's portal client (which builds one for Roster), so neither imports the other.
 */
export interface TargetCredentials {
  baseUrl: string;
  token?: string;
  oauth?: { clientId: string; clientSecret: string; tokenUrl?: string; issuer?: string; scope?: string };
}
