/**
 * Server-side prepared statements for every parameterized query, transparently.
 *
 * Kysely sends each query through node-postgres as an unnamed statement, which PostgreSQL parses
 * and plans anew every time. For Roster's queries the planning costs more than the execution: the
 * SCIM credential lookup (four joins) takes ~1.2 ms unnamed and ~0.25 ms prepared on the benchmark
 * machine (docs/performance.md). Naming the statement after a hash of its text makes node-postgres
 * parse it once per connection and PostgreSQL reuse the plan.
 *
 * Bounded: SQL texts depend on a query's shape, not its values, so a connection sees a few dozen;
 * past `MAX_PREPARED` per connection, new texts run unnamed as before. Statements without
 * parameters (begin, commit, select 1) are not worth preparing.
 *
 * A migration that changes a table's columns invalidates plans of `select *` statements
 * ("cached plan must not change result type", 0A000): that query fails once (a 503 with
 * Retry-After, errors.ts), and the connection then runs every query unnamed, so an older process
 * keeps working during a rolling deploy.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { isPlanInvalidated } from './errors.js';

const MAX_PREPARED = 256;

const statementName = (text: string) =>
  `roster_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;

export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  private preparing = true;

  // biome-ignore lint/suspicious/noExplicitAny: node-postgres's query() has many overloads; this forwards them all
  override query(config: any, values?: any, callback?: any): any {
    if (
      !this.preparing ||
      typeof config !== 'string' ||
      !Array.isArray(values) ||
      values.length === 0 ||
      typeof callback === 'function'
    ) {
      return super.query(config, values, callback);
    }
    const name = statementName(config);
    if (!this.prepared.has(name)) {
      if (this.prepared.size >= MAX_PREPARED) return super.query(config, values);
      this.prepared.add(name);
    }
    return (super.query({ name, text: config, values }) as Promise<pg.QueryResult>).catch(
      (error: unknown) => {
        if (isPlanInvalidated(error)) this.preparing = false;
        throw error;
      },
    );
  }
}
