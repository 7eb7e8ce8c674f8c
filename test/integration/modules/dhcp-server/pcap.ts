/** Frames of a classic pcap file (what netdev-dummy writes for `options:tx_pcap`). */
import { readFile } from 'node:fs/promises';

export async function readPcap(path: string): Promise<Buffer[]> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch {
    return [];
  }
  if (buf.length < 24) return [];
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4) throw new Error(`${path}: not a pcap file`);
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const frames: Buffer[] = [];
  let at = 24;
  // A record still being written is left for the next read.
  while (at + 16 <= buf.length) {
    const len = u32(at + 8);
    if (at + 16 + len > buf.length) break;
    frames.push(buf.subarray(at + 16, at + 16 + len));
    at += 16 + len;
  }
  return frames;
}
