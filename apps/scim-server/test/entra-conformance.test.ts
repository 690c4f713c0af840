/**
 * The Entra ID conformance checklist (docs/reference/entra.md#conformance-checklist, rows 1–21), one `it` per
 * row, sending the exact request shapes the Entra provisioning service and the SCIM Validator send. Runs against
 * PostgreSQL and PGlite.
 */
import { describe } from 'vitest';
import { DATABASES, useHarness } from './helpers.js';
import { entraChecklist } from './suites/entra-checklist.js';

describe.each(DATABASES)('Entra ID conformance checklist (%s)', (kind) => {
  entraChecklist(useHarness(kind));
});
