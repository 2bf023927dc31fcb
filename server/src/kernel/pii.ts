// Personal data at rest (PIPL): AES-256-GCM for ID and phone numbers, a keyed hash (blind index)
// for exact-match lookups, and the masks staff and residents see on screen.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class Pii {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('DATA_KEY must be 32 bytes');
    this.encKey = Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'jiedao:pii:enc:v1', 32));
    this.macKey = Buffer.from(
      crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'jiedao:pii:index:v1', 32),
    );
  }

  encrypt(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `v1.${iv.toString('base64url')}.${tag.toString('base64url')}.${ct.toString('base64url')}`;
  }

  decrypt(stored: string): string {
    const [v, iv, tag, ct] = stored.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown ciphertext format');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash of a normalised value, for lookups by exact value. */
  blindIndex(kind: 'phone' | 'id_number', normalized: string): string {
    return crypto.createHmac('sha256', this.macKey).update(`${kind}:${normalized}`).digest('base64url');
  }
}

/** DATA_KEY (64 hex chars or base64 of 32 bytes), else a key file generated once under DATA_DIR. */
export function loadMasterKey(dataKey: string | undefined, dataDir: string): Buffer {
  if (dataKey) {
    const buf = /^[0-9a-fA-F]{64}$/.test(dataKey)
      ? Buffer.from(dataKey, 'hex')
      : Buffer.from(dataKey, 'base64');
    if (buf.length !== 32) throw new Error('DATA_KEY must be 32 bytes (64 hex characters or base64)');
    return buf;
  }
  const file = path.join(dataDir, 'data.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}
