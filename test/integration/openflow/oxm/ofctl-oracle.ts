/**
 * ovs-ofctl as the oracle of the OXM and Nicira tests: it encodes flows (sent to the OpenFlow
 * 1.3 fake switch, which records them), re-encodes actions, and prints our messages.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ofctlAgainst, run } from '../ovs-ofctl';
import type { FakeSwitch13 } from '../v13/fake-switch';

/**
 * Has ovs-ofctl send one OpenFlow 1.3 flow-mod per flow line to the fake switch; resolves with
 * those flow-mods in order.
 */
export async function ovsEncodeFlows(sw: FakeSwitch13, flows: readonly string[]): Promise<Buffer[]> {
  const file = join(tmpdir(), `oxm-flows-${process.pid}-${sw.port}.txt`);
  writeFileSync(file, `${flows.join('\n')}\n`);
  const before = sw.received.length;
  const r = await ofctlAgainst('OpenFlow13', sw.port, ['add-flows', 'SWITCH', file]);
  rmSync(file, { force: true });
  if (r.code !== 0) throw new Error(`ovs-ofctl add-flows failed: ${r.output}`);
  return sw.received.slice(before).filter((m) => m[1] === 14);
}

/**
 * `ovs-ofctl parse-actions VERSION`: for each line of hex actions OVS prints them, then
 * re-encodes them itself and lists the bytes where its encoding differs from the input.
 * Resolves with one entry per line: the printed actions (or OVS's error) and those diffs.
 */
export async function ovsParseActions(
  version: 'OpenFlow10' | 'OpenFlow13',
  hexLines: readonly string[],
): Promise<{ readonly text: string; readonly diffs: readonly string[] }[]> {
  const out = await new Promise<string>((resolve) => {
    const child = spawn('ovs-ofctl', ['parse-actions', version]);
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.resume();
    child.on('close', () => resolve(stdout));
    child.stdin.end(`${hexLines.join('\n')}\n`);
  });
  return out
    .split('\n\n')
    .map((block) => block.split('\n').filter((l) => l.trim() !== ''))
    .filter((lines) => lines.length > 0)
    .map(([text, ...diffs]) => ({ text: text!, diffs }));
}

/** Has ovs-ofctl print many OpenFlow messages at once (ofp-parse reads a file of them). */
export async function ovsPrint(messages: readonly Buffer[]): Promise<string[]> {
  const file = join(tmpdir(), `oxm-msgs-${process.pid}-${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(file, Buffer.concat(messages));
  const r = await run('ovs-ofctl', ['ofp-parse', file]);
  rmSync(file, { force: true });
  if (r.code !== 0) throw new Error(`ovs-ofctl ofp-parse failed: ${r.output}`);
  return r.output
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('OFPT_'));
}
