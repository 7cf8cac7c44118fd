import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientErrorResponse, requestTargetOf } from '../../src/http/server.js';
import { buildApp } from '../helpers/corpus.js';
import { listenLocal } from '../helpers/server.js';

/** Sends raw bytes over a fresh connection and returns everything the server answered before closing. */
function exchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(raw);
  });
}

/** The status, headers and body of a raw HTTP answer. */
function parse(answer: string) {
  const [head, body = ''] = answer.split('\r\n\r\n', 2);
  const [statusLine, ...lines] = head!.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

describe('http server', () => {
  let server: Awaited<ReturnType<typeof listenLocal>>;
  let port: number;
  beforeAll(async () => {
    server = await listenLocal(buildApp());
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server.close());

  describe("requests Node refuses before Express sees them ('clientError')", () => {
    it('answers an over-long URL under /api with 431 and the JSON error', async () => {
      const res = await fetch(`${server.url}/api/search?q=${'a'.repeat(20_000)}`);
      expect(res.status).toBe(431);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({ error: { code: 'headers_too_large', message: 'the request line and headers are larger than 16 KB' } });
    });

    it('answers an over-long Authorization header under /api with 431 and the JSON error', async () => {
      const res = await fetch(`${server.url}/api/articles`, { method: 'POST', headers: { Authorization: `Bearer ${'x'.repeat(20_000)}` } });
      expect(res.status).toBe(431);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('headers_too_large');
    });

    it('answers an over-long page URL with 431 and a Dutch page', async () => {
      const res = await fetch(`${server.url}/?q=${'a'.repeat(20_000)}`);
      expect(res.status).toBe(431);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('De zoekopdracht of het adres is te lang.');
    });

    it('answers a malformed request under /api with 400 and the JSON error, and the server keeps serving', async () => {
      const answer = parse(await exchange(port, 'GET /api/search?q=NAVO HTTP/1.1\r\nHost: x\r\nKapotte kopregel\r\n\r\n'));
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(answer.body)).toEqual({ error: { code: 'bad_request', message: 'the request is not valid HTTP' } });
      expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
      expect((await fetch(`${server.url}/api/search?q=NAVO`)).status).toBe(200);
    });
  });

  describe('requestTargetOf', () => {
    it('reads the target of a request line, even one cut off', () => {
      expect(requestTargetOf(Buffer.from('GET /api/search?q=x HTTP/1.1\r\n'))).toBe('/api/search?q=x');
      expect(requestTargetOf(Buffer.from('GET /api/search?q=aaaa'))).toBe('/api/search?q=aaaa');
      expect(requestTargetOf(Buffer.from('\x16\x03\x01 binary'))).toBeNull();
      expect(requestTargetOf(undefined)).toBeNull();
    });
  });

  describe('clientErrorResponse', () => {
    it('is a complete HTTP answer whose length header matches its body', () => {
      const raw = clientErrorResponse({ code: 'HPE_HEADER_OVERFLOW', rawPacket: Buffer.from('GET /api?q=é') });
      const answer = parse(raw);
      expect(answer.status).toBe(431);
      expect(answer.headers.connection).toBe('close');
      expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
    });
  });
});
