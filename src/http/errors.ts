/**
 * The one error path of the HTTP layer: handlers throw `HttpError`s (or anything else, which becomes a
 * 500); the handler answers JSON `{error: {code, message}}` under /api and an HTML page elsewhere.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { QueryError } from '../query/query-error.js';

export interface FieldProblem {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
    /** For a query that cannot be searched: the character offset at fault. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

/** Dutch titles for the error page. */
const PAGE_TITLES: Readonly<Record<number, string>> = {
  400: 'Ongeldige aanvraag',
  404: 'Niet gevonden',
  413: 'Te groot',
  431: 'Te grote aanvraag',
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const httpError = toHttpError(err);
    // 503 is a condition the service expects and answers (loading, a database away): a line, not a stack.
    if (httpError.status === 503) logger.warn({ method: req.method, url: req.originalUrl, code: httpError.code }, httpError.message);
    else if (httpError.status >= 500) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    else logger.debug({ method: req.method, url: req.originalUrl, status: httpError.status, code: httpError.code }, httpError.message);
    res.status(httpError.status);
    const { code, message, fields, position } = httpError;
    if (isApiUrl(req.originalUrl)) {
      res.json({ error: { code, message, ...(position === undefined ? {} : { position }), ...(fields ? { fields } : {}) } });
      return;
    }
    res.render('error', {
      title: PAGE_TITLES[httpError.status] ?? 'Er ging iets mis',
      // Only client errors explain themselves; a server error's message may leak internals.
      message: httpError.status < 500 ? pageMessage(httpError) : 'Er ging iets mis aan onze kant. Probeer het later opnieuw.',
      status: httpError.status,
    });
  };
}

/**
 * Whether a request target is under /api, whatever follows the path (`/api?q=`, `/api/x#y`) and in any
 * case (Express routes `/API/search` to the API too).
 */
export function isApiUrl(url: string): boolean {
  const end = url.search(/[?#]/);
  // Runs of slashes count as one (`//api/search` is still the API), as in any path.
  const path = (end < 0 ? url : url.slice(0, end)).toLowerCase().replace(/\/{2,}/g, '/');
  return path === '/api' || path.startsWith('/api/');
}

function pageMessage(error: HttpError): string {
  return error.status === 404 ? 'Deze pagina of dit artikel bestaat niet (meer).' : error.message;
}

/** Errors from Express's own middleware (body parsers) carry `status` and `type`; keep their 4xx. */
function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  // A query that cannot be searched is the client's: 400 with its code and where it went wrong.
  if (err instanceof QueryError) return new HttpError(400, err.code, err.message, undefined, err.position);
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; message?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status === 413) return new HttpError(413, 'payload_too_large', 'the request body is larger than 1 MB');
  if (e?.type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  if (status >= 400 && status < 500) {
    const code = typeof e.type === 'string' ? e.type.replace(/\./g, '_') : 'bad_request';
    return new HttpError(status, code, typeof e.message === 'string' ? e.message : 'bad request');
  }
  return new HttpError(500, 'internal', 'internal server error');
}
