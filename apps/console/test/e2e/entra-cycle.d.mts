/** Runs the Entra ID simulator's initial cycle of `users` new users against a SCIM endpoint with a bearer token. */
export function entraInitialCycle(options: {
  baseUrl: string;
  token: string;
  users: number;
  prefix: string;
}): Promise<{ userNames: string[]; failures: string[] }>;
