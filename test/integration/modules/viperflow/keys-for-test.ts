/** Key helpers for tests (the module's own, plus the map of an object key). */
import { idOfKey, mapKey, objectKey, physicalPortKey, setKey } from '../../../../src/modules/viperflow';

export { mapKey, objectKey, physicalPortKey, setKey };

export function mapKeyOfForTest(key: string): string | null {
  for (const kind of ['physicalnetwork', 'logicalnetwork', 'subnet'] as const) {
    const id = idOfKey(kind, key);
    if (id !== null) return mapKey(kind, id);
  }
  return null;
}
