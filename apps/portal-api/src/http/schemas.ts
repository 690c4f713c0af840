/** Schemas shared by several routes. */
import { SLUG } from '@roster/directory/organizations';
import { z } from 'zod';

export const orgParams = z.object({ org: z.string().regex(SLUG).describe('The organization slug') });

export const timestamp = z.iso.datetime().describe('ISO 8601 timestamp');
