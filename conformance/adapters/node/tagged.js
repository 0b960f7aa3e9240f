'use strict';
// Writes a JavaScript value, as an npm plist reader returned it, in entsig's tagged JSON
// (conformance/ADAPTERS.md). What the value is decides its tag, never what the input held:
//
//   boolean                 bool
//   bigint                  integer, exactly (outside -2^63..2^64-1: unrepresentable)
//   number                  integer when it is whole, not -0 and within the integer range, with
//                           the exact value of the double (a reader that returns numbers cannot
//                           tell <real>2</real> from <integer>2</integer>, nor keep 2^53+1);
//                           otherwise real, in the shortest text that reads back to it
//   string                  string (a lone UTF-16 surrogate: unrepresentable)
//   Buffer, typed array,    data, standard base64
//   ArrayBuffer
//   Date                    date; an invalid Date is unrepresentable
//   a peer's integer class  integer, exactly (options.integerValue gives it as a BigInt)
//   a peer's UID class      uid (options.uidValue says which objects those are; a negative
//                           one is unrepresentable)
//   array                   array (a hole is undefined: unrepresentable)
//   plain object            dict, over its own enumerable keys
//   null, undefined, other  unrepresentable, naming what it was
//
// The walk uses an explicit stack: 5000 nested arrays are ordinary input, and a stack overflow
// in this code must not look like the peer's.

const INT_MIN = -(2n ** 63n);
const UINT_MAX = 2n ** 64n - 1n;
const EPOCH_2001_MS = Date.UTC(2001, 0, 1);

class Unrepresentable extends Error {}

function scalar(type, text) {
  return '{"type":"' + type + '","value":' + JSON.stringify(text) + '}';
}

function integerText(big) {
  if (big < INT_MIN || big > UINT_MAX) throw new Unrepresentable('integer outside the schema\'s range');
  return scalar('integer', big.toString());
}

function realText(x) {
  if (Number.isNaN(x)) return scalar('real', 'nan');
  if (x === Infinity) return scalar('real', 'inf');
  if (x === -Infinity) return scalar('real', '-inf');
  if (Object.is(x, -0)) return scalar('real', '-0.0');
  return scalar('real', String(x));  // shortest round-trip text; "1e+21" is a JSON number
}

function numberText(x) {
  if (Number.isInteger(x) && !Object.is(x, -0)) {
    const big = BigInt(x);
    if (big >= INT_MIN && big <= UINT_MAX) return scalar('integer', big.toString());
  }
  return realText(x);
}

// YYYY-MM-DDTHH:MM:SS[.digits]Z for years 1-9999, else seconds since 2001 as a real.
function dateText(d) {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new Unrepresentable('invalid Date');
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) return realText((ms - EPOCH_2001_MS) / 1000);
  const iso = d.toISOString();  // YYYY-MM-DDTHH:MM:SS.sssZ for these years
  const fraction = iso.slice(19, 23).replace(/\.?0+$/, '');
  return scalar('date', iso.slice(0, 19) + fraction + 'Z');
}

function bytesOf(value) {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return null;
}

function isPlainObject(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// A leaf's text, or null when the value is a container.
function leafText(value, options) {
  switch (typeof value) {
    case 'boolean': return scalar('bool', value ? 'true' : 'false');
    case 'bigint': return integerText(value);
    case 'number': return numberText(value);
    case 'string':
      if (!value.isWellFormed()) throw new Unrepresentable('string with a lone surrogate');
      return scalar('string', value);
    case 'undefined': throw new Unrepresentable('undefined');
    case 'object': break;
    default: throw new Unrepresentable(typeof value);
  }
  if (value === null) throw new Unrepresentable('null');
  const bytes = bytesOf(value);
  if (bytes) return scalar('data', bytes.toString('base64'));
  if (value instanceof Date) return dateText(value);
  const integer = options.integerValue ? options.integerValue(value) : undefined;
  if (integer !== undefined) return integerText(integer);
  const uid = options.uidValue ? options.uidValue(value) : undefined;
  if (uid !== undefined) {
    if (!Number.isInteger(uid) && typeof uid !== 'bigint') throw new Unrepresentable('UID holding ' + String(uid));
    if (uid < 0 || BigInt(uid) > UINT_MAX) throw new Unrepresentable('UID ' + String(uid));
    return scalar('uid', BigInt(uid).toString());
  }
  if (Array.isArray(value) || isPlainObject(value)) return null;
  throw new Unrepresentable((value.constructor && value.constructor.name) || 'object');
}

// The tagged JSON text of `root`. Throws Unrepresentable for cycles and values with no form.
function toTagged(root, options = {}) {
  const out = [];
  const path = new Set();  // containers being written: seeing one again is a cycle
  // Each frame: a container, its entries ([key, value] or [undefined, value]) and the next index.
  const stack = [];
  const enter = (value) => {
    const text = leafText(value, options);
    if (text !== null) return out.push(text);
    if (path.has(value)) throw new Unrepresentable('cycle');
    path.add(value);
    const isArray = Array.isArray(value);
    const entries = [];
    if (isArray) {
      for (let i = 0; i < value.length; i++) entries.push([undefined, value[i]]);
    } else {
      for (const key of Object.keys(value)) entries.push([key, value[key]]);
    }
    out.push(isArray ? '{"type":"array","value":[' : '{"type":"dict","value":{');
    stack.push({ value, isArray, entries, next: 0 });
  };
  enter(root);
  while (stack.length) {
    const frame = stack[stack.length - 1];
    if (frame.next === frame.entries.length) {
      out.push(frame.isArray ? ']}' : '}}');
      path.delete(frame.value);
      stack.pop();
      continue;
    }
    const [key, value] = frame.entries[frame.next];
    if (frame.next++) out.push(',');
    if (key !== undefined) {
      if (!key.isWellFormed()) throw new Unrepresentable('key with a lone surrogate');
      out.push(JSON.stringify(key) + ':');
    }
    enter(value);
  }
  return out.join('');
}

module.exports = { toTagged, Unrepresentable };
