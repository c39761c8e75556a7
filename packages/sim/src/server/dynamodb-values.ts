// DynamoDB's AttributeValue as it travels in AWS JSON 1.0: one member per value, naming its
// type (S, N, B, SS, NS, BS, M, L, NULL, BOOL); numbers are strings, binaries base64. Checked
// as DynamoDB checks them, numbers normalised as DynamoDB stores them, and sized as DynamoDB
// bills and limits them (sources: packages/sim/README.md, "DynamoDB").
import { SimApiError } from '../errors.js';

/** The wire form of one attribute value. */
export type AttributeValue = Record<string, unknown>;
/** An item or a key: attribute name → value. */
export type Item = Record<string, AttributeValue>;

export const VALIDATION = 'com.amazon.coral.validate#ValidationException';
export const SERIALIZATION = 'com.amazon.coral.service#SerializationException';

const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;
/** Documents nest at most 32 levels. */
const MAX_DEPTH = 32;
/** A Number keeps up to 38 significant digits; magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125. */
const MAX_DIGITS = 38;
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;

export function validation(message: string): SimApiError {
  return new SimApiError(VALIDATION, message);
}

function serialization(message: string): SimApiError {
  return new SimApiError(SERIALIZATION, message);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A number as DynamoDB keeps it: leading and trailing zeros trimmed, in plain notation; its
 * size is one byte per two significant digits plus one.
 */
export function normalizeNumber(text: unknown, path: string): { text: string; size: number } {
  if (typeof text !== 'string') throw serialization(`NUMBER_VALUE must be a string at ${path}`);
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw validation(`The parameter cannot be converted to a numeric value: ${text} (at ${path})`);
  const sign = m[1] === '-' ? '-' : '';
  const raw = `${m[2]}${m[3] ?? ''}`;
  // value = 0.raw × 10^point
  let point = m[2]!.length + Number(m[4] ?? '0');
  const lead = raw.length - raw.replace(/^0+/, '').length;
  const digits = raw.slice(lead).replace(/0+$/, '');
  point -= lead;
  if (digits === '') return { text: '0', size: 2 };
  if (digits.length > MAX_DIGITS) throw validation(`Attempting to store more than 38 significant digits in a Number (at ${path})`);
  // The leading digit's power of ten is point - 1.
  if (point - 1 > MAX_EXPONENT) throw validation(`Number overflow. Attempting to store a number with magnitude larger than supported range (at ${path})`);
  if (point - 1 < MIN_EXPONENT) throw validation(`Number underflow. Attempting to store a number with magnitude smaller than supported range (at ${path})`);
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = `${digits}${'0'.repeat(point - digits.length)}`;
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return { text: `${sign}${plain}`, size: Math.ceil(digits.length / 2) + 1 };
}

/** Base64 as the SDK sends a binary; returns its raw length. */
function binaryLength(text: unknown, path: string): number {
  if (typeof text !== 'string') throw serialization(`BLOB_VALUE must be a base64 string at ${path}`);
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw serialization(`Base64 encoded value is malformed at ${path}`);
  return Buffer.from(text, 'base64').length;
}

function stringValue(text: unknown, path: string): string {
  if (typeof text !== 'string') throw serialization(`STRING_VALUE must be a string at ${path}`);
  return text;
}

const SET_NAMES: Record<string, string> = { SS: 'string', NS: 'number', BS: 'binary' };

function setOf(type: 'SS' | 'NS' | 'BS', raw: unknown, path: string): { value: string[]; size: number } {
  if (!Array.isArray(raw)) throw serialization(`${type} must be a list at ${path}`);
  if (raw.length === 0) throw validation(`One or more parameter values were invalid: An ${SET_NAMES[type]} set  may not be empty (at ${path})`);
  let size = 0;
  const value = raw.map((member, i) => {
    const at = `${path}[${i}]`;
    if (type === 'SS') return (size += Buffer.byteLength(stringValue(member, at))), member as string;
    if (type === 'BS') return (size += binaryLength(member, at)), member as string;
    const n = normalizeNumber(member, at);
    size += n.size;
    return n.text;
  });
  if (new Set(value).size !== value.length) throw validation(`One or more parameter values were invalid: Input collection [${value.join(', ')}] contains duplicates. (at ${path})`);
  return { value, size };
}

/**
 * Checks one AttributeValue and gives it back as DynamoDB stores it, with its size in bytes
 * (its name not included).
 */
export function checkValue(raw: unknown, path: string, depth = 1): { value: AttributeValue; size: number } {
  if (!isObject(raw)) throw serialization(`An AttributeValue must be an object at ${path}`);
  const set = Object.keys(raw).filter((k) => raw[k] !== undefined && raw[k] !== null);
  if (set.length === 0) throw validation(`Supplied AttributeValue is empty, must contain exactly one of the supported datatypes (at ${path})`);
  if (set.length > 1) throw validation(`Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes (at ${path})`);
  const type = set[0]!;
  const v = raw[type];
  if (!(TYPES as readonly string[]).includes(type)) throw serialization(`Unknown AttributeValue type ${type} at ${path}`);
  if (depth > MAX_DEPTH) throw validation(`Nesting Levels have exceeded supported limits (at ${path})`);
  switch (type) {
    case 'S':
      return { value: { S: stringValue(v, path) }, size: Buffer.byteLength(v as string) };
    case 'N': {
      const n = normalizeNumber(v, path);
      return { value: { N: n.text }, size: n.size };
    }
    case 'B':
      return { value: { B: v }, size: binaryLength(v, path) };
    case 'BOOL':
      if (typeof v !== 'boolean') throw serialization(`BOOL must be true or false at ${path}`);
      return { value: { BOOL: v }, size: 1 };
    case 'NULL':
      if (v !== true) throw validation(`One or more parameter values were invalid: Null attribute value types must have the value of true (at ${path})`);
      return { value: { NULL: true }, size: 1 };
    case 'L': {
      if (!Array.isArray(v)) throw serialization(`L must be a list at ${path}`);
      let size = 3;
      const value = v.map((member, i) => {
        const c = checkValue(member, `${path}.L[${i}]`, depth + 1);
        size += c.size + 1;
        return c.value;
      });
      return { value: { L: value }, size };
    }
    case 'M': {
      if (!isObject(v)) throw serialization(`M must be a map at ${path}`);
      const { item, size } = checkAttributes(v, `${path}.M`, depth + 1);
      return { value: { M: item }, size: 3 + size + Object.keys(item).length };
    }
    default: {
      const s = setOf(type as 'SS' | 'NS' | 'BS', v, path);
      return { value: { [type]: s.value }, size: s.size };
    }
  }
}

/** Checks a map of attributes (an item, a key, or an M's members): its values and its size with the names. */
export function checkAttributes(raw: unknown, path: string, depth = 1): { item: Item; size: number } {
  if (!isObject(raw)) throw serialization(`${path} must be a map of attribute values`);
  const item: Item = {};
  let size = 0;
  for (const [name, value] of Object.entries(raw)) {
    const c = checkValue(value, `${path}.${name}`, depth);
    item[name] = c.value;
    size += Buffer.byteLength(name) + c.size;
  }
  return { item, size };
}

/** The one type a checked value carries. */
export function typeOf(value: AttributeValue): string {
  return Object.keys(value)[0]!;
}
