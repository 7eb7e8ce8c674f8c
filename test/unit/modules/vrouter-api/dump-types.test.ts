import { withRouterTypes } from '../../../../src/modules/vrouter-api/dump-types';

describe('router types in dumps', () => {
  it("names routers and interfaces with VLCP's classes wherever they appear, and leaves others alone", () => {
    const dump = [
      {
        _type: 'vlcp.utils.dataobject.DataObject',
        _key: 'vrouterapi.routerport.i1',
        router: {
          _type: 'vlcp.utils.dataobject.DataObject',
          _key: 'vrouterapi.virtualrouter.r1',
          routes: [],
        },
        subnet: {
          _type: 'vlcp.utils.networkmodel.SubNet',
          _key: 'viperflow.subnet.s1',
          router: { _type: 'vlcp.utils.dataobject.DataObject', _key: 'vrouterapi.routerport.i1' },
        },
        note: { _key: 'vrouterapi.virtualroutermap.r1' },
      },
    ];
    expect(withRouterTypes(dump)).toEqual([
      {
        _type: 'vlcp.utils.networkmodel.RouterPort',
        _key: 'vrouterapi.routerport.i1',
        router: { _type: 'vlcp.utils.networkmodel.VRouter', _key: 'vrouterapi.virtualrouter.r1', routes: [] },
        subnet: {
          _type: 'vlcp.utils.networkmodel.SubNet',
          _key: 'viperflow.subnet.s1',
          router: { _type: 'vlcp.utils.networkmodel.RouterPort', _key: 'vrouterapi.routerport.i1' },
        },
        note: { _key: 'vrouterapi.virtualroutermap.r1' },
      },
    ]);
  });
});
