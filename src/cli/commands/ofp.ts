/**
 * `vlcp-ts ofp decode` / `vlcp-ts ofp encode`: OpenFlow messages between hex and JSON, one
 * per line, for operators and tests. `decode` then `encode` gives back the input bytes.
 * A line that cannot be read stops the command with an error naming the line (exit 1).
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { toJson } from '../../openflow/codec';
import { decodeMessage, encodeMessage, type VersionedMessage } from '../../openflow/messages';

export class LineError extends Error {
  override readonly name = 'LineError';
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

/** One hex line (whitespace and an optional 0x ignored) to one JSON line. */
export function decodeLine(text: string, line: number): string {
  const hex = text.replace(/\s+/g, '').replace(/^0x/i, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new LineError(line, 'not an even number of hex digits');
  try {
    const { version, message } = decodeMessage(Buffer.from(hex, 'hex'));
    return JSON.stringify({ version, ...(toJson(message) as object) });
  } catch (e) {
    throw new LineError(line, (e as Error).message);
  }
}

/** One JSON line (as `decode` writes it) to one hex line. */
export function encodeLine(text: string, line: number): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new LineError(line, `not JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LineError(line, 'expected a JSON object with "version" and "type"');
  }
  const { version, ...rest } = value as Record<string, unknown>;
  if (typeof version !== 'number')
    throw new LineError(line, '"version" must be the wire version number (1 or 4)');
  // hello carries its own version field; every other message takes it from the header.
  const message = rest.type === 'hello' ? { ...rest, version } : rest;
  try {
    return encodeMessage({ version, message } as VersionedMessage).toString('hex');
  } catch (e) {
    throw new LineError(line, (e as Error).message);
  }
}

async function eachLine(convert: (text: string, line: number) => string): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const text of rl) {
    n++;
    if (text.trim() === '') continue;
    process.stdout.write(`${convert(text, n)}\n`);
  }
}

export function registerOfp(program: Command): void {
  const ofp = program.command('ofp').description('OpenFlow messages between hex and JSON (docs/openflow.md)');
  ofp
    .command('decode')
    .description('read hex messages from stdin, one per line; write one JSON object per line')
    .action(() => eachLine(decodeLine));
  ofp
    .command('encode')
    .description('read JSON objects (as decode writes them) from stdin; write one hex message per line')
    .action(() => eachLine(encodeLine));
  for (const c of ofp.commands) c.exitOverride();
  ofp.exitOverride();
}
