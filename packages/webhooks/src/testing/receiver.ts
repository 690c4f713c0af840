/**
 * A webhook receiver for tests: a local HTTP server that verifies each request with the
 * `standardwebhooks` library, as a consumer would, and keeps what arrived. `respond` decides each
 * answer (default 204); `stop()` and `start()` take it down and bring it back on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  headers: Record<string, string>;
  body: { id: string; type: string; sequence: number; organizationId: string; data: Record<string, unknown> };
  verified: boolean;
  at: number;
}

export type Respond = (received: Received, res: ServerResponse) => void;

export class Receiver {
  readonly received: Received[] = [];
  secret: string | undefined;
  respond: Respond = (_received, res) => {
    res.writeHead(204).end();
  };
  private server: Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Distinct event ids that arrived verified. */
  verifiedIds(): Set<string> {
    return new Set(this.received.filter((r) => r.verified).map((r) => r.id));
  }

  /** Resolves once `predicate` holds (checked every 20 ms), or rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error(`timed out; received ${this.received.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const payload = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
    ) as Record<string, string>;
    let verified = false;
    try {
      if (this.secret) {
        new Webhook(this.secret).verify(payload, headers);
        verified = true;
      }
    } catch {
      verified = false;
    }
    const received: Received = {
      id: headers['webhook-id'] ?? '',
      headers,
      body: JSON.parse(payload),
      verified,
      at: Date.now(),
    };
    this.received.push(received);
    this.respond(received, res);
  }
}
