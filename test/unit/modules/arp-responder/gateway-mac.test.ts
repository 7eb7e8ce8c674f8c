import { DEFAULT_GATEWAY_MAC, gatewayMacFromConfig } from '../../../../src/modules/arp-responder';
import { ConfigError } from '../../../../src/modules/runtime';

describe('gatewayMacFromConfig', () => {
  it('takes any unicast MAC, in canonical form', () => {
    expect(gatewayMacFromConfig('0A-56-4C-00-00-02')).toBe('0a:56:4c:00:00:02');
    expect(gatewayMacFromConfig(DEFAULT_GATEWAY_MAC)).toBe(DEFAULT_GATEWAY_MAC);
  });

  it('refuses multicast, all-zero and malformed MACs, naming the key', () => {
    expect(() => gatewayMacFromConfig('01:00:5e:00:00:01')).toThrow(
      new ConfigError(
        'module.arpresponder.gatewaymac',
        '01:00:5e:00:00:01 is a multicast MAC; a gateway needs a unicast one',
      ),
    );
    expect(() => gatewayMacFromConfig('00:00:00:00:00:00')).toThrow(ConfigError);
    expect(() => gatewayMacFromConfig('02:56:4c')).toThrow(
      /module\.arpresponder\.gatewaymac: "02:56:4c" is not a MAC address/,
    );
  });
});
