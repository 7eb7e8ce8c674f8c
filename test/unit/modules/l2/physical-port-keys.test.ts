/** Which physical port objects can describe a local interface, most specific first (as VLCP looks them up). */
import { physicalPortCandidates } from '../../../../src/modules/l2';

describe('physicalPortCandidates', () => {
  it('this system id and bridge first, then each wildcard, then both', () => {
    expect(physicalPortCandidates({ systemId: 'host-a', bridge: 'br0', name: 'eth1' })).toEqual([
      'viperflow.physicalport..host-a.br0.eth1',
      'viperflow.physicalport..host-a.%25.eth1',
      'viperflow.physicalport..%25.br0.eth1',
      'viperflow.physicalport..%25.%25.eth1',
    ]);
  });

  it('an OVS without a system id matches only objects for any system id', () => {
    expect(physicalPortCandidates({ systemId: undefined, bridge: 'br0', name: 'eth1' })).toEqual([
      'viperflow.physicalport..%25.br0.eth1',
      'viperflow.physicalport..%25.%25.eth1',
    ]);
  });

  it('names are escaped like viperflow keys, so a dotted name cannot reach another key', () => {
    expect(physicalPortCandidates({ systemId: 'h.1', bridge: 'br0', name: 'eth1.100' })[0]).toBe(
      'viperflow.physicalport..h%2E1.br0.eth1%2E100',
    );
  });
});
