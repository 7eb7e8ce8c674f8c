import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { coreModule } from '../../../src/modules/core/core-module';
import {
  ApiCallError,
  ConfigError,
  defineApi,
  defineModule,
  dependencyOrder,
  formatConfig,
  type ModuleDefinition,
  ModuleDependencyError,
  ModuleStartError,
  parseConfigText,
  Runtime,
  resolveConfig,
} from '../../../src/modules/runtime';

function mod(
  name: string,
  depends: string[],
  log: string[],
  opts: { failStart?: boolean } = {},
): ModuleDefinition {
  return defineModule({
    name,
    description: name,
    depends,
    config: Type.Object({ size: Type.Integer({ default: 3, minimum: 1 }) }, { additionalProperties: false }),
    create: (ctx) => ({
      start: () => {
        if (opts.failStart) throw new Error(`${name} cannot start`);
        log.push(`start ${name} size=${ctx.config.size}`);
      },
      stop: () => void log.push(`stop ${name}`),
      apis: [
        defineApi({
          name: 'echo',
          description: 'returns its parameters',
          params: Type.Object(
            { id: Type.String({ minLength: 1 }), count: Type.Optional(Type.Integer()) },
            { additionalProperties: false },
          ),
          handler: (p) => ({ id: p.id, count: p.count ?? 0, size: ctx.config.size }),
        }),
        defineApi({
          name: 'kwargs',
          description: 'accepts extra attributes',
          params: Type.Object({ id: Type.String() }, { additionalProperties: true }),
          handler: (p) => p,
        }),
      ],
    }),
  });
}

describe('module runtime', () => {
  it('starts modules after their dependencies and stops them in reverse', async () => {
    const log: string[] = [];
    const rt = new Runtime({
      modules: [mod('c', ['b'], log), mod('a', [], log), mod('b', ['a'], log)],
      config: { b: { size: 7 } },
    });
    await rt.start();
    expect(log).toEqual(['start a size=3', 'start b size=7', 'start c size=3']);
    await rt.stop();
    expect(log.slice(3)).toEqual(['stop c', 'stop b', 'stop a']);
  });

  it('any dependency order it returns respects every dependency (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 10 }), (deps) => {
        // Module i may depend only on modules with a smaller index: no cycles.
        const modules = deps.map((d, i) =>
          mod(`m${i}`, i === 0 ? [] : [...new Set(d.map((x) => `m${x % i}`))], []),
        );
        const order = dependencyOrder([...modules].reverse()).map((m) => m.name);
        modules.forEach((m) => {
          for (const d of m.depends) expect(order.indexOf(d)).toBeLessThan(order.indexOf(m.name));
        });
      }),
    );
  });

  it('reports a cycle and a missing dependency by name', () => {
    expect(() => dependencyOrder([mod('a', ['b'], []), mod('b', ['c'], []), mod('c', ['a'], [])])).toThrow(
      /cycle: a -> b -> c -> a/,
    );
    expect(() => dependencyOrder([mod('a', ['zz'], [])])).toThrow(ModuleDependencyError);
    expect(() => dependencyOrder([mod('a', ['zz'], [])])).toThrow(/a depends on zz, which is not loaded/);
  });

  it('stops the modules already started when one fails to start', async () => {
    const log: string[] = [];
    const rt = new Runtime({
      modules: [mod('a', [], log), mod('b', ['a'], log, { failStart: true }), mod('c', ['b'], log)],
    });
    const err = await rt.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleStartError);
    expect((err as Error).message).toBe('module b failed to start: b cannot start');
    expect(log).toEqual(['start a size=3', 'stop a']);
  });

  it('rejects bad config before starting anything', () => {
    const log: string[] = [];
    expect(() => new Runtime({ modules: [mod('a', [], log)], config: { a: { size: 0 } } })).toThrow(
      /module\.a\.size: must be >= 1/,
    );
    expect(() => new Runtime({ modules: [mod('a', [], log)], config: { a: { color: 'red' } } })).toThrow(
      /module\.a\.color: is not a known key/,
    );
    expect(() => new Runtime({ modules: [mod('a', [], log)], config: { b: {} } })).toThrow(ConfigError);
    expect(log).toEqual([]);
  });

  it('validates API parameters and names the one at fault', async () => {
    const rt = new Runtime({ modules: [mod('a', [], [])] });
    await rt.start();
    await expect(rt.call('a', 'echo', { id: 'x', count: 2 })).resolves.toEqual({
      id: 'x',
      count: 2,
      size: 3,
    });
    const cases: [Record<string, unknown>, RegExp, string][] = [
      [{}, /parameter id is required/, 'id'],
      [{ id: 'x', count: 'two' }, /parameter count must be of type integer/, 'count'],
      [{ id: 'x', extra: 1 }, /parameter extra is not a known parameter/, 'extra'],
      [{ id: '' }, /parameter id must NOT have fewer than 1 characters/, 'id'],
    ];
    for (const [params, pattern, parameter] of cases) {
      const err = await rt.call('a', 'echo', params).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiCallError);
      expect((err as ApiCallError).message).toMatch(pattern);
      expect((err as ApiCallError).parameter).toBe(parameter);
    }
    await expect(rt.call('a', 'kwargs', { id: 'x', color: 'red' })).resolves.toEqual({
      id: 'x',
      color: 'red',
    });
    await expect(rt.call('a', 'nope', {})).rejects.toThrow(
      /module a has no API nope \(it has: echo, kwargs\)/,
    );
    await expect(rt.call('zz', 'echo', {})).rejects.toThrow(/no module named zz/);
    await rt.stop();
  });

  it('core lists modules with their config and APIs', async () => {
    const rt = new Runtime({ modules: [coreModule, mod('a', [], [])], config: { a: { size: 5 } } });
    await rt.start();
    const list = (await rt.call('core', 'listmodules', {})) as {
      name: string;
      config: unknown;
      apis: string[];
    }[];
    expect(list.find((m) => m.name === 'a')).toMatchObject({
      config: { size: 5 },
      apis: ['echo', 'kwargs'],
      state: 'started',
    });
    await expect(rt.call('core', 'health', {})).resolves.toMatchObject({ status: 'ok' });
    await rt.stop();
  });
});

