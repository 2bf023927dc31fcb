// Personal data at rest: encryption, blind indexes, on-screen masks, and the master key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pii, loadMasterKey, maskIdNumber, maskName, maskPhone } from './pii.js';

const KEY_A = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const KEY_B = Buffer.alloc(32, 7);

describe('Pii encryption', () => {
  const pii = new Pii(KEY_A);

  it.each(['13812345678', '11010519491231002X', '张三 · 阿依古丽·买买提 🏠', ''])(
    'round-trips %j',
    (plain) => {
      const stored = pii.encrypt(plain);
      expect(stored.startsWith('v1.')).toBe(true);
      expect(stored.split('.')).toHaveLength(4);
      expect(pii.decrypt(stored)).toBe(plain);
    },
  );

  it('does not contain the plaintext', () => {
    const stored = pii.encrypt('13812345678');
    expect(stored).not.toContain('13812345678');
    expect(Buffer.from(stored.split('.')[3] ?? '', 'base64url').toString('utf8')).not.toContain('138');
  });

  it('produces a different ciphertext every time', () => {
    const a = pii.encrypt('13812345678');
    const b = pii.encrypt('13812345678');
    expect(a).not.toBe(b);
    expect(pii.decrypt(a)).toBe('13812345678');
    expect(pii.decrypt(b)).toBe('13812345678');
  });

  it('decrypts with a new instance built from the same key', () => {
    expect(new Pii(Buffer.from(KEY_A)).decrypt(pii.encrypt('广东省深圳市南山区'))).toBe('广东省深圳市南山区');
  });

  it('refuses a ciphertext whose body was tampered with', () => {
    const [v, iv, tag, ct] = pii.encrypt('13812345678').split('.') as [string, string, string, string];
    const bytes = Buffer.from(ct, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    expect(() => pii.decrypt([v, iv, tag, bytes.toString('base64url')].join('.'))).toThrow();
  });

  it('refuses a ciphertext whose tag or iv was tampered with', () => {
    const [v, iv, tag, ct] = pii.encrypt('13812345678').split('.') as [string, string, string, string];
    const badTag = Buffer.from(tag, 'base64url');
    badTag[15] = (badTag[15] ?? 0) ^ 0x80;
    expect(() => pii.decrypt([v, iv, badTag.toString('base64url'), ct].join('.'))).toThrow();
    const badIv = Buffer.from(iv, 'base64url');
    badIv[0] = (badIv[0] ?? 0) ^ 0x01;
    expect(() => pii.decrypt([v, badIv.toString('base64url'), tag, ct].join('.'))).toThrow();
  });

  it('refuses a ciphertext made with another key', () => {
    expect(() => new Pii(KEY_B).decrypt(pii.encrypt('13812345678'))).toThrow();
  });

  it('refuses unknown formats', () => {
    expect(() => pii.decrypt('13812345678')).toThrow('unknown ciphertext format');
    expect(() => pii.decrypt(pii.encrypt('x').replace(/^v1\./, 'v2.'))).toThrow('unknown ciphertext format');
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => new Pii(Buffer.alloc(16))).toThrow('32 bytes');
    expect(() => new Pii(Buffer.alloc(33))).toThrow('32 bytes');
  });
});

describe('Pii blind index', () => {
  const a = new Pii(KEY_A);

  it('is deterministic for the same key, kind and value', () => {
    expect(a.blindIndex('phone', '13812345678')).toBe(new Pii(KEY_A).blindIndex('phone', '13812345678'));
    expect(a.blindIndex('phone', '13812345678')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs per value, per kind and per key', () => {
    const base = a.blindIndex('phone', '13812345678');
    expect(a.blindIndex('phone', '13812345679')).not.toBe(base);
    expect(a.blindIndex('id_number', '13812345678')).not.toBe(base);
    expect(new Pii(KEY_B).blindIndex('phone', '13812345678')).not.toBe(base);
  });

  it('is not a plain hash of the value', () => {
    const plain = crypto.createHash('sha256').update('phone:13812345678').digest('base64url');
    expect(a.blindIndex('phone', '13812345678')).not.toBe(plain);
  });
});

describe('masks', () => {
  it('masks a mobile number to its first 3 and last 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('123456')).toBe('******');
  });

  it('masks an ID number to its region prefix and last 4 characters', () => {
    expect(maskIdNumber('440306199001011234')).toBe('4403**********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('1234567')).toBe('*******');
  });

  it('masks a name to its first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('阿依古丽·买买提')).toBe('阿*******');
    expect(maskName('张')).toBe('*');
    expect(maskName('John Smith')).toBe('J*********');
  });

  it('counts a character outside the BMP as one character', () => {
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });
});

describe('loadMasterKey', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedao-pii-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reads a 64-character hex key', () => {
    const hex = KEY_A.toString('hex');
    expect(loadMasterKey(hex, '/nonexistent')).toEqual(KEY_A);
    expect(loadMasterKey(hex.toUpperCase(), '/nonexistent')).toEqual(KEY_A);
  });

  it('reads a base64 key', () => {
    expect(loadMasterKey(KEY_B.toString('base64'), '/nonexistent')).toEqual(KEY_B);
  });

  it('refuses a key of the wrong length', () => {
    expect(() => loadMasterKey('abcd', '/nonexistent')).toThrow('32 bytes');
    expect(() => loadMasterKey(KEY_A.toString('hex').slice(2), '/nonexistent')).toThrow('32 bytes');
    expect(() => loadMasterKey(Buffer.alloc(31).toString('base64'), '/nonexistent')).toThrow('32 bytes');
  });

  it('generates a 0600 key file once and reuses it', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const first = loadMasterKey(undefined, dir);
    expect(first).toHaveLength(32);
    const file = path.join(dir, 'data.key');
    const stat = fs.statSync(file);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first);
    const second = loadMasterKey(undefined, dir);
    expect(second).toEqual(first);
    expect(fs.statSync(file).mtimeMs).toBe(stat.mtimeMs);
  });

  it('treats an empty DATA_KEY as unset', () => {
    const dir = tempDir();
    const key = loadMasterKey('', dir);
    expect(fs.existsSync(path.join(dir, 'data.key'))).toBe(true);
    expect(loadMasterKey(undefined, dir)).toEqual(key);
  });

  it('prefers DATA_KEY over an existing key file', () => {
    const dir = tempDir();
    loadMasterKey(undefined, dir);
    expect(loadMasterKey(KEY_B.toString('base64'), dir)).toEqual(KEY_B);
  });

  it('gives a key that encrypts and decrypts across restarts', () => {
    const dir = tempDir();
    const stored = new Pii(loadMasterKey(undefined, dir)).encrypt('13812345678');
    expect(new Pii(loadMasterKey(undefined, dir)).decrypt(stored)).toBe('13812345678');
  });
});
