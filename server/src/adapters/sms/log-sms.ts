// The default SMS provider: appends one JSON line per message to <DATA_DIR>/sms-outbox.jsonl,
// which demos and tests read the one-time codes from. Nothing leaves the machine.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SmsMessage, SmsSender } from '../../kernel/sms.js';

export class LogSmsSender implements SmsSender {
  readonly provider = 'log';
  readonly file: string;
  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'sms-outbox.jsonl');
  }
  async send(message: SmsMessage): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const line = JSON.stringify({
      to: message.to,
      text: message.text,
      code: message.code ?? null,
      at: new Date().toISOString(),
    });
    await fs.appendFile(this.file, line + '\n', 'utf8');
  }
}

/** Reads the last code sent to a phone from the log (demo tools and tests). */
export async function lastLoggedCode(dataDir: string, phone: string): Promise<string | null> {
  const text = await fs.readFile(path.join(dataDir, 'sms-outbox.jsonl'), 'utf8').catch(() => '');
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line) continue;
    const m = JSON.parse(line) as { to: string; code: string | null };
    if (m.to === phone && m.code) return m.code;
  }
  return null;
}