describe('configuration', () => {
  it('reads key=value lines with JSON values, comments and bare strings', () => {
    const entries = parseConfigText(
      '# a comment\n\nmodule.a.size = 4\nmodule.store.url=embedded:/var/lib/vlcp\nmodule.a.list=[1,"x"]\n',
      'vlcp.conf',
    );
    expect(entries).toEqual([
      { key: 'module.a.size', value: 4, source: 'vlcp.conf:3' },
      { key: 'module.store.url', value: 'embedded:/var/lib/vlcp', source: 'vlcp.conf:4' },
      { key: 'module.a.list', value: [1, 'x'], source: 'vlcp.conf:5' },
    ]);
  });

  it.each([
    ['module.a.size\n', /vlcp.conf:1: module.a.size: expected key=value/],
    ['x=1\n', /vlcp.conf:1: x: is not a dotted key/],
    ['# ok\nmodule.a.l=[1,\n', /vlcp.conf:2: module.a.l: value \[1, is not valid JSON/],
    ['module.a.x=\n', /has no value/],
  ])('reports %j with file and line', (text, pattern) => {
    expect(() => parseConfigText(text, 'vlcp.conf')).toThrow(pattern);
  });

  it('rejects unknown and mistyped server keys with where they came from', () => {
    expect(() => resolveConfig(parseConfigText('server.colour=1\n', 'f'))).toThrow(
      /f:1: server.colour: is not a known key/,
    );
    expect(() => resolveConfig(parseConfigText('server.loglevel=loud\n', 'f'))).toThrow(
      /f:1: server.loglevel: must be one of "fatal"/,
    );
    expect(() => resolveConfig(parseConfigText('proto.x.y=1\n', 'f'))).toThrow(/unknown key/);
    expect(resolveConfig([]).server).toEqual({ loglevel: 'info' });
  });

  it('formats any config so that it parses back the same (property)', () => {
    const key = fc.tuple(
      fc.constantFrom('module', 'server'),
      fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
      fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: key.map((k) => k.join('.')), value: fc.jsonValue() }), { maxLength: 8 }),
        (entries) => {
          const parsed = parseConfigText(formatConfig(entries), 'f').map((e) => ({
            key: e.key,
            value: e.value,
          }));
          expect(parsed).toEqual(
            entries.map((e) => ({ key: e.key, value: JSON.parse(JSON.stringify(e.value)) })),
          );
        },
      ),
    );
  });
});
