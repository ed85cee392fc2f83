// Request bodies: size limit, media type, and decoding of JSON, YAML or (built-in kinds) protobuf into one object.
import { jsonChar } from '../../apimachinery/jsonmember.js';
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors } from '../../apimachinery/errors.js';
import { protobufMediaType } from '../../apimachinery/protobuf/index.js';
import { builtinProtobuf } from './protobuf.js';

const maxBodyBytes = 3 * 1024 * 1024;

export const objectMediaTypes = ['application/json', 'application/yaml'];
/** what built-in kinds accept: JSON, YAML and protobuf */
export const builtinMediaTypes = [...objectMediaTypes, protobufMediaType];
export const patchMediaTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/**
 * The whole body. Read with listeners rather than an async iterator: the iterator's promise per chunk
 * and its end-of-stream machinery cost more than the body's bytes for the small bodies most requests carry.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) {
    req.resume();
    return Promise.reject(errors.requestEntityTooLarge(`Request entity too large: limit is ${maxBodyBytes}`));
  }
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  if (req.destroyed) return Promise.reject(prematureClose());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        settle();
        // as a for-await loop left by a throw: the rest is not read, the request is torn down
        req.resume();
        req.destroy();
        reject(errors.requestEntityTooLarge(`Request entity too large: limit is ${maxBodyBytes}`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      settle();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      settle();
      reject(err);
    };
    // the client went away before the body ended
    const onClose = () => {
      settle();
      reject(prematureClose());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * How deep a document may nest. Go's decoder stops at 10,000; every recursive step after decoding
 * (pruning, patches, managed fields) would need that much stack, and no Kubernetes object comes near 100.
 */
export const maxNestingDepth = 1000;

/**
 * Decodes a JSON, YAML or protobuf document; syntax errors and absurd nesting are 400s that say where.
 * Protobuf needs the built-in schema the body holds (or takes it from the envelope's kind).
 */
export function decodeDocument(body: Buffer, type: string, what = 'the request body', schemaName?: string): unknown {
  let doc: unknown;
  /** JSON's depth is counted on the bytes, far cheaper than walking the decoded tree; the others walk it */
  let walk = true;
  if (type === protobufMediaType) {
    if (!body.length) throw errors.badRequest(`${what} is empty`);
    doc = builtinProtobuf().decode(body, schemaName);
  } else {
    const text = body.toString('utf8');
    if (!text.trim()) throw errors.badRequest(`${what} is empty`);
    if (type.endsWith('yaml')) {
      try {
        doc = parseYaml(text, { maxAliasCount: 100 });
      } catch (err) {
        throw errors.badRequest(`error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
      }
    } else {
      try {
        doc = JSON.parse(text);
      } catch (err) {
        throw errors.badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
      }
      // V8's JSON.parse does not recurse, so a deep body decodes fine; only its path is worth a walk
      walk = jsonDeeperThan(body, maxNestingDepth);
    }
  }
  const deep = walk ? pathDeeperThan(doc, maxNestingDepth) : undefined;
  if (deep) throw errors.badRequest(`${what} nests deeper than ${maxNestingDepth} levels (at ${deep})`);
  return doc;
}

const { quote, backslash, openBrace, openBracket, closeBrace, closeBracket } = jsonChar;

/**
 * Whether well-formed JSON holds more than `limit` nested objects and arrays, from its bytes alone
 * (brackets inside strings do not count; UTF-8 continuation bytes never look like ASCII). A string is
 * skipped with a native search for its closing quote: bodies are mostly string data.
 */
export function jsonDeeperThan(json: Buffer, limit: number): boolean {
  // no deeper than it has brackets at all: counted by native search, this settles nearly every body
  if (bracketsAtMost(json, limit)) return false;
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (c === quote) {
      for (;;) {
        const end = json.indexOf(quote, i + 1);
        if (end < 0) return false;
        let slashes = 0;
        while (json[end - 1 - slashes] === backslash) slashes++;
        i = end;
        if (slashes % 2 === 0) break;
      }
    } else if (c === openBrace || c === openBracket) {
      if (++depth > limit) return true;
    } else if (c === closeBrace || c === closeBracket) depth--;
  }
  return false;
}

/** whether the bytes hold at most `limit` opening brackets, in strings or not */
function bracketsAtMost(json: Buffer, limit: number): boolean {
  let n = 0;
  for (const c of [openBrace, openBracket]) {
    for (let i = json.indexOf(c); i >= 0; i = json.indexOf(c, i + 1)) if (++n > limit) return false;
  }
  return true;
}

/** The path (abbreviated) of a value nested deeper than limit, found without recursion; undefined if none. */
export function pathDeeperThan(doc: unknown, limit: number): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: doc, depth: 0, path: '' }];
  while (stack.length) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limit) return path.length > 60 ? `${path.slice(0, 60)}...` : path;
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1, path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}` });
    }
  }
  return undefined;
}

export function requireObjectBody(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw errors.badRequest('the request body must be a JSON or YAML object');
  return value as Record<string, unknown>;
}
