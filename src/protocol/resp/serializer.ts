/** Writes RESP values to bytes. */
import type { RespPair, RespValue } from './value';

const CRLF = '\r\n';

function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

function writeValue(v: RespValue, out: (string | Buffer)[]): void {
  switch (v.type) {
    case 'simple':
      out.push(`+${v.value}${CRLF}`);
      return;
    case 'error':
      out.push(`-${v.value}${CRLF}`);
      return;
    case 'integer':
      out.push(`:${v.value}${CRLF}`);
      return;
    case 'bulk':
      if (v.value === null) out.push(`$-1${CRLF}`);
      else out.push(`$${v.value.length}${CRLF}`, v.value, CRLF);
      return;
    case 'array':
      if (v.value === null) {
        out.push(`*-1${CRLF}`);
        return;
      }
      out.push(`*${v.value.length}${CRLF}`);
      for (const x of v.value) writeValue(x, out);
      return;
    case 'null':
      out.push(`_${CRLF}`);
      return;
    case 'boolean':
      out.push(`#${v.value ? 't' : 'f'}${CRLF}`);
      return;
    case 'double':
      out.push(`,${formatDouble(v.value)}${CRLF}`);
      return;
    case 'bignum':
      out.push(`(${v.value}${CRLF}`);
      return;
    case 'bulkError':
      out.push(`!${v.value.length}${CRLF}`, v.value, CRLF);
      return;
    case 'verbatim':
      out.push(`=${v.value.length + 4}${CRLF}${v.format}:`, v.value, CRLF);
      return;
    case 'map':
      out.push(`%${v.value.length}${CRLF}`);
      writePairs(v.value, out);
      return;
    case 'set':
      out.push(`~${v.value.length}${CRLF}`);
      for (const x of v.value) writeValue(x, out);
      return;
    case 'attribute':
      out.push(`|${v.attributes.length}${CRLF}`);
      writePairs(v.attributes, out);
      writeValue(v.value, out);
      return;
    case 'push':
      out.push(`>${v.value.length}${CRLF}`);
      for (const x of v.value) writeValue(x, out);
      return;
  }
}

function writePairs(pairs: readonly RespPair[], out: (string | Buffer)[]): void {
  for (const [k, x] of pairs) {
    writeValue(k, out);
    writeValue(x, out);
  }
}

export function serializeResp(v: RespValue): Buffer {
  const parts: (string | Buffer)[] = [];
  writeValue(v, parts);
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}
