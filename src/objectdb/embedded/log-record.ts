/**
 * Append-only log records: [u32 length][u32 crc32 of payload][payload JSON]. A torn last
 * record (crash mid-append) fails its length or checksum and is dropped on recovery.
 */
import { crc32 } from 'node:zlib';
import { CorruptStoreError } from '../errors';
import type { Key } from '../key';

export interface LogEntry {
  readonly seq: number;
  readonly writes: ReadonlyArray<readonly [Key, string | null]>;
}

const HEADER = 8;

export function encodeRecord(entry: LogEntry): Buffer {
  const payload = Buffer.from(JSON.stringify({ s: entry.seq, w: entry.writes }));
  const buf = Buffer.allocUnsafe(HEADER + payload.length);
  buf.writeUInt32BE(payload.length, 0);
  buf.writeUInt32BE(crc32(payload), 4);
  payload.copy(buf, HEADER);
  return buf;
}

export interface DecodedLog {
  readonly entries: LogEntry[];
  /** Bytes of whole, valid records; anything after is a torn tail to cut off. */
  readonly validBytes: number;
}

export function decodeLog(file: string, buf: Buffer): DecodedLog {
  const entries: LogEntry[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < HEADER) break;
    const len = buf.readUInt32BE(off);
    const end = off + HEADER + len;
    if (end > buf.length) break;
    const payload = buf.subarray(off + HEADER, end);
    if (crc32(payload) !== buf.readUInt32BE(off + 4)) {
      // A bad record with more records after it is damage, not a torn append.
      if (end < buf.length) throw new CorruptStoreError(file, `checksum mismatch at byte ${off}`);
      break;
    }
    const parsed = JSON.parse(payload.toString('utf8')) as { s: number; w: [Key, string | null][] };
    entries.push({ seq: parsed.s, writes: parsed.w });
    off = end;
  }
  return { entries, validBytes: off };
}
