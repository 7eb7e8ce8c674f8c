import { missFlows } from '../../../../src/modules/pipeline';
import { PIPELINE } from '../../../../src/modules/tables/pipeline';
import { planTables } from '../../../../src/modules/tables/table-plan';

describe('pipeline table misses', () => {
  const plan = planTables(PIPELINE);

  it("sends unmatched packets of each 'next' table to the table after it, at the lowest priority", () => {
    const flows = missFlows(plan);
    const passing = PIPELINE.filter((t) => t.miss === 'next').map((t) => plan.number(t.name));
    expect(flows.map((f) => f.table).sort()).toEqual(passing.sort());
    for (const f of flows) {
      expect(f.priority).toBe(0);
      expect(f.value.match.fields).toEqual([]);
      expect(f.value.instructions).toEqual([{ type: 'goto_table', tableId: f.table + 1 }]);
    }
  });

  it('never passes a packet on from a table whose miss is drop, nor past the last table', () => {
    const dropping = new Set(PIPELINE.filter((t) => t.miss !== 'next').map((t) => plan.number(t.name)));
    const last = Math.max(...plan.tables.values());
    for (const f of missFlows(plan)) {
      expect(dropping.has(f.table)).toBe(false);
      expect(f.table).toBeLessThan(last);
    }
  });
});
