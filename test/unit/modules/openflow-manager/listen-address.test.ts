import { listenEndpoint } from '../../../../src/modules/openflow-manager';
import { ConfigError } from '../../../../src/modules/runtime';

describe('OpenFlow listen addresses', () => {
  it.each([
    ['0.0.0.0:6653', 'ptcp:6653:0.0.0.0'],
    ['6653', 'ptcp:6653'],
    ['127.0.0.1:0', 'ptcp:0:127.0.0.1'],
    ['[::1]:6653', 'ptcp:6653:::1'],
    ['ptcp:6653', 'ptcp:6653'],
    ['punix:/run/of.sock', 'punix:/run/of.sock'],
  ])('%s means %s', (text, endpoint) => {
    expect(listenEndpoint(text, 'k')).toBe(endpoint);
  });

  it.each([['0.0.0.0:70000'], ['tcp:1.2.3.4:6653'], ['host:'], ['']])('refuses %j naming the key', (text) => {
    expect(() => listenEndpoint(text, 'module.openflowmanager.listen')).toThrow(ConfigError);
    expect(() => listenEndpoint(text, 'module.openflowmanager.listen')).toThrow(
      /module.openflowmanager.listen/,
    );
  });
});
