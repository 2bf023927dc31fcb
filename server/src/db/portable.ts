// Column types that mean the same on SQLite and PostgreSQL (ADR 0002).
export const T = {
  id: 'text',
  text: 'text',
  ts: 'text', // ISO-8601 UTC, sortable
  int: 'integer',
  bigint: 'bigint',
  float: 'double precision',
  bool: 'integer', // 0 | 1
  json: 'text',
} as const;
