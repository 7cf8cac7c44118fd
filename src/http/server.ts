/**
 * The HTTP server around the app: Node's own server, plus answers for the requests Node refuses before
 * Express sees them (`clientError`: request heads over the size limit, malformed requests, timeouts), in
 * the same shape as every other error — JSON `{error: {code, message}}` under /api, a Dutch page elsewhere.
 */
import { createServer, STATUS_CODES, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { isApiUrl } from './errors.js';

/** Why Node refused a request, as our error codes and messages. */
function describeClientError(code: string | undefined): { status: number; code: string; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: 'the request line and headers are larger than 16 KB' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', message: 'the request did not arrive in time' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'payload_too_large', message: 'the chunk extensions are too large' };
    default:
      return { status: 400, code: 'bad_request', message: 'the request is not valid HTTP' };
  }
}

/** The request target of the first line of a raw request (possibly cut off), or null. */
export function requestTargetOf(raw: Buffer | undefined): string | null {
  if (!raw) return null;
  const m = /^[A-Z]+ ([^\s]+)/.exec(raw.subarray(0, 8192).toString('latin1'));
  return m ? m[1]! : null;
}

/** The raw HTTP answer to a request Node refused. */
export function clientErrorResponse(error: { code?: string | undefined; rawPacket?: Buffer | undefined }): string {
  const { status, code, message } = describeClientError(error.code);
  const target = requestTargetOf(error.rawPacket);
  const api = target !== null && isApiUrl(target);
  const body = api
    ? JSON.stringify({ error: { code, message } })
    : `<!doctype html><html lang="nl"><meta charset="utf-8"><title>Ongeldige aanvraag – nieuwszoeker</title>` +
      `<h1>Ongeldige aanvraag</h1><p>${status === 431 ? 'De zoekopdracht of het adres is te lang.' : 'Deze aanvraag kon niet worden gelezen.'}</p>` +
      `<p><a href="/">Naar de zoekpagina</a></p></html>`;
  const type = api ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8';
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`
  );
}

/** An HTTP server for `app` that answers Node's own refusals like the app answers its errors. */
export function createHttpServer(app: RequestListener): Server {
  const server = createServer(app);
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    // A reset connection, or one whose response has begun, can take no answer.
    const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (error.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error));
  });
  return server;
}
