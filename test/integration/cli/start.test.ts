import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupAll, createNetns, type Netns } from '../../harness';
import { type CliRun, MAIN, spawnCli } from '../controller/cli-process';

const dir = mkdtempSync(join(tmpdir(), 'vlcp-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterAll(cleanupAll);

/**
 * Runs `vlcp-ts start args`; with `netns`, inside that namespace with /run hidden, so the
 * defaults (ports 6653 and 8081, unix:/var/run/openvswitch/db.sock) touch nothing shared.
 */
function start(args: string[], netns?: Netns): CliRun {
  const [command, argv] =
    netns === undefined
      ? [process.execPath, [MAIN, 'start', ...args]]
      : [
          'ip',
          [
            'netns',
            'exec',
            netns.name,
            'sh',
            '-c',
            'mount -t tmpfs vlcp-test /run && exec "$@"',
            'sh',
            process.execPath,
            MAIN,
            'start',
            ...args,
          ],
        ];
  return spawnCli(command, argv, dir);
}

describe('vlcp-ts start', () => {
  let ns: Netns;
  beforeAll(async () => {
    ns = await createNetns('vst');
  });

  it('starts with no flags, logs as JSON, and stops cleanly on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const run = start([], ns);
      const starting = await run.waitForLog('starting');
      expect(starting.modules).toEqual([
        'core',
        'store',
        'openflowmanager',
        'flowsync',
        'pipeline',
        'viperflow',
        'vrouterapi',
        'ovsdbmanager',
        'portbinding',
        'arpresponder',
        'dhcpserver',
        'l2',
        'l3',
        'webapi',
      ]);
      expect((await run.waitForLog('store open')).url).toBe('embedded:./data');
      expect((await run.waitForLog('Web API listening')).url).toBe('http://127.0.0.1:8081');
      await run.waitForLog('started');
      run.child.kill(signal);
      expect(await run.exit).toBe(0);
      await run.waitForLog('stopped');
    }
  });

  it('applies a config file and lets flags and --set override it', async () => {
    const conf = join(dir, 'vlcp.conf');
    writeFileSync(conf, '# test\nmodule.store.url=redis://127.0.0.1:1/0\nserver.loglevel=debug\n');
    const run = start(
      [
        '--config',
        conf,
        '--store',
        `embedded:${join(dir, 'store-x')}`,
        '--set',
        'server.loglevel="info"',
        '--webapi-listen',
        '127.0.0.1:0',
      ],
      ns,
    );
    expect((await run.waitForLog('store open')).url).toBe(`embedded:${join(dir, 'store-x')}`);
    await run.waitForLog('started');
    expect(run.logs().some((l) => l.level === 20)).toBe(false);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it.each([
    [['--set', 'server.loglevel=loud'], /--set: server.loglevel: must be one of/],
    [['--set', 'module.nosuch.key=1'], /no module named nosuch/],
    [['--config', '/nonexistent/vlcp.conf'], /cannot read \/nonexistent\/vlcp.conf/],
    [['--store', 'ftp://x'], /--store: module.store.url: must be an ObjectDB URL: embedded:<dir>/],
    [['--no-such-flag'], /unknown option '--no-such-flag'/],
    [
      ['--openflow-listen', 'nonsense'],
      /--openflow-listen: module.openflowmanager.listen: "nonsense" is not a listen address/,
    ],
    [['--openflow-listen', '127.0.0.1:99999'], /--openflow-listen: .*port 99999 is out of range/],
    [['--ovsdb', 'bogus'], /--ovsdb: module.ovsdbmanager.ovsdb: endpoint "bogus": expected tcp:/],
    [['--ovsdb', 'tcp:127.0.0.1'], /--ovsdb: .*endpoint "tcp:127.0.0.1": missing port/],
    [['--webapi-listen', '127.0.0.1'], /--webapi-listen: module.webapi.listen: /],
  ])('refuses %j with exit code 2 and a message, starting nothing', async (args, pattern) => {
    // In the namespace: a refusal found late (the Web API's address) comes after other
    // modules bound their default ports and looked for the default OVSDB socket.
    const run = start(args, ns);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(pattern);
    expect(run.stdout().includes('"started"')).toBe(false);
  });

  it('reports a bad config file line with its number', async () => {
    const conf = join(dir, 'bad.conf');
    writeFileSync(conf, 'server.loglevel=info\n\nmodule.core.x=[1,\n');
    const run = start(['--config', conf]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain(`${conf}:3: module.core.x: value [1, is not valid JSON`);
  });
});
