/**
 * Typed events with declared index fields.
 *
 * An event type names its fields and the order of its index fields. A matcher fixes the
 * values of some index fields; the leading run of fixed fields (in index order) is the key
 * the dispatcher looks matchers up by, so the cost of delivering an event does not depend on
 * how many unrelated matchers are waiting. Fields fixed after a gap, and an optional filter,
 * are checked only on the matchers the index already selected.
 */

/** Index values are compared with SameValueZero (Map semantics), so use primitives. */
export type IndexValue = string | number | bigint | boolean | null | undefined;

export interface Event {
  readonly type: string;
}

export type EventOf<T extends string, F extends object> = Readonly<{ type: T } & F>;

/** Method syntax makes the parameter bivariant, so a Matcher<Specific> is a Matcher<Event>. */
type EventTest<E> = { check(event: E): boolean }['check'];

export interface Matcher<E extends Event = Event> {
  readonly type: string;
  /** Values of the leading index fields this matcher fixes, in index order. */
  readonly key: readonly IndexValue[];
  /** Checks what the key cannot: fields fixed after a gap and the caller's filter. */
  readonly test: EventTest<E> | undefined;
  /** Default priority of events of this type (used by the scheduler's queue). */
  readonly description: string;
}

export interface EventTypeOptions {
  /** Lower is dispatched first. Default: Priority.NORMAL. */
  readonly priority?: number;
}

export const Priority = {
  CRITICAL: 0,
  HIGH: 10,
  NORMAL: 50,
  LOW: 90,
} as const;

type IndexPrefix<F, K extends keyof F> = Partial<Pick<F, K>>;

export interface EventType<T extends string, F extends object, K extends keyof F & string> {
  readonly type: T;
  readonly index: readonly K[];
  readonly priority: number;
  create(fields: F): EventOf<T, F>;
  /** A matcher fixing the given index fields (any subset; a leading run is indexed). */
  match(fixed?: IndexPrefix<F, K>, filter?: (event: EventOf<T, F>) => boolean): Matcher<EventOf<T, F>>;
  is(event: Event): event is EventOf<T, F>;
}

/** Internal: where the dispatcher reads an event's priority and index values from. */
export interface EventTypeInfo {
  readonly priority: number;
  readonly index: readonly string[];
}

const registry = new Map<string, EventTypeInfo>();

/** The declared index and priority of a type, or undefined for an undeclared type. */
export function eventTypeInfo(type: string): EventTypeInfo | undefined {
  return registry.get(type);
}

export class EventTypeError extends Error {
  override readonly name = 'EventTypeError';
  constructor(
    readonly eventType: string,
    message: string,
  ) {
    super(`event type ${eventType}: ${message}`);
  }
}

/**
 * Declares an event type. Curried so the fields are given as a type argument while the
 * name and index are inferred: `defineEvent<{ conn: string; state: 'up' | 'down' }>()('conn-state', ['conn'])`.
 */
export function defineEvent<F extends object>() {
  return <T extends string, K extends keyof F & string>(
    type: T,
    index: readonly K[],
    options: EventTypeOptions = {},
  ): EventType<T, F, K> => {
    if (registry.has(type)) throw new EventTypeError(type, 'declared twice');
    if (new Set(index).size !== index.length) throw new EventTypeError(type, 'index names a field twice');
    const priority = options.priority ?? Priority.NORMAL;
    const frozenIndex = Object.freeze([...index]);
    registry.set(type, { priority, index: frozenIndex });
    return {
      type,
      index: frozenIndex,
      priority,
      create(fields: F): EventOf<T, F> {
        return Object.freeze({ ...fields, type }) as EventOf<T, F>;
      },
      match(fixed = {}, filter) {
        return buildMatcher(type, frozenIndex, fixed as Readonly<Record<string, IndexValue>>, filter);
      },
      is(event: Event): event is EventOf<T, F> {
        return event.type === type;
      },
    };
  };
}

function buildMatcher<E extends Event>(
  type: string,
  index: readonly string[],
  fixed: Readonly<Record<string, IndexValue>>,
  filter: ((event: E) => boolean) | undefined,
): Matcher<E> {
  for (const name of Object.keys(fixed)) {
    if (!index.includes(name))
      throw new EventTypeError(type, `matcher fixes ${name}, which is not an index field`);
  }
  const key: IndexValue[] = [];
  let i = 0;
  for (; i < index.length && Object.hasOwn(fixed, index[i]!); i++) key.push(fixed[index[i]!]);
  // Fields fixed after the first gap cannot be looked up; check them on the selected matchers.
  const rest = index.slice(i).filter((name) => Object.hasOwn(fixed, name));
  let test = filter;
  if (rest.length > 0) {
    const values = rest.map((name) => fixed[name]);
    test = (event: E) => {
      const rec = event as unknown as Readonly<Record<string, IndexValue>>;
      for (let j = 0; j < rest.length; j++) {
        if (!Object.is(rec[rest[j]!], values[j]) && !(rec[rest[j]!] === values[j])) return false;
      }
      return filter === undefined || filter(event);
    };
  }
  const description = `${type}${key.length || rest.length ? JSON.stringify(fixed, bigintAsString) : ''}`;
  return Object.freeze({ type, key: Object.freeze(key), test, description });
}

function bigintAsString(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}
