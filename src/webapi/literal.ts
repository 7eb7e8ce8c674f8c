/**
 * Parses the data literals VLCP clients send in backticks (`[1, 2]`, `{'a': (1, 2)}`,
 * `True`): JSON plus Python's tuples, True/False/None and single-quoted strings. A parser of
 * data only — nothing is ever evaluated.
 */

export class LiteralError extends Error {
  override readonly name = 'LiteralError';
  constructor(
    readonly text: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`${detail} at character ${offset} of \`${text.length > 60 ? `${text.slice(0, 60)}...` : text}\``);
  }
}

export type Literal = null | boolean | number | string | Literal[] | { [key: string]: Literal };

const MAX_DEPTH = 64;

export function parseLiteral(text: string): Literal {
  let pos = 0;
  const fail = (detail: string): never => {
    throw new LiteralError(text, pos, detail);
  };
  const ws = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const value = (depth: number): Literal => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    ws();
    const c = text[pos];
    if (c === undefined) return fail('unexpected end');
    if (c === '[') return sequence(']', depth);
    if (c === '(') return sequence(')', depth);
    if (c === '{') return mapping(depth);
    if (c === '"' || c === "'") return str(c);
    const word = /^[A-Za-z_]+/.exec(text.slice(pos))?.[0];
    if (word !== undefined) {
      const known: Record<string, Literal> = {
        True: true,
        true: true,
        False: false,
        false: false,
        None: null,
        null: null,
      };
      if (!(word in known)) fail(`unknown name ${word}`);
      pos += word.length;
      return known[word]!;
    }
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(pos))?.[0];
    if (num === undefined) return fail(`unexpected character ${JSON.stringify(c)}`);
    pos += num.length;
    const n = Number(num);
    if (/^[-+]?\d+$/.test(num) && !Number.isSafeInteger(n))
      fail(`integer ${num} is too large to keep exactly`);
    return n;
  };
  const sequence = (close: string, depth: number): Literal[] => {
    pos++;
    const out: Literal[] = [];
    ws();
    while (text[pos] !== close) {
      out.push(value(depth + 1));
      ws();
      if (text[pos] === ',') {
        pos++;
        ws();
      } else if (text[pos] !== close) fail(`expected , or ${close}`);
    }
    pos++;
    return out;
  };
  const mapping = (depth: number): { [key: string]: Literal } => {
    pos++;
    const out: { [key: string]: Literal } = {};
    ws();
    while (text[pos] !== '}') {
      const k = value(depth + 1);
      if (typeof k !== 'string' && typeof k !== 'number') fail('a key must be a string or a number');
      ws();
      if (text[pos] !== ':') fail('expected :');
      pos++;
      Object.defineProperty(out, String(k), {
        value: value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      ws();
      if (text[pos] === ',') {
        pos++;
        ws();
      } else if (text[pos] !== '}') fail('expected , or }');
    }
    pos++;
    return out;
  };
  const str = (quote: string): string => {
    pos++;
    let out = '';
    for (;;) {
      const c = text[pos++];
      if (c === undefined) return fail('unterminated string');
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[pos++];
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        b: '\b',
        f: '\f',
        '0': '\0',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '/': '/',
      };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === 'u' || e === 'x') {
        const len = e === 'u' ? 4 : 2;
        const hex = text.slice(pos, pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`bad \\${e} escape`);
        out += String.fromCharCode(Number.parseInt(hex, 16));
        pos += len;
      } else fail(`unknown escape \\${e ?? ''}`);
    }
  };
  const v = value(0);
  ws();
  if (pos !== text.length) fail('unexpected text after the value');
  return v;
}
