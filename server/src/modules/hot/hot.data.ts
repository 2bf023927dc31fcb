// The hotline export used to develop and demonstrate hot issues (TipDM 2020, `hot.jsonl`: one
// message a line with id, user, subject, time, detail, likes, dislikes). The file is read where it
// lies (../shared/data, or JIEDAO_DATA_DIR); it is never copied into the repository.
import fs from 'node:fs';
import path from 'node:path';
import type { HotItem } from './hot.cluster.js';

export interface HotlineMessage {
  id: string;
  user: string;
  subject: string;
  /** "2019-02-28 11:25:05", Beijing time */
  time: string;
  detail: string;
  likes: number;
  dislikes: number;
}

/** Parses the JSON lines (blank lines skipped); a malformed line throws with its number. */
export function parseHotline(content: string, file = 'input'): HotlineMessage[] {
  const out: HotlineMessage[] = [];
  content.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${file}:${i + 1}: not JSON`);
    }
    const s = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : r[k] == null ? '' : String(r[k]));
    if (!s('id') || !s('time')) throw new Error(`${file}:${i + 1}: needs "id" and "time"`);
    out.push({
      id: s('id'),
      user: s('user'),
      subject: s('subject'),
      time: s('time'),
      detail: s('detail'),
      likes: Number(r.likes ?? 0) || 0,
      dislikes: Number(r.dislikes ?? 0) || 0,
    });
  });
  return out;
}

/** "2019-02-28 11:25:05" (Beijing time) → ISO. */
export function beijingTime(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)/.exec(t.trim());
  return m ? new Date(`${m[1]}T${m[2]}+08:00`).toISOString() : new Date(t).toISOString();
}

export function hotlineItems(messages: readonly HotlineMessage[]): HotItem[] {
  return messages.map((m) => ({
    id: m.id,
    subject: m.subject,
    text: `${m.subject}\n${m.detail}`,
    at: beijingTime(m.time),
    reporter: m.user || null,
    likes: m.likes,
  }));
}

/** Where the shared data sets live: JIEDAO_DATA_DIR, else ../shared/data beside the repository. */
export function sharedDataDir(repoRoot: string): string {
  return process.env.JIEDAO_DATA_DIR ?? path.resolve(repoRoot, '..', 'shared', 'data');
}

export function readHotline(file: string): HotlineMessage[] {
  return parseHotline(fs.readFileSync(file, 'utf8'), file);
}
