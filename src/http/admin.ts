/**
 * The admin API: add, replace and delete articles, and rebuild the index. Enabled only when ADMIN_TOKEN is
 * set; every request carries `Authorization: Bearer <token>`, compared in constant time. Writes go through
 * the article store, the same path the folder watcher and the import command feed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { ArticleError, isValidArticleId, isValidDate } from '../articles/article.js';
import { StoreError, type ArticleStore } from '../articles/store.js';
import type { Indexer } from '../index/indexer.js';
import { articleJson } from './api.js';
import { HttpError } from './errors.js';
import { parseParams } from './params.js';

/** Largest request body the admin API reads. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface AdminDeps {
  /** Unset: the admin API answers 403 and says how to enable it. */
  token: string | undefined;
  store: ArticleStore;
  indexer: Indexer;
}

/**
 * Text an article file can hold: no NUL (a file read refuses it as binary content) and no lone surrogate
 * (UTF-8 cannot encode one). Checked here so the 400 names the field; the store checks the bytes again.
 */
const storableText = (required?: string) =>
  z
    .string(required === undefined ? undefined : { message: required })
    .refine((t) => !t.includes('\u0000'), { message: 'must not contain NUL characters' })
    .refine((t) => !/[\ud800-\udfff]/u.test(t), { message: 'must be valid Unicode text (it holds a lone surrogate)' });

const optionalText = (max: number) => storableText().max(max, { message: `must be at most ${max} characters` }).nullish();

const articleBody = z.strictObject({
  title: optionalText(300),
  date: storableText()
    .refine(isValidDate, { message: 'must be a real date as YYYY, YYYY-MM or YYYY-MM-DD' })
    .nullish(),
  source: optionalText(200),
  url: storableText()
    .max(2000, { message: 'must be at most 2000 characters' })
    .refine((u) => /^https?:\/\/\S+$/.test(u), { message: 'must be an http(s) URL' })
    .nullish(),
  text: storableText('is required: the paragraphs, separated by blank lines')
    .refine((t) => t.trim().length > 0, { message: 'must hold at least one paragraph' }),
});

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** 403 when the admin API is off, 401 without the right bearer token. */
function requireAdmin(token: string | undefined) {
  const expected = token === undefined ? undefined : digest(token);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!expected) throw new HttpError(403, 'admin_disabled', 'the admin API is disabled; set ADMIN_TOKEN (16 characters or more) and restart to enable it');
    const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    // Hashing both sides gives equal lengths, so the comparison time says nothing about the token.
    if (!m || !timingSafeEqual(digest(m[1]!.trim()), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="nieuwszoeker admin"');
      throw new HttpError(401, 'unauthorized', m ? 'the bearer token is wrong' : 'an Authorization: Bearer <ADMIN_TOKEN> header is required');
    }
    next();
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies only, at most MAX_BODY_BYTES, in UTF-8. The raw bytes are decoded with a fatal decoder before
 * JSON is parsed — the rule a file read applies — so invalid UTF-8 is refused (body-parser's own decoding
 * would have replaced it with U+FFFD and stored that).
 */
function jsonBody() {
  const read = express.raw({ limit: MAX_BODY_BYTES, type: () => true });
  return [
    function requireJson(req: Request, _res: Response, next: NextFunction) {
      if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the article as JSON (Content-Type: application/json)');
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        throw new HttpError(415, 'unsupported_charset', `send the body as UTF-8 (got charset ${charset})`);
      }
      next();
    },
    read,
    function parseJson(req: Request, _res: Response, next: NextFunction) {
      const bytes: unknown = req.body;
      let text: string;
      try {
        text = bytes instanceof Uint8Array ? utf8.decode(bytes) : '';
      } catch {
        throw new HttpError(400, 'invalid_utf8', 'the request body is not valid UTF-8');
      }
      try {
        req.body = text.trim() === '' ? undefined : JSON.parse(text);
      } catch {
        throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
      }
      next();
    },
  ];
}

/** The admin routes; without `deps` (or without a token) every one answers 403 before doing anything. */
export function adminRouter(deps: AdminDeps | undefined): Router {
  const router = Router();
  const admin = requireAdmin(deps?.token);
  // Only reached behind `admin`, which lets nothing through unless deps and a token exist.
  const store = () => deps!.store;
  const indexer = () => deps!.indexer;

  router.post('/articles', admin, jsonBody(), async function createArticle(req: Request, res: Response) {
    const input = parseParams(articleBody, req.body ?? {});
    const { article, seq } = await writing(res, () => store().create(input));
    receipt(res, seq).status(201).location(`/api/articles/${encodeURIComponent(article.id)}`).json(writtenJson(article, seq));
  });

  router.put('/articles/:id', admin, jsonBody(), async function replaceArticle(req: Request, res: Response) {
    const id = validId(req.params.id as string);
    const input = parseParams(articleBody, req.body ?? {});
    const { article, created, seq } = await writing(res, () => store().put(id, input));
    if (created) res.status(201).location(`/api/articles/${encodeURIComponent(article.id)}`);
    receipt(res, seq).json(writtenJson(article, seq));
  });

  router.delete('/articles/:id', admin, async function deleteArticle(req: Request, res: Response) {
    const id = validId(req.params.id as string);
    const { removed, seq } = await writing(res, () => store().remove(id));
    if (!removed) throw new HttpError(404, 'article_not_found', `no article with id "${id}"`);
    receipt(res, seq).status(204).end();
  });

  router.post('/reindex', admin, function startReindex(_req: Request, res: Response) {
    indexer().rebuild(store());
    res.status(202).location('/api/reindex').json(indexer().rebuildStatus);
  });

  router.get('/reindex', admin, function reindexStatus(_req: Request, res: Response) {
    res.json(indexer().rebuildStatus);
  });

  return router;
}

/**
 * A write's change sequence (stores with a change log), in the `X-Change-Seq` header and the body's `seq`:
 * `/api/search?after=SEQ` on any replica answers once that replica has applied it.
 */
function receipt(res: Response, seq: number | null): Response {
  if (seq !== null) res.set('X-Change-Seq', String(seq));
  return res;
}

function writtenJson(article: Parameters<typeof articleJson>[0], seq: number | null) {
  return seq === null ? articleJson(article) : { ...articleJson(article), seq };
}

function validId(id: string): string {
  if (!isValidArticleId(id)) {
    throw new HttpError(400, 'invalid_id', `"${id}" is not a valid article id (letters, digits, ".", "_", "-"; at most 128)`);
  }
  return id;
}

/**
 * Store errors about the article itself are the client's (400, naming the field when there is one); a
 * conflict in the folder is 409, a full disk 507, an unreachable database 503 with Retry-After; the rest
 * are ours (500). In every case but a database lost during COMMIT (the message says so) nothing was written.
 */
async function writing<T>(res: Response, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ArticleError) {
      const fields = error.field ? [{ field: error.field, message: error.message }] : undefined;
      throw new HttpError(400, error.field ? `invalid_${error.field}` : 'invalid_article', error.message, fields);
    }
    if (error instanceof StoreError) {
      if (error.code === 'unavailable') {
        res.set('Retry-After', '2');
        throw new HttpError(503, 'store_unavailable', error.message);
      }
      throw new HttpError(error.code === 'conflict' ? 409 : 507, error.code, error.message);
    }
    throw error;
  }
}

