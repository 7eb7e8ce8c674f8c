/**
 * The l3 module's limiter keys as the runtime reads them: defaults filled in, bad values
 * refused before anything starts, with the key named (docs/configuration.md).
 */
import { builtinModules } from '../../../../src/modules';
import { DEFAULT_ICMP_ERROR_BURST, DEFAULT_ICMP_ERROR_RATE } from '../../../../src/modules/l3';
import { Runtime } from '../../../../src/modules/runtime';

const runtime = (l3: Record<string, unknown>) => new Runtime({ modules: builtinModules, config: { l3 } });

describe('module.l3 limiter keys', () => {
  it('default to a rate of 100/s and a burst of 50 per datapath; given values are kept', () => {
    const config = (r: Runtime) => r.describe().find((m) => m.name === 'l3')?.config;
    expect(config(runtime({}))).toEqual({
      icmperrorrate: DEFAULT_ICMP_ERROR_RATE,
      icmperrorburst: DEFAULT_ICMP_ERROR_BURST,
    });
    expect(DEFAULT_ICMP_ERROR_RATE).toBe(100);
    expect(DEFAULT_ICMP_ERROR_BURST).toBe(50);
    expect(config(runtime({ icmperrorrate: 0.5, icmperrorburst: 0 }))).toEqual({
      icmperrorrate: 0.5,
      icmperrorburst: 0,
    });
  });

  it('refuses a negative rate, a fractional burst and unknown keys, naming the key', () => {
    expect(() => runtime({ icmperrorrate: -1 })).toThrow(/module\.l3\.icmperrorrate/);
    expect(() => runtime({ icmperrorburst: 1.5 })).toThrow(/module\.l3\.icmperrorburst/);
    expect(() => runtime({ icmperrorburst: '10' })).toThrow(/module\.l3\.icmperrorburst/);
    expect(() => runtime({ icmprate: 10 })).toThrow(/module\.l3\.icmprate: is not a known key/);
  });
});
