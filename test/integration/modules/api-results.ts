/** How API tests name what they create (fresh ids) and read what a call returns (objects with ids). */
import type { JsonValue } from '../../../src/objectdb';

/** An object as a list API returns it. */
export type Obj = Record<string, JsonValue> & { id: string };

/** A call's result as the list of objects it is. */
export const list = (v: unknown) => v as Obj[];

let seq = 0;
/** A fresh id per call, so tests never collide in a shared store. */
export const uid = (prefix: string) => `${prefix}-${process.pid}-${++seq}`;
